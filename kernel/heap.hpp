// The kernel heap (Lua's allocator, operator new, mem.alloc) over pages from the PageAllocator.
// C linkage so the libc glue (kernel/libc) and Lua's C code can call it. The heap grows on demand
// into all free RAM; every function returns NULL when memory runs out and leaves the heap intact.
// Implementation: kernel/heap_core.hpp. Not thread- or interrupt-safe (one CPU; interrupt
// handlers must not allocate).
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
void* kheap_alloc(size_t size);                    // 16-byte aligned; NULL when out of memory
void* kheap_calloc(size_t n, size_t size);         // zeroed; NULL on overflow or out of memory
// align: a power of two. align >= 4096 (VMX pages) gives whole pages. NULL for a bad align.
void* kheap_alloc_aligned(size_t size, size_t align);
void* kheap_calloc_aligned(size_t size, size_t align);       // same, zeroed
// NULL p: kheap_alloc. size 0: frees p and returns NULL. On failure returns NULL and p is
// untouched. Shrinking never fails. Grows in place when the memory after p is free.
void* kheap_realloc(void* p, size_t size);
void kheap_free(void* p);                          // NULL is fine; foreign pointers are ignored
size_t kheap_usable_size(const void* p);           // >= the size asked for; 0 for NULL/foreign
// A lua_Alloc: lua_newstate(kheap_lua_alloc, NULL).
void* kheap_lua_alloc(void* ud, void* ptr, size_t osize, size_t nsize);

struct kheap_stats {
    uint64_t used_bytes;     // usable size of all live blocks
    uint64_t free_bytes;     // total_bytes - used_bytes
    uint64_t total_bytes;    // RAM the heap holds + RAM still free in the page allocator
    uint64_t heap_bytes;     // RAM the heap holds (including free space inside it)
    uint64_t live_blocks;
    uint64_t failed_allocs;  // requests answered with NULL
};
struct kheap_stats kheap_get_stats(void);
void kheap_trim(void);                             // return cached empty slabs/pools to the pages
const char* kheap_check(void);                     // NULL if consistent, else what is wrong
#ifdef __cplusplus
}
#endif
