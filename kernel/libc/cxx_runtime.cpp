// The C++ runtime the kernel needs (-fno-exceptions -fno-rtti -fno-threadsafe-statics): global
// operator new/delete in all their forms over the kernel heap, the pure-virtual trap, and
// __cxa_atexit accepting static destructors that never run (exit powers off).
// Plain new cannot throw here, so running out of memory in it is fatal; code that can cope
// uses new (std::nothrow), which returns nullptr.
#include <stdlib.h>
#include "kernel/console.hpp"
#include "kernel/heap.hpp"
#include "kernel/libc/new.hpp"

const std::nothrow_t std::nothrow{};

namespace {

void* allocate(size_t n, size_t align)
{
    if (n == 0)
        n = 1;                  // distinct non-null pointers, as the standard asks
    return align <= 16 ? kheap_alloc(n) : kheap_alloc_aligned(n, align);
}

void* allocate_or_die(size_t n, size_t align)
{
    void* p = allocate(n, align);
    if (!p) {
        console_puts("operator new: out of memory\n");
        abort();
    }
    return p;
}

void release(void* p)
{
    if (p)
        kheap_free(p);
}

} // namespace

void* operator new(size_t n) { return allocate_or_die(n, 16); }
void* operator new[](size_t n) { return allocate_or_die(n, 16); }
void* operator new(size_t n, std::align_val_t a) { return allocate_or_die(n, size_t(a)); }
void* operator new[](size_t n, std::align_val_t a) { return allocate_or_die(n, size_t(a)); }
void* operator new(size_t n, const std::nothrow_t&) noexcept { return allocate(n, 16); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return allocate(n, 16); }
void* operator new(size_t n, std::align_val_t a, const std::nothrow_t&) noexcept
{
    return allocate(n, size_t(a));
}
void* operator new[](size_t n, std::align_val_t a, const std::nothrow_t&) noexcept
{
    return allocate(n, size_t(a));
}

void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, size_t) noexcept { release(p); }
void operator delete[](void* p, size_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }

extern "C" {

void __cxa_pure_virtual()
{
    console_puts("pure virtual function called\n");
    abort();
}

int __cxa_atexit(void (*fn)(void*), void* arg, void* dso)
{
    (void)fn, (void)arg, (void)dso;
    return 0;
}

} // extern "C"
