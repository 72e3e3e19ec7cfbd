// kheap_*: the C face of the kernel's one Heap, which memory_init() binds to pages().
#include "kernel/heap.hpp"
#include "kernel/heap_core.hpp"

#include <string.h>

namespace kernel {
namespace {
Heap g_heap;   // constant-initialized: kheap_* return NULL until memory_init()
}
Heap& heap() { return g_heap; }
} // namespace kernel

using kernel::g_heap;

extern "C" {

void* kheap_alloc(size_t size) { return g_heap.alloc(size); }

void* kheap_calloc(size_t n, size_t size) {
    if (size != 0 && n > SIZE_MAX / size) return nullptr;
    void* p = g_heap.alloc(n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

void* kheap_alloc_aligned(size_t size, size_t align) { return g_heap.alloc_aligned(size, align); }

void* kheap_calloc_aligned(size_t size, size_t align) {
    void* p = g_heap.alloc_aligned(size, align);
    if (p) memset(p, 0, size);
    return p;
}

void* kheap_realloc(void* p, size_t size) { return g_heap.realloc(p, size); }
void kheap_free(void* p) { g_heap.free(p); }
size_t kheap_usable_size(const void* p) { return g_heap.usable_size(p); }

void* kheap_lua_alloc(void*, void* ptr, size_t, size_t nsize) {
    if (nsize == 0) {
        g_heap.free(ptr);
        return nullptr;
    }
    return g_heap.realloc(ptr, nsize);
}

struct kheap_stats kheap_get_stats(void) {
    const kernel::Heap::Stats s = g_heap.stats();
    struct kheap_stats r;
    r.used_bytes = s.used_bytes;
    r.total_bytes = s.heap_bytes + s.free_pages;
    r.free_bytes = r.total_bytes - r.used_bytes;
    r.heap_bytes = s.heap_bytes;
    r.live_blocks = s.live_blocks;
    r.failed_allocs = s.failed;
    return r;
}

void kheap_trim(void) { if (g_heap.initialized()) g_heap.trim(); }
const char* kheap_check(void) { return g_heap.check(); }

} // extern "C"
