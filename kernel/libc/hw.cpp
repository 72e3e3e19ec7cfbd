// C linkage for the hardware the libc glue needs (see hw.h).
#include "kernel/libc/hw.h"
#include "arch/cpu.hpp"

extern "C" {

uint64_t hw_tsc(void)
{
    return arch::rdtsc();
}

uint64_t hw_tsc_hz(void)
{
    return arch::tsc_hz();
}

struct hw_wall_clock hw_cmos_time(void)
{
    arch::WallClock w = arch::cmos_time();
    return { w.year, w.month, w.day, w.hour, w.minute, w.second };
}

void hw_poweroff(int status)
{
    arch::poweroff(status);
}

} // extern "C"
