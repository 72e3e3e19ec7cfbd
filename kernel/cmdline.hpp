// Kernel command-line options (GRUB's `multiboot2 /boot/kernel.elf OPTIONS`, qemu -append).
//   batch        no echo, no line editing: for test drivers
//   test         a fatal exception or a script's end powers the emulator off instead of halting
//   run=NAME     run the boot module NAME at boot, then power off with its status
//   lab=NAME     run the boot module NAME at boot, then stay at the prompt
//   crashtest    raise an unguarded #UD right after boot: shows (and tests) the fatal report
#pragma once
#include <stddef.h>

namespace kernel {

struct Options {
    bool batch = false;
    bool test = false;
    bool crashtest = false;
    char run[64] = "";
    char lab[64] = "";
};

Options parse_cmdline(const char* cmdline);

} // namespace kernel
