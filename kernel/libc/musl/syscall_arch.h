/* vmxlab: replaces musl's arch/x86_64/syscall_arch.h when musl is built for the kernel
 * (cmake/musl.cmake puts this directory first on musl's include path).
 *
 * There is no operating system below ring 0: a `syscall` instruction would jump through an
 * unset IA32_LSTAR. Every system call musl could make therefore fails with ENOSYS without
 * executing anything. The subset of musl the kernel builds never depends on one succeeding;
 * the few paths that contain one are dead (stdio lock waits on FILEs whose lock is -1).
 * What a program would get from Linux comes from kernel/libc/ instead. */
#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

#define __VMXLAB_ENOSYS 38 /* the value of ENOSYS on x86_64 Linux, which musl's errno.h uses */

static __inline long __syscall0(long n)
{
    (void)n;
    return -__VMXLAB_ENOSYS;
}

static __inline long __syscall1(long n, long a1)
{
    (void)n; (void)a1;
    return -__VMXLAB_ENOSYS;
}

static __inline long __syscall2(long n, long a1, long a2)
{
    (void)n; (void)a1; (void)a2;
    return -__VMXLAB_ENOSYS;
}

static __inline long __syscall3(long n, long a1, long a2, long a3)
{
    (void)n; (void)a1; (void)a2; (void)a3;
    return -__VMXLAB_ENOSYS;
}

static __inline long __syscall4(long n, long a1, long a2, long a3, long a4)
{
    (void)n; (void)a1; (void)a2; (void)a3; (void)a4;
    return -__VMXLAB_ENOSYS;
}

static __inline long __syscall5(long n, long a1, long a2, long a3, long a4, long a5)
{
    (void)n; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
    return -__VMXLAB_ENOSYS;
}

static __inline long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
    (void)n; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5; (void)a6;
    return -__VMXLAB_ENOSYS;
}

/* No vDSO either: VDSO_USEFUL stays undefined. */
#define IPC_64 0
