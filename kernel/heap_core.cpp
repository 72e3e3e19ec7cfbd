// The heap's front end: routes each request to the small, medium (TLSF) or huge allocator,
// manages the page map, and implements huge blocks, realloc, stats and the invariant checker.
#include "kernel/heap_internal.hpp"

#include <string.h>

namespace kernel {

bool Heap::init(PageAllocator* pa) {
    pa_ = nullptr;
    memset(classes_, 0, sizeof classes_);
    memset(sl_map_, 0, sizeof sl_map_);
    memset(free_, 0, sizeof free_);
    pools_ = empty_pool_ = nullptr;
    fl_map_ = used_bytes_ = heap_bytes_ = live_ = failed_ = bad_frees_ = 0;
    kind_ = nullptr;
    if (pa == nullptr || !pa->initialized()) return false;

    map_base_ = pa->base();
    map_pages_ = size_t((pa->end() - map_base_) / heap_page);
    map_size_pages_ = size_t(align_up(map_pages_, heap_page) / heap_page);
    const uint64_t a = pa->alloc(map_size_pages_);
    if (a == 0) return false;
    kind_ = reinterpret_cast<uint8_t*>(static_cast<uintptr_t>(a));
    memset(kind_, kind_none, map_pages_);
    pa_ = pa;
    set_kind(a, map_size_pages_, kind_meta);
    heap_bytes_ = map_size_pages_ * heap_page;
    for (size_t i = 0; i < nclasses; i++) {
        classes_[i].size = uint32_t((i + 1) * granule);
        classes_[i].shift = classes_[i].size <= 256 ? 0 : classes_[i].size <= 512 ? 1 : 2;
    }
    return true;
}

uint8_t Heap::kind_of(const void* p) const {
    const uint64_t a = reinterpret_cast<uintptr_t>(p);
    if (a < map_base_) return kind_none;
    const uint64_t i = (a - map_base_) / heap_page;
    return i < map_pages_ ? kind_[i] : uint8_t(kind_none);
}

void Heap::set_kind(uint64_t addr, size_t npages, uint8_t kind) {
    memset(kind_ + (addr - map_base_) / heap_page, kind, npages);
}

uint64_t Heap::take_pages(size_t n, uint64_t align) {
    uint64_t a = pa_->alloc(n, align);
    if (a == 0) {
        trim();
        a = pa_->alloc(n, align);
    }
    if (a != 0) heap_bytes_ += n * heap_page;
    return a;
}

void Heap::give_pages(uint64_t addr, size_t n) {
    pa_->free(addr, n);
    heap_bytes_ -= n * heap_page;
}

void Heap::trim() {
    for (size_t i = 0; i < nclasses; i++) {
        SizeClass& c = classes_[i];
        for (Slab* s = c.head; s;) {
            Slab* next = s->next;
            if (s->used == 0) {
                unlink(c, s);
                const size_t n = size_t(1) << s->shift;
                set_kind(reinterpret_cast<uintptr_t>(s), n, kind_none);
                give_pages(reinterpret_cast<uintptr_t>(s), n);
            }
            s = next;
        }
        c.empty = 0;
    }
    if (empty_pool_) release_pool(empty_pool_);
}

// ---- huge blocks: whole page runs, the pointer is the first page ----

void* Heap::huge_alloc(size_t size, size_t align) {
    if (align < heap_page) align = heap_page;
    const size_t n = size_t(align_up(size ? size : 1, heap_page) / heap_page);
    const uint64_t a = take_pages(n, align);
    if (a == 0) return nullptr;
    set_kind(a, 1, kind_huge_head);
    set_kind(a + heap_page, n - 1, kind_huge_tail);
    used_bytes_ += n * heap_page;
    live_++;
    return reinterpret_cast<void*>(static_cast<uintptr_t>(a));
}

size_t Heap::huge_pages(const void* p) const {
    const size_t first = size_t((reinterpret_cast<uintptr_t>(p) - map_base_) / heap_page);
    size_t i = first + 1;
    constexpr uint64_t tails = 0x0101010101010101ull * kind_huge_tail;
    while (i + 8 <= map_pages_) {                 // eight map bytes at a time
        uint64_t w;
        memcpy(&w, kind_ + i, 8);
        if (w != tails) break;
        i += 8;
    }
    while (i < map_pages_ && kind_[i] == kind_huge_tail) i++;
    return i - first;
}

void Heap::huge_free(void* p) {
    const size_t n = huge_pages(p);
    const uint64_t a = reinterpret_cast<uintptr_t>(p);
    set_kind(a, n, kind_none);
    give_pages(a, n);
    used_bytes_ -= n * heap_page;
    live_--;
}

void* Heap::huge_realloc(void* p, size_t size) {
    const size_t n = huge_pages(p);
    const size_t need = size_t(align_up(size, heap_page) / heap_page);
    const uint64_t a = reinterpret_cast<uintptr_t>(p);
    if (size < huge_min) {                        // small enough to leave the page run
        if (void* q = alloc(size); q != nullptr && kind_of(q) != kind_huge_head) {
            memcpy(q, p, size < n * heap_page ? size : n * heap_page);
            huge_free(p);
            return q;
        } else if (q != nullptr) {
            free(q);
        }
    }
    if (need <= n) {                              // shrink in place
        if (need < n) {
            set_kind(a + need * heap_page, n - need, kind_none);
            give_pages(a + need * heap_page, n - need);
            used_bytes_ -= (n - need) * heap_page;
        }
        return p;
    }
    if (pa_->grow(a, n, need)) {                  // the following pages were free
        set_kind(a + n * heap_page, need - n, kind_huge_tail);
        heap_bytes_ += (need - n) * heap_page;
        used_bytes_ += (need - n) * heap_page;
        return p;
    }
    void* q = huge_alloc(size, heap_page);
    if (q == nullptr) q = alloc_fallback(size, granule);
    if (q == nullptr) return nullptr;
    memcpy(q, p, n * heap_page);
    huge_free(p);
    return q;
}

// ---- routing ----

// The preferred allocator could not get pages: free space may remain in the others.
void* Heap::alloc_fallback(size_t size, size_t align) {
    void* p = tlsf_alloc(size, align, false);     // room inside existing pools
    if (p == nullptr && size > small_max) p = huge_alloc(size, align);
    if (p == nullptr) failed_++;
    return p;
}

void* Heap::alloc(size_t size) {
    if (pa_ == nullptr) return nullptr;
    if (size <= small_max) {
        if (void* p = small_alloc(size ? (size - 1) / granule : 0)) return p;
    } else if (size < huge_min) {
        if (void* p = tlsf_alloc(size, granule, true)) return p;
    } else if (size <= max_request) {
        if (void* p = huge_alloc(size, heap_page)) return p;
    } else {
        failed_++;
        return nullptr;
    }
    return alloc_fallback(size, granule);
}

void* Heap::alloc_aligned(size_t size, size_t align) {
    if (align <= granule) return alloc(size);
    if (pa_ == nullptr || (align & (align - 1)) || size > max_request || align > max_request) {
        failed_++;
        return nullptr;
    }
    void* p;
    if (align >= heap_page || size >= huge_min) {
        p = huge_alloc(size, align);
        if (p == nullptr) p = tlsf_alloc(size, align, false);
    } else {
        p = tlsf_alloc(size, align, true);
        if (p == nullptr) p = huge_alloc(size, align);
    }
    if (p == nullptr) failed_++;
    return p;
}

void Heap::free(void* p) {
    if (p == nullptr) return;
    const uint8_t k = kind_of(p);
    if ((k & 0xf0) == kind_slab) small_free(slab_of(p, k), p);
    else if (k == kind_pool) tlsf_free(Block::of(p));
    else if (k == kind_huge_head && (reinterpret_cast<uintptr_t>(p) & (heap_page - 1)) == 0) huge_free(p);
    else bad_frees_++;
}

size_t Heap::usable_size(const void* p) const {
    if (p == nullptr) return 0;
    const uint8_t k = kind_of(p);
    if ((k & 0xf0) == kind_slab) return classes_[slab_of(p, k)->cls].size;
    if (k == kind_pool) return Block::of(p)->size() - Block::header;
    if (k == kind_huge_head) return huge_pages(p) * heap_page;
    return 0;
}

void* Heap::realloc(void* p, size_t size) {
    if (p == nullptr) return alloc(size);
    if (size == 0) { free(p); return nullptr; }
    if (size > max_request) { failed_++; return nullptr; }
    const uint8_t k = kind_of(p);
    size_t old;
    if ((k & 0xf0) == kind_slab) {
        old = classes_[slab_of(p, k)->cls].size;
        if (size <= old && (size > old / 2 || old == granule)) return p;   // not worth a move
    } else if (k == kind_pool) {
        Block* b = Block::of(p);
        if (b->is_free()) { bad_frees_++; return nullptr; }
        old = b->size() - Block::header;
        if (size > small_max / 2 || size >= old) {
            if (tlsf_resize(b, size)) return p;
        }
    } else if (k == kind_huge_head) {
        return huge_realloc(p, size);
    } else {
        bad_frees_++;
        return nullptr;
    }
    void* q = alloc(size);
    if (q == nullptr) return size <= old ? p : nullptr;        // shrinking never fails
    memcpy(q, p, size < old ? size : old);
    free(p);
    return q;
}

Heap::Stats Heap::stats() const {
    Stats s{};
    s.used_bytes = used_bytes_;
    s.heap_bytes = heap_bytes_;
    s.free_pages = pa_ ? pa_->free_bytes() : 0;
    s.live_blocks = live_;
    s.failed = failed_;
    s.bad_frees = bad_frees_;
    return s;
}

const char* Heap::check() const {
    if (pa_ == nullptr) return nullptr;
    if (!pa_->check()) return "page allocator: bitmap and counters disagree";
    uint64_t used = 0, live = 0, held = map_size_pages_ * heap_page, pool_pages = 0;
    size_t listed = 0, empties[nclasses] = {};
    for (size_t i = 0; i < map_pages_;) {
        const uint8_t k = kind_[i];
        const uint64_t a = map_base_ + i * heap_page;
        if (k != kind_none && pa_->is_free(a)) return "page map: heap page is free in the page allocator";
        if ((k & 0xf0) == kind_slab) {
            const size_t n = size_t(1) << (k & 3);
            if (a & (n * heap_page - 1)) return "slab: not aligned to its size";
            for (size_t j = 1; j < n; j++)
                if (i + j >= map_pages_ || kind_[i + j] != k) return "slab: pages not marked";
            const Slab* s = reinterpret_cast<const Slab*>(static_cast<uintptr_t>(a));
            if (const char* e = check_slab(s, used, live)) return e;
            if (s->shift != (k & 3)) return "slab: header and page map disagree on its size";
            listed += s->in_list;
            if (s->used == 0) empties[s->cls]++;
            held += n * heap_page;
            i += n;
        } else if (k == kind_huge_head) {
            const size_t n = huge_pages(reinterpret_cast<const void*>(static_cast<uintptr_t>(a)));
            used += n * heap_page;
            live++;
            held += n * heap_page;
            i += n;
        } else if (k == kind_huge_tail) {
            return "page map: huge tail without a head";
        } else {
            if (k == kind_pool) pool_pages++;
            else if (k == kind_meta && (a < reinterpret_cast<uintptr_t>(kind_) ||
                                         a >= reinterpret_cast<uintptr_t>(kind_) + map_size_pages_ * heap_page))
                return "page map: stray meta page";
            else if (k != kind_none && k != kind_meta) return "page map: unknown kind";
            i++;
        }
    }
    for (size_t c = 0; c < nclasses; c++) {
        if (empties[c] != classes_[c].empty) return "slab: empty count wrong";
        if (empties[c] > 1) return "slab: more than one cached empty slab";
        const Slab* prev = nullptr;
        for (const Slab* s = classes_[c].head; s; prev = s, s = s->next) {
            if (s->prev != prev || s->cls != c || !s->in_list) return "slab: class list broken";
            if (listed-- == 0) return "slab: class list longer than the listed slabs";
        }
        if (classes_[c].tail != prev) return "slab: class tail wrong";
    }
    if (listed != 0) return "slab: a slab with room is not on its class list";
    uint64_t pool_held = 0;
    if (const char* e = check_pools(used, live, pool_held)) return e;
    if (pool_held != pool_pages * heap_page) return "pool: page count differs from the pool list";
    held += pool_held;
    if (used != used_bytes_) return "stats: used bytes wrong";
    if (live != live_) return "stats: live block count wrong";
    if (held != heap_bytes_) return "stats: heap bytes wrong";
    return nullptr;
}

} // namespace kernel
