#include "kernel/panic.hpp"
#include "arch/cpu.hpp"
#include "kernel/console.hpp"
#include <stdarg.h>
#include <stdio.h>

namespace kernel {
namespace {
bool in_test_mode;
}

void set_test_mode(bool on)
{
    in_test_mode = on;
    arch::set_poweroff_on_fatal(on);
}
bool test_mode() { return in_test_mode; }

void panic(const char* fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    console_puts("\n*** vmxlab panic: ");
    console_puts(buf);
    console_puts("\n*** vmxlab halted.\n");
    if (in_test_mode)
        arch::poweroff(3);
    arch::halt_forever();
}

} // namespace kernel
