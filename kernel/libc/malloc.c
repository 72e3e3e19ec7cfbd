/* The C allocation functions over the kernel heap (kernel/heap.hpp). musl's own mallocs are not
 * built: they get memory from mmap/brk. kheap_alloc returns 16-byte aligned blocks, enough for
 * any C type (max_align_t). */
#include <errno.h>
#include <stdlib.h>
#include "kernel/heap.hpp"

void* malloc(size_t n)
{
    void* p = kheap_alloc(n ? n : 1);     /* malloc(0) is a unique pointer, as in musl */
    if (!p)
        errno = ENOMEM;
    return p;
}

void free(void* p)
{
    kheap_free(p);      /* NULL is fine */
}

void* calloc(size_t count, size_t size)
{
    void* p = kheap_calloc(count ? count : 1, size ? size : 1);   /* checks count * size */
    if (!p)
        errno = ENOMEM;
    return p;
}

void* realloc(void* p, size_t n)
{
    if (!p)
        return malloc(n);
    void* q = kheap_realloc(p, n ? n : 1);
    if (!q)
        errno = ENOMEM;     /* p is left as it was */
    return q;
}

void* aligned_alloc(size_t align, size_t n)
{
    if (align == 0 || (align & (align - 1))) {
        errno = EINVAL;
        return NULL;
    }
    void* p = align <= 16 ? kheap_alloc(n ? n : 1) : kheap_alloc_aligned(n ? n : 1, align);
    if (!p)
        errno = ENOMEM;
    return p;
}

void* memalign(size_t align, size_t n)
{
    return aligned_alloc(align, n);
}

int posix_memalign(void** out, size_t align, size_t n)
{
    if (align < sizeof(void*) || (align & (align - 1)))
        return EINVAL;
    int saved = errno;
    void* p = aligned_alloc(align, n);
    errno = saved;
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

size_t malloc_usable_size(void* p)
{
    return p ? kheap_usable_size(p) : 0;
}
