/* The hardware the libc glue needs, with C linkage (the arch API is C++, and the glue is C
 * because it is compiled against musl's internal headers): the TSC and its calibrated rate, the
 * CMOS real-time clock, and power-off. Defined in hw.cpp over arch/cpu.hpp. */
#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct hw_wall_clock { int year, month, day, hour, minute, second; };   /* month 1..12, UTC */

uint64_t hw_tsc(void);
uint64_t hw_tsc_hz(void);                       /* 0 before calibration */
struct hw_wall_clock hw_cmos_time(void);
__attribute__((__noreturn__)) void hw_poweroff(int status);

#ifdef __cplusplus
}
#endif
