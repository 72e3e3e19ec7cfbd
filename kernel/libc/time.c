/* Clocks and calendar time for libc and Lua's os library (os.time, os.date, os.clock).
 *   CLOCK_REALTIME   the CMOS clock read once (as UTC), then advanced by the TSC
 *   CLOCK_MONOTONIC  the TSC since power-on; clock() and the CPU-time clocks are the same
 * The kernel has no time zones: local time is UTC (localtime = gmtime, mktime = timegm, %Z is
 * "UTC"). musl's __tz.c, which reads TZ and zoneinfo files, is not built. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include "hw.h"

/* ticks at hz as whole seconds and a fraction in 1/unit seconds. (ticks % hz) * unit fits in
 * 64 bits for any hz below 18 GHz at unit = 1e9. */
static void split(uint64_t ticks, uint64_t hz, uint64_t unit, uint64_t* whole, uint64_t* frac)
{
    *whole = ticks / hz;
    *frac = ticks % hz * unit / hz;
}

static time_t cmos_seconds(void)
{
    struct hw_wall_clock w = hw_cmos_time();
    struct tm t = {
        .tm_year = w.year - 1900, .tm_mon = w.month - 1, .tm_mday = w.day,
        .tm_hour = w.hour, .tm_min = w.minute, .tm_sec = w.second,
    };
    return timegm(&t);
}

/* The wall clock at one TSC reading, taken on first use. */
static struct {
    bool valid;
    time_t seconds;
    uint64_t tsc;
} wall;

/* musl's gmtime_r and timegm mark their results with this zone name (defined by __tz.c there). */
const char __utc[] = "UTC";

int clock_gettime(clockid_t clock, struct timespec* ts)
{
    uint64_t hz = hw_tsc_hz();
    uint64_t whole = 0, frac = 0;
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        if (!hz) {  /* before TSC calibration: the CMOS clock alone */
            ts->tv_sec = cmos_seconds();
            ts->tv_nsec = 0;
            return 0;
        }
        if (!wall.valid) {
            wall.seconds = cmos_seconds();
            wall.tsc = hw_tsc();
            wall.valid = true;
        }
        split(hw_tsc() - wall.tsc, hz, 1000000000, &whole, &frac);
        ts->tv_sec = wall.seconds + (time_t)whole;
        ts->tv_nsec = (long)frac;
        return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
        if (hz)
            split(hw_tsc(), hz, 1000000000, &whole, &frac);
        ts->tv_sec = (time_t)whole;
        ts->tv_nsec = (long)frac;
        return 0;
    default:
        errno = EINVAL;
        return -1;
    }
}

int gettimeofday(struct timeval* restrict tv, void* restrict tz)
{
    (void)tz;
    if (tv) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        tv->tv_sec = ts.tv_sec;
        tv->tv_usec = ts.tv_nsec / 1000;
    }
    return 0;
}

time_t time(time_t* out)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (out)
        *out = ts.tv_sec;
    return ts.tv_sec;
}

/* Processor time: the whole machine is this program, so time since power-on. */
clock_t clock(void)
{
    uint64_t hz = hw_tsc_hz(), whole = 0, frac = 0;
    if (hz)
        split(hw_tsc(), hz, CLOCKS_PER_SEC, &whole, &frac);
    return (clock_t)(whole * CLOCKS_PER_SEC + frac);
}

struct tm* localtime_r(const time_t* restrict t, struct tm* restrict out)
{
    return gmtime_r(t, out);
}

struct tm* localtime(const time_t* t)
{
    static struct tm result;
    return gmtime_r(t, &result);
}

time_t mktime(struct tm* tm)
{
    return timegm(tm);
}

void tzset(void)
{
}

/* strftime's %Z (musl's __tz.c otherwise). */
const char* __tm_to_tzname(const struct tm* tm)
{
    return tm->tm_zone == __utc ? __utc : "";
}
