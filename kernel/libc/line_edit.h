/* Cooked-mode line input for the serial console: what a terminal's line discipline does for a
 * program reading stdin (echo, erase, kill, end of file, CR or CRLF ending a line). Pure logic,
 * bytes in and echo out through a callback, so host tests can drive it (tests/host/libc.cmake).
 * kernel/libc/stdio.c runs it over console_getc() for stdin. */
#pragma once
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct line_edit {
    unsigned char* buf;                         /* where the line is assembled */
    size_t cap;                                 /* size of buf, >= 2 */
    size_t len;                                 /* bytes assembled so far */
    int after_cr;                               /* last line ended with CR: swallow one LF */
    void (*echo)(const char* s, size_t n);      /* what the terminal should show */
};

enum line_status {
    LINE_MORE,      /* keep feeding */
    LINE_DONE,      /* buf[0..len) is a line: ends in '\n', or is a partial line (Ctrl-D, or
                       buf full; the rest comes as the next line) */
    LINE_EOF,       /* Ctrl-D on an empty line */
};

/* Begins a new line in e->buf (keeps after_cr across lines). */
void line_edit_start(struct line_edit* e);

/* Feeds one byte (0..255) typed on the terminal:
 *   CR, LF, CRLF  end the line; it is stored with a single '\n'
 *   BS, DEL       erase the last character (a whole UTF-8 sequence)
 *   Ctrl-U        erase the whole line
 *   Ctrl-D        end of file on an empty line, otherwise hand over the line typed so far
 *   other control characters are ignored; everything else is stored and echoed. */
enum line_status line_edit_feed(struct line_edit* e, int c);

#ifdef __cplusplus
}
#endif
