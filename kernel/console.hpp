// The console is COM1. Thin arch-neutral names for kernel code and the libc glue.
#pragma once
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif
void console_write(const char* s, size_t n);
void console_puts(const char* s);
int console_getc(void);          // blocks; returns a byte 0..255
int console_poll(void);          // -1 if nothing is waiting
#ifdef __cplusplus
}
#endif
