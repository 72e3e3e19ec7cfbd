/* Cooked-mode line input (see line_edit.h). */
#include "line_edit.h"

enum { CTRL_D = 0x04, BS = 0x08, CTRL_U = 0x15, DEL = 0x7f };

void line_edit_start(struct line_edit* e)
{
    e->len = 0;
}

static void echo(struct line_edit* e, const char* s, size_t n)
{
    if (e->echo)
        e->echo(s, n);
}

/* Removes the last character, a whole UTF-8 sequence, and erases its column. */
static int erase_char(struct line_edit* e)
{
    if (e->len == 0)
        return 0;
    while (e->len > 0) {
        unsigned char b = e->buf[--e->len];
        if ((b & 0xc0) != 0x80)     /* not a continuation byte: the sequence's first */
            break;
    }
    echo(e, "\b \b", 3);
    return 1;
}

enum line_status line_edit_feed(struct line_edit* e, int c)
{
    int after_cr = e->after_cr;
    e->after_cr = 0;
    switch (c) {
    case '\n':
        if (after_cr)
            return LINE_MORE;       /* the LF of a CRLF */
        /* fall through */
    case '\r':
        e->buf[e->len++] = '\n';    /* room is kept for it: len <= cap - 2 while editing */
        e->after_cr = (c == '\r');
        echo(e, "\n", 1);
        return LINE_DONE;
    case CTRL_D:
        return e->len == 0 ? LINE_EOF : LINE_DONE;
    case BS:
    case DEL:
        erase_char(e);
        return LINE_MORE;
    case CTRL_U:
        while (erase_char(e)) {
        }
        return LINE_MORE;
    default:
        break;
    }
    if (c < 0x20 && c != '\t')
        return LINE_MORE;
    unsigned char b = (unsigned char)c;
    e->buf[e->len++] = b;
    echo(e, (const char*)&b, 1);
    /* Full (one byte stays free for a '\n'): hand over what there is; the line goes on in the
     * next one. */
    return e->len + 1 >= e->cap ? LINE_DONE : LINE_MORE;
}
