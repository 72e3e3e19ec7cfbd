// Test RAM for the memory tests: an aligned block of host memory whose real addresses play the
// part of physical addresses (the kernel is identity-mapped, so the allocators dereference them).
#pragma once
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel/boot_info.hpp"
#include "kernel/page_alloc.hpp"

namespace memtest {

struct Arena {
    uint8_t* mem = nullptr;
    size_t size = 0;
    bool mapped = false;

    // low32: below 2 GiB (MAP_32BIT), for multiboot1 structures, which hold 32-bit addresses.
    explicit Arena(size_t bytes, size_t align = 2u << 20, bool low32 = false) : size(bytes) {
        if (low32) {
            void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
            mem = p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
            mapped = true;
        } else {
            void* p = nullptr;
            mem = posix_memalign(&p, align, bytes) == 0 ? static_cast<uint8_t*>(p) : nullptr;
        }
        if (mem) memset(mem, 0xa5, bytes);
    }
    ~Arena() {
        if (mapped) munmap(mem, size);
        else ::free(mem);
    }
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;

    uint64_t base() const { return reinterpret_cast<uintptr_t>(mem); }
    uint64_t end() const { return base() + size; }
    bool contains(uint64_t a, uint64_t n = 1) const { return a >= base() && a + n <= end(); }
    kernel::MemoryRange range(uint32_t type = 1) const { return kernel::MemoryRange{base(), size, type}; }
};

// A PageAllocator over the whole arena, no reservations.
inline bool init_pages(kernel::PageAllocator& pa, const Arena& a) {
    kernel::MemoryRange r = a.range();
    return pa.init(&r, 1, nullptr, 0);
}

} // namespace memtest
