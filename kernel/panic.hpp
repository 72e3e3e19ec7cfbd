// Fatal kernel errors: print on the console, then halt (or power off in test mode, so a test
// driver sees the emulator exit instead of waiting for its timeout).
#pragma once

namespace kernel {

void set_test_mode(bool on);
bool test_mode();
[[noreturn, gnu::format(printf, 1, 2)]] void panic(const char* fmt, ...);

} // namespace kernel
