/* The kernel's FILEs, in place of musl's fd-based ones (cmake/musl.cmake leaves those out):
 *   stdin            lines typed on COM1, edited and echoed (console_read_line, the prompt's editor)
 *   stdout, stderr   COM1, unbuffered, so that they and print() (console_write) stay in order
 *   fopen(name, "r") a boot module (kernel/modules.hpp), read-only and seekable
 * Nothing can be written, created, removed or renamed: those calls fail with errno set, which
 * Lua's io and os libraries turn into "nil, message, code". The FILE layout is musl's own
 * (src/internal/stdio_impl.h); musl's stdio does the buffering and formatting on top. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"    /* in musl's syscall.h */
#include "stdio_impl.h"
#pragma GCC diagnostic pop
#include "kernel/console.hpp"
#include "kernel/modules.hpp"

/* ---- The console ---------------------------------------------------------------------------- */

static size_t console_out(FILE* f, const unsigned char* s, size_t len)
{
    size_t pending = (size_t)(f->wpos - f->wbase);
    if (pending)
        console_write((const char*)f->wbase, pending);
    if (len)
        console_write((const char*)s, len);
    f->wend = f->buf + f->buf_size;
    f->wpos = f->wbase = f->buf;
    return len;
}

/* musl's read contract (as __stdio_read): fill dst with up to len bytes, and may leave more in
 * f->buf between rpos and rend. One call reads one line, assembled in f->buf. */
static size_t console_in(FILE* f, unsigned char* dst, size_t len)
{
    long got = console_read_line((char*)f->buf, f->buf_size);
    if (got <= 0) {
        f->flags |= F_EOF;
        return 0;
    }
    size_t n = (size_t)got;
    size_t k = n < len ? n : len;
    memcpy(dst, f->buf, k);
    f->rpos = f->buf + k;
    f->rend = f->buf + n;
    return k;
}

static off_t console_seek(FILE* f, off_t off, int whence)
{
    (void)f, (void)off, (void)whence;
    errno = ESPIPE;     /* like a terminal */
    return -1;
}

static int console_close(FILE* f)
{
    (void)f;
    return 0;
}

static unsigned char stdin_buf[UNGET + 4096 + 1];    /* a whole line of the editor + '\n' */
static unsigned char stdout_buf[UNGET];
static unsigned char stderr_buf[UNGET];

FILE __stdin_FILE = {
    .buf = stdin_buf + UNGET,
    .buf_size = sizeof stdin_buf - UNGET,
    .fd = 0,
    .flags = F_PERM | F_NOWR,
    .read = console_in,
    .seek = console_seek,
    .close = console_close,
    .lock = -1,
};
FILE __stdout_FILE = {
    .buf = stdout_buf + UNGET,
    .buf_size = 0,
    .fd = 1,
    .flags = F_PERM | F_NORD,
    .lbf = EOF,
    .write = console_out,
    .seek = console_seek,
    .close = console_close,
    .lock = -1,
};
FILE __stderr_FILE = {
    .buf = stderr_buf + UNGET,
    .buf_size = 0,
    .fd = 2,
    .flags = F_PERM | F_NORD,
    .lbf = EOF,
    .write = console_out,
    .seek = console_seek,
    .close = console_close,
    .lock = -1,
};

/* musl's internal headers name the three FILEs (src/include/stdio.h: stdout is &__stdout_FILE);
 * everything else uses the public pointers. */
#undef stdin
#undef stdout
#undef stderr
FILE* const stdin = &__stdin_FILE;
FILE* const stdout = &__stdout_FILE;
FILE* const stderr = &__stderr_FILE;
/* For fflush(NULL) and __stdio_exit. */
FILE* volatile __stdin_used = &__stdin_FILE;
FILE* volatile __stdout_used = &__stdout_FILE;
FILE* volatile __stderr_used = &__stderr_FILE;

/* ---- Boot modules as read-only files ---------------------------------------------------------- */

struct module_file {
    FILE f;                                 /* first: fclose() frees the FILE pointer */
    const unsigned char* data;
    size_t size, pos;
    unsigned char buf[UNGET + BUFSIZ];
};

