/* vmxlab: replaces musl's arch/x86_64/pthread_arch.h when musl is built for the kernel
 * (cmake/musl.cmake puts this directory first on musl's include path).
 *
 * Ring 0 has no thread pointer: %fs is whatever the boot code left there. The kernel runs one
 * thread, so musl's "current thread" is one static block (thread.c), and __get_tp() is its
 * address instead of a load from %fs:0. errno, the current locale and stdio's lock owner live
 * there. */
struct __pthread;
extern struct __pthread __vmxlab_thread;

static inline uintptr_t __get_tp(void)
{
    return (uintptr_t)&__vmxlab_thread;
}

#define MC_PC gregs[REG_RIP]
