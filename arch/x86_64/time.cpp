// Time: the TSC calibrated against PIT channel 2, and the CMOS real-time clock.
// In Bochs the TSC advances by one per instruction retired, so "Hz" there is its ips setting.
#include "arch/x86_64/x86.hpp"

namespace arch {
namespace {
uint64_t hz = 1000000000;     // replaced by calibration
uint64_t boot_tsc;

uint8_t cmos_read(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}
int from_bcd(uint8_t v, bool bcd) { return bcd ? (v & 0x0F) + (v >> 4) * 10 : v; }
} // namespace

namespace x86 {
void time_init()
{
    boot_tsc = rdtsc();
    // PIT channel 2 in mode 0, gate on, speaker off: OUT2 (port 0x61 bit 5) rises after `latch`
    // ticks of the 1.193182 MHz clock. 2 ms: the polling loop's granularity (about a microsecond
    // per port read) keeps the error near 0.05%, far inside the 2% the clocks promise, and the
    // wait is boot time in QEMU (Bochs measured 99.997 M for ips=100 M).
    constexpr uint32_t pit_hz = 1193182, latch = pit_hz / 500;
    outb(0x61, uint8_t((inb(0x61) & ~0x02) | 0x01));
    outb(0x43, 0xB0);
    outb(0x42, latch & 0xFF);
    outb(0x42, latch >> 8);
    uint64_t t0 = rdtsc();
    uint64_t spins = 0;
    while (!(inb(0x61) & 0x20) && ++spins < 100000000)
        ;
    uint64_t t1 = rdtsc();
    if (t1 > t0)
        hz = (t1 - t0) * pit_hz / latch;
}
} // namespace x86

uint64_t tsc_hz() { return hz; }
uint64_t ms_since_boot() { return (rdtsc() - boot_tsc) / (hz / 1000 ? hz / 1000 : 1); }

WallClock cmos_time()
{
    // Wait for the end of an update cycle, then read until two reads agree.
    WallClock a {}, b {};
    for (int tries = 0; tries < 5; ++tries) {
        for (int spin = 0; spin < 1000000 && (cmos_read(0x0A) & 0x80); ++spin)
            ;
        uint8_t status_b = cmos_read(0x0B);
        bool bcd = !(status_b & 0x04), h24 = status_b & 0x02;
        uint8_t hour = cmos_read(0x04);
        bool pm = !h24 && (hour & 0x80);
        b.second = from_bcd(cmos_read(0x00), bcd);
        b.minute = from_bcd(cmos_read(0x02), bcd);
        b.hour = from_bcd(hour & 0x7F, bcd);
        if (!h24)
            b.hour = (b.hour % 12) + (pm ? 12 : 0);
        b.day = from_bcd(cmos_read(0x07), bcd);
        b.month = from_bcd(cmos_read(0x08), bcd);
        int century = from_bcd(cmos_read(0x32), bcd);
        b.year = from_bcd(cmos_read(0x09), bcd) + (century >= 19 && century <= 21 ? century * 100 : 2000);
        if (tries && __builtin_memcmp(&a, &b, sizeof a) == 0)
            break;
        a = b;
    }
    return b;
}

} // namespace arch
