// The console is COM1. "\n" goes out as "\r\n": the user's terminal is in raw mode.
#include "kernel/console.hpp"
#include "arch/cpu.hpp"

extern "C" {

void console_write(const char* s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; ++i) {
        if (s[i] == '\n') {
            arch::serial_write(s + start, i - start);
            arch::serial_write("\r\n", 2);
            start = i + 1;
        }
    }
    arch::serial_write(s + start, n - start);
}

void console_puts(const char* s) { console_write(s, __builtin_strlen(s)); }
int console_getc(void) { return arch::serial_read(true); }
int console_poll(void) { return arch::serial_read(false); }

}
