// The two 8259A PICs, remapped to vectors 0x20..0x2F (away from the CPU exceptions) and
// masked except for the lines we serve (COM1 = IRQ 4).
#include "arch/x86_64/x86.hpp"

namespace arch::x86 {
namespace {
constexpr uint16_t master_cmd = 0x20, master_data = 0x21, slave_cmd = 0xA0, slave_data = 0xA1;
uint16_t mask = 0xFFFF;

void io_wait() { outb(0x80, 0); }
void write_mask()
{
    outb(master_data, uint8_t(mask));
    outb(slave_data, uint8_t(mask >> 8));
}
} // namespace

void pic_init()
{
    outb(master_cmd, 0x11); io_wait();          // ICW1: edge, cascade, ICW4 follows
    outb(slave_cmd, 0x11); io_wait();
    outb(master_data, irq_base); io_wait();     // ICW2: vector offsets
    outb(slave_data, irq_base + 8); io_wait();
    outb(master_data, 4); io_wait();            // ICW3: slave on IRQ 2
    outb(slave_data, 2); io_wait();
    outb(master_data, 1); io_wait();            // ICW4: 8086 mode
    outb(slave_data, 1); io_wait();
    mask = 0xFFFF;
    write_mask();
}

void pic_unmask(unsigned irq)
{
    mask &= uint16_t(~(1u << irq));
    if (irq >= 8)
        mask &= uint16_t(~(1u << 2));
    write_mask();
}

// IRQ 7 / 15 with the in-service bit clear is a spurious interrupt: no EOI for it
// (the master still needs one for a spurious IRQ 15 since it did see the cascade).
bool pic_spurious(unsigned irq)
{
    if (irq != 7 && irq != 15)
        return false;
    uint16_t cmd = irq == 7 ? master_cmd : slave_cmd;
    outb(cmd, 0x0B);                            // OCW3: read ISR
    if (inb(cmd) & 0x80)
        return false;
    if (irq == 15)
        outb(master_cmd, 0x20);
    return true;
}

void pic_eoi(unsigned irq)
{
    if (irq >= 8)
        outb(slave_cmd, 0x20);
    outb(master_cmd, 0x20);
}

} // namespace arch::x86
