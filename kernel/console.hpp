// The console is COM1. Thin arch-neutral names for kernel code and the libc glue.
#pragma once
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif
void console_write(const char* s, size_t n);
void console_puts(const char* s);
int console_getc(void);          // blocks; a byte 0..255, or -1 when Ctrl-C interrupted the wait
int console_poll(void);          // -1 if nothing is waiting
// One line typed on the console (kernel/console_input.cpp), stored with a final '\n' in out
// (at most cap - 1 bytes of it kept); -1 at end of input (Ctrl-D on an empty line).
long console_read_line(char* out, size_t cap);
void console_set_batch(int on);  // batch: no echo, no editing (kernel option `batch`)
#ifdef __cplusplus
}
#endif
