// The Lua side of the kernel: creates the Lua state, opens the libraries and the vmxlab modules,
// prints the banner, runs a boot script if asked, and hands the console to the REPL.
#pragma once
#include "kernel/cmdline.hpp"

[[noreturn]] void shell_main(const kernel::Options& options, const char* cmdline);
