/* vmxlab: musl's thread layer for a kernel that runs one thread, built into the musl archive
 * (cmake/musl.cmake). It replaces what musl would take from src/thread/ and
 * src/stdio/__lockfile.c, all of which wait on futexes.
 *
 * __pthread_self() is &__vmxlab_thread (see pthread_arch.h here): errno is its errno_val, the
 * current locale is the global "C" locale, and the lock owner id is 1. */
#include "pthread_impl.h"
#include "stdio_impl.h"
#include "lock.h"

struct pthread __vmxlab_thread = {
    .self = &__vmxlab_thread,
    .tid = 1,
    .detach_state = DT_JOINABLE,
    .locale = &libc.global_locale,
    .robust_list.head = &__vmxlab_thread.robust_list.head,
};

/* musl's internal locks (open-file list, random(), ...). Nothing else runs concurrently with
 * libc code: interrupt handlers do not call it. */
void __lock(volatile int *l)
{
    (void)l;
}

void __unlock(volatile int *l)
{
    (void)l;
}

/* Every FILE the kernel creates has lock == -1 (libc.threaded is never set), so stdio never
 * calls these; they exist so that no futex-waiting version is linked. */
int __lockfile(FILE *f)
{
    (void)f;
    return 0;
}

void __unlockfile(FILE *f)
{
    (void)f;
}
