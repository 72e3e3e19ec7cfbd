// COM1, a 16550 UART at 0x3F8: 115200 8N1, interrupt-driven receive into a ring buffer, so that
// Ctrl-C reaches the kernel while Lua code runs; transmit waits for the line in HLT (interrupts
// on) or by polling (interrupts off).
#include "arch/x86_64/x86.hpp"

namespace arch {
namespace {
constexpr uint16_t com1 = 0x3F8;
constexpr uint16_t rbr = com1, thr = com1, ier = com1 + 1, fcr = com1 + 2, iir = com1 + 2,
                   lcr = com1 + 3, mcr = com1 + 4, lsr = com1 + 5;
constexpr uint8_t lsr_data_ready = 0x01, lsr_thr_empty = 0x20;
constexpr uint8_t ier_rx = 0x01, ier_thr_empty = 0x02;

constexpr unsigned ring_size = 1 << 16;         // a pasted 64 KiB line must not be lost
uint8_t ring[ring_size];
volatile unsigned ring_head, ring_tail;         // head: IRQ writes; tail: reader
void (*volatile break_handler)();
volatile uint64_t breaks;                       // Ctrl-C bytes seen (arch::break_count)
volatile uint64_t handled_breaks;               // ... of which went to the break handler
bool interrupts_on;

void drain_receiver()
{
    while (inb(lsr) & lsr_data_ready) {
        uint8_t b = inb(rbr);
        if (b == 0x03)
            breaks = breaks + 1;
        if (b == 0x03 && break_handler) {
            handled_breaks = handled_breaks + 1;
            break_handler();
            continue;
        }
        unsigned next = (ring_head + 1) % ring_size;
        if (next != ring_tail) {                // full: drop (the sender outran us)
            ring[ring_head] = b;
            ring_head = next;
        }
    }
}
bool cpu_interrupts_enabled()
{
    uint64_t flags;
    asm volatile("pushfq; popq %0" : "=r"(flags));
    return flags & 0x200;
}

// Waits until the transmitter takes another byte. A line at 115200 baud needs 87 us per byte;
// with interrupts on, the CPU sleeps in HLT until the UART's "transmitter empty" interrupt
// instead of polling, so an emulator's host core rests too (Bochs models the line speed in
// emulated time: polling there cost ips x 87 us of instructions per byte). With interrupts off
// (early boot, exception and IRQ handlers, panics) it polls.
void wait_transmitter()
{
    if (inb(lsr) & lsr_thr_empty)
        return;
    if (!interrupts_on || !cpu_interrupts_enabled()) {
        while (!(inb(lsr) & lsr_thr_empty))
            ;
        return;
    }
    outb(ier, ier_rx | ier_thr_empty);
    for (;;) {
        asm volatile("cli" ::: "memory");
        if (inb(lsr) & lsr_thr_empty)
            break;
        asm volatile("sti; hlt" ::: "memory");   // no interrupt slips in between sti and hlt
    }
    outb(ier, ier_rx);                         // the UART drops its interrupt line again
    asm volatile("sti" ::: "memory");
}
} // namespace

void serial_write(const char* s, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        wait_transmitter();
        outb(thr, uint8_t(s[i]));
    }
}

int serial_read(bool block)
{
    uint64_t breaks_at_start = handled_breaks;
    for (;;) {
        // A Ctrl-C taken by the break handler ends the wait: the code waiting for input (io.read)
        // returns, and the handler's Lua hook then raises "interrupted!".
        if (handled_breaks != breaks_at_start)
            return -1;
        if (!interrupts_on)
            drain_receiver();                   // before interrupts are on: poll
        if (ring_tail != ring_head) {
            uint8_t b = ring[ring_tail];
            ring_tail = (ring_tail + 1) % ring_size;
            return b;
        }
        if (!block)
            return -1;
        // Sleep until the next interrupt. "sti; hlt" lets no interrupt in between, so a byte
        // that arrives after the check above still wakes us.
        if (interrupts_on) {
            asm volatile("cli" ::: "memory");
            if (ring_tail == ring_head)
                asm volatile("sti; hlt" ::: "memory");
            else
                asm volatile("sti" ::: "memory");
        }
    }
}

void set_break_handler(void (*handler)()) { break_handler = handler; }

uint64_t break_count() { return breaks; }

namespace x86 {

void serial_init()
{
    outb(ier, 0x00);
    outb(lcr, 0x80);                            // DLAB: divisor 1 = 115200 baud
    outb(com1, 0x01);
    outb(ier, 0x00);
    outb(lcr, 0x03);                            // 8N1
    outb(fcr, 0xC7);                            // FIFOs on and cleared, trigger at 14 bytes
    outb(mcr, 0x0B);                            // DTR, RTS, OUT2 (routes the IRQ to the PIC)
    outb(ier, 0x01);                            // interrupt on received data
}

void serial_irq()
{
    (void)inb(iir);                             // acknowledges a "transmitter empty" interrupt
    drain_receiver();
}

void serial_use_irq(bool on) { interrupts_on = on; }

void serial_print(const char* s) { serial_write(s, __builtin_strlen(s)); }

void serial_print_hex(uint64_t v, int digits)
{
    char buf[18];
    buf[0] = '0';
    buf[1] = 'x';
    for (int i = 0; i < digits; ++i)
        buf[2 + i] = "0123456789abcdef"[(v >> (4 * (digits - 1 - i))) & 0xF];
    serial_write(buf, size_t(2 + digits));
}

} // namespace x86
} // namespace arch
