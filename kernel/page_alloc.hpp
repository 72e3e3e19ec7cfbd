// Physical page allocator: owns every available 4 KiB page of RAM through a bitmap (1 = in use or
// not RAM) over [base(), end()), the span of the type-1 ranges it was given. A second bitmap
// remembers the pages that are never RAM to hand out, so a stray free() of the kernel image,
// a module or page 0 is refused instead of corrupting them later.
//
// Addresses are used as pointers (identity mapping: physical == virtual). init() writes the bitmap
// into free RAM it picks itself, so host tests give it ranges inside a malloc'd arena and get real
// host addresses back. Not thread- or interrupt-safe: the kernel has one CPU and interrupt
// handlers do not allocate.
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "kernel/boot_info.hpp"

namespace kernel {

using Reserved = AddressSpan;   // [base, end) never handed out (kernel image, modules, boot info...)

class PageAllocator {
public:
    static constexpr uint64_t page_size = 4096;

    // ranges: the memory map (only type 1 is used; other types overlapping it win). reserved: spans
    // rounded out to whole pages and never handed out. Physical page 0 is never handed out either
    // (0 is the failure value). Returns false if no RAM is left for the bitmap.
    bool init(const MemoryRange* ranges, size_t count, const Reserved* reserved, size_t nreserved);

    // `pages` contiguous pages whose address is a multiple of `align` (a power of two; values
    // below 4096 mean 4096). Returns 0 on failure or for pages == 0.
    uint64_t alloc(size_t pages, uint64_t align = page_size);
    // Returns false (and changes nothing) unless every page in the run is currently allocated.
    bool free(uint64_t addr, size_t pages);
    // Extends an allocated run [addr, addr + pages) in place to new_pages if the pages after it
    // are free; false otherwise (nothing changes).
    bool grow(uint64_t addr, size_t pages, size_t new_pages);
    // Marks [base, end) in use after init (rounded out to pages); pages already in use stay so.
    void reserve(uint64_t base, uint64_t end);
    bool is_free(uint64_t addr) const;

    uint64_t free_bytes() const { return free_pages_ * page_size; }
    uint64_t total_bytes() const { return total_pages_ * page_size; }   // type-1 RAM in the span
    uint64_t largest_free_run() const;                                   // bytes, contiguous
    uint64_t base() const { return base_; }
    uint64_t end() const { return base_ + npages_ * page_size; }
    uint64_t bitmap_address() const { return reinterpret_cast<uintptr_t>(bits_); }
    uint64_t bitmap_bytes() const { return nwords_ * 16; }   // both bitmaps
    bool initialized() const { return bits_ != nullptr; }

    // Debug: recounts the bitmap; true if it agrees with free_bytes().
    bool check() const;

private:
    size_t find_clear(size_t from, size_t to) const;   // first 0 bit in [from, to), or `to`
    size_t find_set(size_t from, size_t to) const;     // first 1 bit in [from, to), or `to`
    void set_range(size_t from, size_t to);
    void clear_range(size_t from, size_t to);
    size_t count_clear(size_t from, size_t to) const;

    uint64_t* bits_ = nullptr;   // 1: in use, reserved or not RAM
    uint64_t* fixed_ = nullptr;  // 1: never handed out (holes, reservations): guards free()
    size_t nwords_ = 0;
    uint64_t base_ = 0;
    size_t npages_ = 0;
    size_t free_pages_ = 0, total_pages_ = 0;
    size_t hint_ = 0;      // no free page below this index
};

PageAllocator& pages();   // the kernel's one instance

} // namespace kernel