/* musl's read contract, as fmemopen's: dst first, then refill f->buf. */
static size_t module_read(FILE* f, unsigned char* dst, size_t len)
{
    struct module_file* m = (struct module_file*)f;
    size_t rem = m->pos < m->size ? m->size - m->pos : 0;
    if (len > rem) {
        len = rem;
        f->flags |= F_EOF;
    }
    memcpy(dst, m->data + m->pos, len);
    m->pos += len;
    rem -= len;
    if (rem > f->buf_size)
        rem = f->buf_size;
    memcpy(f->buf, m->data + m->pos, rem);
    f->rpos = f->buf;
    f->rend = f->buf + rem;
    m->pos += rem;
    return len;
}

static off_t module_seek(FILE* f, off_t off, int whence)
{
    struct module_file* m = (struct module_file*)f;
    off_t base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (off_t)m->pos; break;
    case SEEK_END: base = (off_t)m->size; break;
    default: errno = EINVAL; return -1;
    }
    if (off < -base) {      /* past the end is allowed: reads there find end of file */
        errno = EINVAL;
        return -1;
    }
    m->pos = (size_t)(base + off);
    return (off_t)m->pos;
}

static int module_close(FILE* f)
{
    (void)f;
    return 0;
}

static const struct kmodule* find_module(const char* name)
{
    while (name[0] == '.' && name[1] == '/')
        name += 2;
    return kmodule_find(name);
}

/* 0 if mode only reads; otherwise the errno for why it cannot be had. */
static int mode_error(const char* mode)
{
    if (!mode[0] || !strchr("rwa", mode[0]))
        return EINVAL;
    if (mode[0] != 'r' || strchr(mode, '+'))
        return EROFS;
    return 0;
}

static void module_attach(struct module_file* mf, const struct kmodule* m)
{
    mf->data = (const unsigned char*)m->data;
    mf->size = m->size;
    mf->pos = 0;
}

FILE* fopen(const char* restrict name, const char* restrict mode)
{
    const struct kmodule* m = find_module(name);
    int err = mode_error(mode);
    if (!err && !m)
        err = ENOENT;
    if (err) {
        errno = err;
        return NULL;
    }
    struct module_file* mf = malloc(sizeof *mf);
    if (!mf)
        return NULL;    /* errno = ENOMEM from malloc */
    memset(&mf->f, 0, sizeof mf->f);
    module_attach(mf, m);
    mf->f.flags = F_NOWR;
    mf->f.fd = -1;
    mf->f.lbf = EOF;
    mf->f.buf = mf->buf + UNGET;
    mf->f.buf_size = sizeof mf->buf - UNGET;
    mf->f.read = module_read;
    mf->f.seek = module_seek;
    mf->f.close = module_close;
    mf->f.lock = -1;
    return __ofl_add(&mf->f);
}

/* Lua's loadfile reopens a file "rb" when it holds a precompiled chunk; that (name == NULL or
 * the same name), and reopening a module file as another module, work. Anything else fails and
 * closes f, as freopen must. */
FILE* freopen(const char* restrict name, const char* restrict mode, FILE* restrict f)
{
    int err = ENOTSUP;
    if (f->close == module_close && !(err = mode_error(mode))) {
        const struct kmodule* m = name ? find_module(name) : NULL;
        if (!name || m) {
            struct module_file* mf = (struct module_file*)f;
            fflush(f);
            if (m)
                module_attach(mf, m);
            else
                mf->pos = 0;
            f->rpos = f->rend = NULL;
            f->flags &= ~(unsigned)(F_EOF | F_ERR);
            f->mode = 0;
            return f;
        }
        err = ENOENT;
    }
    fclose(f);
    errno = err;
    return NULL;
}

int remove(const char* name)
{
    errno = find_module(name) ? EROFS : ENOENT;
    return -1;
}

int rename(const char* old, const char* new_name)
{
    (void)new_name;
    errno = find_module(old) ? EROFS : ENOENT;
    return -1;
}

FILE* tmpfile(void)
{
    errno = EROFS;
    return NULL;
}

char* tmpnam(char* s)
{
    (void)s;
    errno = EROFS;
    return NULL;
}
