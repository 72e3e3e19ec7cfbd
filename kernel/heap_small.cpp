// Small blocks: one list per size class of the slabs that still have room. The common case of
// alloc is "pop the head slab's free list or bump its pointer"; free is "push onto the slab's
// free list". A class keeps at most one empty slab; further empty slabs go back to the pages.
#include "kernel/heap_internal.hpp"

namespace kernel {

Heap::Slab* Heap::slab_of(const void* p, uint8_t kind) const {
    const uint64_t bytes = heap_page << (kind & 3);
    return reinterpret_cast<Slab*>(reinterpret_cast<uintptr_t>(p) & ~(bytes - 1));
}

void Heap::unlink(SizeClass& c, Slab* s) {
    if (s->prev) s->prev->next = s->next; else c.head = s->next;
    if (s->next) s->next->prev = s->prev; else c.tail = s->prev;
    s->next = s->prev = nullptr;
    s->in_list = 0;
}

void Heap::push_front(SizeClass& c, Slab* s) {
    s->prev = nullptr;
    s->next = c.head;
    if (c.head) c.head->prev = s; else c.tail = s;
    c.head = s;
    s->in_list = 1;
}

void Heap::push_back(SizeClass& c, Slab* s) {
    s->next = nullptr;
    s->prev = c.tail;
    if (c.tail) c.tail->next = s; else c.head = s;
    c.tail = s;
    s->in_list = 1;
}

Heap::Slab* Heap::new_slab(size_t cls) {
    SizeClass& c = classes_[cls];
    uint8_t shift = c.shift;
    uint64_t a;
    // Aligned to its size, so slab_of() finds the header. Short of RAM, a smaller slab will do.
    while ((a = take_pages(size_t(1) << shift, heap_page << shift)) == 0)
        if (shift-- == 0) return nullptr;
    const size_t n = size_t(1) << shift;
    set_kind(a, n, uint8_t(kind_slab | shift));
    Slab* s = reinterpret_cast<Slab*>(static_cast<uintptr_t>(a));
    s->next = s->prev = nullptr;
    s->free = nullptr;
    s->shift = shift;
    s->bump = reinterpret_cast<char*>(s) + slab_header;
    s->capacity = uint16_t((n * heap_page - slab_header) / c.size);
    s->limit = s->bump + size_t(s->capacity) * c.size;
    s->used = 0;
    s->cls = uint16_t(cls);
    push_front(c, s);
    c.empty++;
    return s;
}

void* Heap::small_alloc(size_t cls) {
    SizeClass& c = classes_[cls];
    Slab* s = c.head;                                      // every listed slab has room
    if (s == nullptr && (s = new_slab(cls)) == nullptr) return nullptr;
    void* p;
    if (s->free) {
        p = s->free;
        s->free = *static_cast<void**>(p);
    } else {
        p = s->bump;
        s->bump += c.size;
    }
    if (s->used++ == 0) c.empty--;
    if (!s->has_room(c.size)) unlink(c, s);
    used_bytes_ += c.size;
    live_++;
    return p;
}

void Heap::small_free(Slab* s, void* p) {
    SizeClass& c = classes_[s->cls];
    if (s->used == 0) { bad_frees_++; return; }            // double free into an empty slab
    *static_cast<void**>(p) = s->free;
    s->free = p;
    used_bytes_ -= c.size;
    live_--;
    if (!s->in_list) push_front(c, s);
    if (--s->used != 0) return;
    if (c.empty != 0) {                                    // another empty slab is cached already
        unlink(c, s);
        const size_t n = size_t(1) << s->shift;
        set_kind(reinterpret_cast<uintptr_t>(s), n, kind_none);
        give_pages(reinterpret_cast<uintptr_t>(s), n);
        return;
    }
    c.empty = 1;
    if (c.tail != s) { unlink(c, s); push_back(c, s); }   // fill the partial slabs first
}

const char* Heap::check_slab(const Slab* s, uint64_t& used, uint64_t& live) const {
    if (s->cls >= nclasses) return "slab: bad class";
    const SizeClass& c = classes_[s->cls];
    if (s->shift > c.shift) return "slab: bigger than its class's slabs";
    const size_t n = size_t(1) << s->shift;
    const char* start = reinterpret_cast<const char*>(s) + slab_header;
    if (s->capacity != (n * heap_page - slab_header) / c.size) return "slab: bad capacity";
    if (s->limit != start + size_t(s->capacity) * c.size) return "slab: bad limit";
    if (s->bump < start || s->bump > s->limit || (s->bump - start) % c.size) return "slab: bad bump pointer";
    size_t nfree = 0;
    for (const void* f = s->free; f; f = *static_cast<void* const*>(f)) {
        const char* q = static_cast<const char*>(f);
        if (q < start || q >= s->bump || (q - start) % c.size) return "slab: free list points outside the slab";
        if (++nfree > s->capacity) return "slab: free list loops (double free?)";
    }
    const size_t unused = size_t(s->limit - s->bump) / c.size;
    if (s->used + nfree + unused != s->capacity) return "slab: used + free != capacity";
    if (bool(s->in_list) != s->has_room(c.size)) return "slab: listed iff it has room";
    used += uint64_t(s->used) * c.size;
    live += s->used;
    return nullptr;
}

} // namespace kernel
