// Layouts shared by the heap's parts (heap_core.cpp, heap_small.cpp, heap_tlsf.cpp). Not an API.
#pragma once
#include "kernel/heap_core.hpp"

namespace kernel {

// What a page of the PageAllocator's span is to the heap (Heap::kind_).
enum : uint8_t {
    kind_none = 0,
    kind_slab = 0x10,        // | log2(slab pages); the Slab header is at the slab-aligned start
    kind_pool = 0x20,        // a medium pool; the block header is just before the pointer
    kind_huge_head = 0x30,   // first page of a huge block (the pointer is the page)
    kind_huge_tail = 0x31,
    kind_meta = 0x40,        // the page map itself
};
constexpr uint64_t heap_page = PageAllocator::page_size;
constexpr size_t slab_header = 64;            // first object at slab + 64 (16-byte aligned)

struct Heap::Slab {
    Slab* next;
    Slab* prev;
    void* free;              // objects freed into this slab (LIFO through their first word)
    char* bump;              // next never-used object
    char* limit;             // end of the object area
    uint32_t used;           // live objects
    uint16_t cls;
    uint16_t capacity;
    uint8_t shift;           // log2 of its pages (its class's, or less when RAM was short)
    uint8_t in_list;         // on its class's list: it has room (or is the cached empty slab)
    bool has_room(uint32_t size) const { return free != nullptr || bump + size <= limit; }
};
static_assert(sizeof(Heap::Slab) <= slab_header, "slab header too big");

// A TLSF block: 16-byte header, then the payload; free blocks link through the payload.
struct Heap::Block {
    static constexpr uint64_t free_bit = 1, prev_free_bit = 2, first_bit = 4, flag_mask = 15;
    uint64_t prev_size;      // size of the previous block; valid only when prev_free_bit is set
    uint64_t size_flags;     // whole block size (multiple of 16) | flags
    Block* next_free;
    Block* prev_free;

    uint64_t size() const { return size_flags & ~flag_mask; }
    bool is_free() const { return size_flags & free_bit; }
    bool prev_is_free() const { return size_flags & prev_free_bit; }
    bool first() const { return size_flags & first_bit; }
    void set_size(uint64_t s) { size_flags = s | (size_flags & flag_mask); }
    Block* next() { return reinterpret_cast<Block*>(reinterpret_cast<char*>(this) + size()); }
    Block* prev() { return reinterpret_cast<Block*>(reinterpret_cast<char*>(this) - prev_size); }
    void* payload() { return reinterpret_cast<char*>(this) + header; }
    static Block* of(const void* p) { return reinterpret_cast<Block*>(const_cast<char*>(static_cast<const char*>(p)) - header); }
    static constexpr uint64_t header = 16, min_size = 32;
};

// A pool: this header, the blocks, then a zero-size used sentinel block at the very end.
struct Heap::Pool {
    Pool* next;
    Pool* prev;
    uint64_t bytes;
    uint64_t pad[3];
    Block* first_block() { return reinterpret_cast<Block*>(reinterpret_cast<char*>(this) + sizeof(Pool)); }
};
static_assert(sizeof(Heap::Pool) % 16 == 0, "pool header must keep payloads 16-byte aligned");

constexpr uint64_t align_up(uint64_t x, uint64_t a) { return (x + a - 1) & ~(a - 1); }

} // namespace kernel
