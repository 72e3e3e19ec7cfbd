// kernel_main: called by boot.asm in 64-bit mode with the boot loader's magic and info pointer.
// The composition root: the one place that knows every layer (arch, kernel, the Lua shell) and
// wires them together at start-up. No layer includes init/ (tools/check-layers.sh).
#include "arch/cpu.hpp"
#include "kernel/boot_info.hpp"
#include "kernel/cmdline.hpp"
#include "kernel/console.hpp"
#include "kernel/memory.hpp"
#include "kernel/panic.hpp"
#include "lua_bindings/shell.hpp"

extern "C" {
extern char __kernel_start[], __kernel_end[];
extern void (*__init_array_start[])(), (*__init_array_end[])();
}

namespace {

kernel::BootInfo boot_info;

uint64_t ram_top(const kernel::BootInfo& bi)
{
    uint64_t top = 0;
    for (size_t i = 0; i < bi.range_count; ++i)
        if (bi.ranges[i].type == 1 && bi.ranges[i].base + bi.ranges[i].length > top)
            top = bi.ranges[i].base + bi.ranges[i].length;
    return top;
}

} // namespace

extern "C" [[noreturn]] void kernel_main(uint32_t magic, uint32_t info)
{
    for (auto* f = __init_array_start; f != __init_array_end; ++f)
        (*f)();
    arch::init();

    kernel::parse_boot_info(magic, reinterpret_cast<const void*>(uintptr_t(info)), boot_info);
    if (!boot_info.valid)
        kernel::panic("unknown boot loader (magic %#x): boot vmxlab with GRUB (multiboot2) or qemu -kernel", magic);
    kernel::Options options = kernel::parse_cmdline(boot_info.cmdline);
    kernel::set_test_mode(options.test);

    arch::map_identity(ram_top(boot_info));
    if (!kernel::memory_init(boot_info, uint64_t(__kernel_start), uint64_t(__kernel_end), arch::mapped_top()))
        kernel::panic("no usable RAM in the boot loader's memory map");
    arch::enable_interrupts();
    if (options.crashtest)
        asm volatile("mov $0x5afe5afe, %%rbx; ud2" ::: "rbx");   // never inside a guard: fatal

    shell_main(options, boot_info.cmdline);
}
