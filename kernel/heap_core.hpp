// The heap behind kheap_*: three allocators over pages taken from a PageAllocator on demand.
//
//   small  (<= 1 KiB): 64 size classes, 16 bytes apart, each carved from slabs of 1, 2 or 4 pages
//          aligned to their size. No per-object header; a slab keeps its own free list.
//   medium (<= 64 KiB): a TLSF (two-level segregated fit) allocator over 256 KiB pools, with
//          boundary tags so frees coalesce and realloc can grow into the next block.
//   huge   (> 64 KiB, or alignment >= 4 KiB): page runs straight from the PageAllocator,
//          returned page-aligned; realloc grows them in place when the next pages are free.
//
// A byte per page (kind_) tells free() which of the three owns a pointer. Every path falls back
// on the others and gives cached empty slabs/pools back before it reports failure, so small
// and large requests can use all of RAM. Failure returns nullptr and leaves the heap unchanged.
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "kernel/page_alloc.hpp"

namespace kernel {

class Heap {
public:
    static constexpr size_t granule = 16;
    static constexpr size_t small_max = 1024;
    static constexpr size_t nclasses = small_max / granule;        // class i holds (i+1)*16 bytes
    static constexpr size_t huge_min = 64 * 1024 + 1;              // from here on: page runs
    static constexpr size_t pool_bytes = 256 * 1024;
    static constexpr size_t max_request = size_t(1) << 46;         // larger is refused at once

    struct Stats {
        uint64_t used_bytes;     // usable size of every live block
        uint64_t heap_bytes;     // pages the heap holds (slabs, pools, huge blocks, page map)
        uint64_t free_pages;     // bytes still free in the page allocator
        uint64_t live_blocks;
        uint64_t failed;         // allocations that returned nullptr
        uint64_t bad_frees;      // frees of pointers the heap does not own (ignored)
    };

    bool init(PageAllocator* pa);                  // false if the page map does not fit
    bool initialized() const { return pa_ != nullptr; }

    void* alloc(size_t size);                      // 16-byte aligned; nullptr on failure
    void* alloc_aligned(size_t size, size_t align);
    void* realloc(void* p, size_t size);           // size 0 frees and returns nullptr
    void free(void* p);
    size_t usable_size(const void* p) const;       // 0 for nullptr or a foreign pointer
    Stats stats() const;
    void trim();                                   // give cached empty slabs/pools back
    const char* check() const;                     // nullptr if every invariant holds

    struct Slab;    // layouts: kernel/heap_internal.hpp
    struct Block;
    struct Pool;

private:
    struct SizeClass { Slab* head; Slab* tail; uint32_t size; uint8_t shift; uint8_t empty; };
    static constexpr size_t fl_count = 40, sl_log2 = 4, sl_count = 1u << sl_log2;

    uint8_t kind_of(const void* p) const;
    void set_kind(uint64_t addr, size_t npages, uint8_t kind);
    uint64_t take_pages(size_t n, uint64_t align);  // from the PageAllocator, trimming on failure
    void give_pages(uint64_t addr, size_t n);

    // small (heap_small.cpp)
    void* small_alloc(size_t cls);
    void small_free(Slab* s, void* p);
    Slab* slab_of(const void* p, uint8_t kind) const;
    Slab* new_slab(size_t cls);
    void unlink(SizeClass& c, Slab* s);
    void push_front(SizeClass& c, Slab* s);
    void push_back(SizeClass& c, Slab* s);
    const char* check_slab(const Slab* s, uint64_t& used, uint64_t& live) const;

    // medium (heap_tlsf.cpp)
    void* tlsf_alloc(size_t size, size_t align, bool may_grow);
    void tlsf_free(Block* b);
    bool tlsf_resize(Block* b, size_t size);       // in place, false if it cannot
    Block* find_free(size_t bsize);
    void insert_free(Block* b);
    void remove_free(Block* b);
    Block* add_pool(size_t bsize);
    void release_pool(Pool* pool);
    void note_pool_use(Block* b);
    const char* check_pools(uint64_t& used, uint64_t& live, uint64_t& held) const;

    // huge (heap_core.cpp)
    void* huge_alloc(size_t size, size_t align);
    size_t huge_pages(const void* p) const;
    void huge_free(void* p);
    void* huge_realloc(void* p, size_t size);

    void* alloc_fallback(size_t size, size_t align);

    PageAllocator* pa_ = nullptr;
    uint8_t* kind_ = nullptr;        // one byte per page of [pa_->base(), pa_->end())
    uint64_t map_base_ = 0;
    size_t map_pages_ = 0;           // pages covered by kind_
    size_t map_size_pages_ = 0;      // pages kind_ itself occupies
    SizeClass classes_[nclasses] = {};
    Pool* pools_ = nullptr;
    Pool* empty_pool_ = nullptr;     // one wholly free pool kept as a cache
    uint64_t fl_map_ = 0;
    uint32_t sl_map_[fl_count] = {};
    Block* free_[fl_count][sl_count] = {};
    uint64_t used_bytes_ = 0, heap_bytes_ = 0, live_ = 0, failed_ = 0, bad_frees_ = 0;
};

Heap& heap();   // the kernel's one heap (behind kheap_*)

} // namespace kernel
