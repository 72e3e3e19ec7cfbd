// Bring-up order: descriptor tables first (so faults are reported), then the PIC, COM1 with
// its receive interrupt, and the TSC calibration.
#include "arch/x86_64/x86.hpp"

namespace arch {

void init()
{
    x86::load_descriptor_tables();
    x86::pic_init();
    x86::serial_init();
    x86::pic_unmask(4);
    x86::time_init();
}

void enable_interrupts()
{
    x86::serial_use_irq(true);
    asm volatile("sti" ::: "memory");
}

void disable_interrupts()
{
    asm volatile("cli" ::: "memory");
    x86::serial_use_irq(false);
}

} // namespace arch
