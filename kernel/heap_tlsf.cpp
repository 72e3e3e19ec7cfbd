// Medium blocks: TLSF (Masmano et al., "TLSF: a new dynamic memory allocator for real-time
// systems", 2004). Free blocks sit in fl_count x 16 lists indexed by (log2 size, next 4 bits);
// two bitmaps find a non-empty list that surely fits in O(1). Boundary tags (prev_size and the
// prev-free bit) let free() merge with both neighbours, so no two free blocks are ever adjacent.
#include "kernel/heap_internal.hpp"

namespace kernel {
namespace {

unsigned msb(uint64_t x) { return 63u - unsigned(__builtin_clzll(x)); }

// Below 256 bytes the lists are exact 16-byte sizes (fl 0); above, 16 lists per power of two.
void mapping(uint64_t size, size_t& fl, size_t& sl, size_t fl_count) {
    if (size < 256) { fl = 0; sl = size_t(size >> 4); return; }
    const unsigned m = msb(size);
    fl = m - 7;
    sl = size_t(size >> (m - 4)) & 15;
    if (fl >= fl_count) { fl = fl_count - 1; sl = 15; }
}

uint64_t block_size_for(size_t size) {
    const uint64_t b = align_up(size, Heap::granule) + 16;
    return b < 32 ? 32 : b;
}

} // namespace

void Heap::insert_free(Block* b) {
    size_t fl, sl;
    mapping(b->size(), fl, sl, fl_count);
    Block* head = free_[fl][sl];
    b->next_free = head;
    b->prev_free = nullptr;
    if (head) head->prev_free = b;
    free_[fl][sl] = b;
    fl_map_ |= 1ull << fl;
    sl_map_[fl] |= 1u << sl;
}

void Heap::remove_free(Block* b) {
    size_t fl, sl;
    mapping(b->size(), fl, sl, fl_count);
    if (b->prev_free) b->prev_free->next_free = b->next_free;
    else free_[fl][sl] = b->next_free;
    if (b->next_free) b->next_free->prev_free = b->prev_free;
    if (free_[fl][sl] == nullptr) {
        sl_map_[fl] &= ~(1u << sl);
        if (sl_map_[fl] == 0) fl_map_ &= ~(1ull << fl);
    }
}

Heap::Block* Heap::find_free(size_t bsize) {
    // Round up to the next list boundary: every block in that list or above fits.
    uint64_t s = bsize;
    if (s >= 256) s += (1ull << (msb(s) - 4)) - 1;
    size_t fl, sl;
    mapping(s, fl, sl, fl_count);
    uint32_t slm = sl_map_[fl] & (~0u << sl);
    if (slm == 0) {
        const uint64_t flm = fl + 1 < 64 ? fl_map_ & (~0ull << (fl + 1)) : 0;
        if (flm != 0) {
            fl = size_t(__builtin_ctzll(flm));
            slm = sl_map_[fl];
        }
    }
    if (slm != 0) return free_[fl][size_t(__builtin_ctz(slm))];
    // Nothing surely fits: first fit in bsize's own list (blocks there may be big enough).
    mapping(bsize, fl, sl, fl_count);
    for (Block* b = free_[fl][sl]; b; b = b->next_free)
        if (b->size() >= bsize) return b;
    return nullptr;
}

Heap::Block* Heap::add_pool(size_t bsize) {
    const uint64_t need = align_up(bsize + sizeof(Pool) + Block::header, heap_page);
    uint64_t bytes = need > pool_bytes ? need : pool_bytes;
    uint64_t a = 0;
    for (;;) {                                   // short of RAM: a smaller pool still serves
        a = take_pages(bytes / heap_page, heap_page);
        if (a != 0 || bytes == need) break;
        bytes = bytes / 2 > need ? align_up(bytes / 2, heap_page) : need;
    }
    if (a == 0) return nullptr;
    set_kind(a, bytes / heap_page, kind_pool);
    Pool* pool = reinterpret_cast<Pool*>(static_cast<uintptr_t>(a));
    pool->bytes = bytes;
    pool->prev = nullptr;
    pool->next = pools_;
    if (pools_) pools_->prev = pool;
    pools_ = pool;
    Block* b = pool->first_block();
    b->prev_size = 0;
    b->size_flags = (bytes - sizeof(Pool) - Block::header) | Block::free_bit | Block::first_bit;
    Block* sentinel = b->next();
    sentinel->prev_size = b->size();
    sentinel->size_flags = Block::prev_free_bit;   // size 0, in use
    insert_free(b);
    return b;
}

void Heap::release_pool(Pool* pool) {
    remove_free(pool->first_block());
    if (pool->prev) pool->prev->next = pool->next; else pools_ = pool->next;
    if (pool->next) pool->next->prev = pool->prev;
    if (empty_pool_ == pool) empty_pool_ = nullptr;
    const uint64_t a = reinterpret_cast<uintptr_t>(pool);
    set_kind(a, pool->bytes / heap_page, kind_none);
    give_pages(a, pool->bytes / heap_page);
}

// b is leaving the free lists: if it was the whole cached empty pool, the pool is in use again.
void Heap::note_pool_use(Block* b) {
    if (empty_pool_ && b == empty_pool_->first_block()) empty_pool_ = nullptr;
}

void* Heap::tlsf_alloc(size_t size, size_t align, bool may_grow) {
    const uint64_t bsize = block_size_for(size);
    const uint64_t search = align > granule ? bsize + align + Block::min_size : bsize;
    Block* b = find_free(search);
    if (b == nullptr && (!may_grow || (b = add_pool(search)) == nullptr)) return nullptr;
    remove_free(b);
    note_pool_use(b);

    if (align > granule) {                        // cut a free block off the front
        uintptr_t u = align_up(reinterpret_cast<uintptr_t>(b) + Block::header, align);
        uint64_t gap = u - Block::header - reinterpret_cast<uintptr_t>(b);
        if (gap != 0 && gap < Block::min_size) { u += align; gap += align; }
        if (gap != 0) {
            Block* nb = reinterpret_cast<Block*>(u - Block::header);
            nb->size_flags = (b->size() - gap) | Block::free_bit | Block::prev_free_bit;
            nb->prev_size = gap;
            b->set_size(gap);
            insert_free(b);
            b = nb;
        }
    }
    const uint64_t rest = b->size() - bsize;
    if (rest >= Block::min_size) {                // give the tail back
        Block* r = reinterpret_cast<Block*>(reinterpret_cast<char*>(b) + bsize);
        r->size_flags = rest | Block::free_bit;
        b->set_size(bsize);
        Block* n = r->next();
        n->prev_size = rest;
        n->size_flags |= Block::prev_free_bit;
        insert_free(r);
    } else {
        b->next()->size_flags &= ~Block::prev_free_bit;
    }
    b->size_flags &= ~Block::free_bit;
    used_bytes_ += b->size() - Block::header;
    live_++;
    return b->payload();
}

void Heap::tlsf_free(Block* b) {
    if (b->is_free() || b->size() < Block::min_size) { bad_frees_++; return; }
    used_bytes_ -= b->size() - Block::header;
    live_--;
    b->size_flags |= Block::free_bit;
    if (b->prev_is_free()) {
        Block* p = b->prev();
        remove_free(p);
        p->set_size(p->size() + b->size());
        b = p;
    }
    Block* n = b->next();
    if (n->is_free()) {
        remove_free(n);
        b->set_size(b->size() + n->size());
        n = b->next();
    }
    n->prev_size = b->size();
    n->size_flags |= Block::prev_free_bit;
    insert_free(b);
    if (b->first() && n->size() == 0) {           // the whole pool is free
        Pool* pool = reinterpret_cast<Pool*>(reinterpret_cast<char*>(b) - sizeof(Pool));
        if (empty_pool_ != nullptr && empty_pool_ != pool) release_pool(pool);
        else empty_pool_ = pool;
    }
}

bool Heap::tlsf_resize(Block* b, size_t size) {
    const uint64_t bsize = block_size_for(size), cur = b->size();
    Block* n = b->next();
    uint64_t total = cur;
    if (bsize > cur) {
        if (!n->is_free() || cur + n->size() < bsize) return false;
        total = cur + n->size();
    }
    if (n->is_free()) { remove_free(n); total = cur + n->size(); }
    // b now spans `total` bytes (with the free neighbour, if any); keep bsize and free the rest.
    const uint64_t rest = total - bsize;
    used_bytes_ -= cur - Block::header;
    if (rest >= Block::min_size) {
        b->set_size(bsize);
        Block* r = b->next();
        r->size_flags = rest | Block::free_bit;
        Block* after = r->next();
        after->prev_size = rest;
        after->size_flags |= Block::prev_free_bit;
        insert_free(r);
    } else {
        b->set_size(total);
        b->next()->size_flags &= ~Block::prev_free_bit;
    }
    used_bytes_ += b->size() - Block::header;
    return true;
}

const char* Heap::check_pools(uint64_t& used, uint64_t& live, uint64_t& held) const {
    size_t free_in_pools = 0, whole_free = 0;
    for (Pool* pool = pools_; pool; pool = pool->next) {
        if (pool->next && pool->next->prev != pool) return "pool: list broken";
        if (kind_of(pool) != kind_pool || kind_of(reinterpret_cast<char*>(pool) + pool->bytes - 1) != kind_pool)
            return "pool: pages not marked";
        held += pool->bytes;
        const char* end = reinterpret_cast<char*>(pool) + pool->bytes - Block::header;
        Block* b = pool->first_block();
        if (!b->first()) return "pool: first block lacks its flag";
        bool prev_free = false;
        uint64_t prev_size = 0;
        for (;;) {
            const char* here = reinterpret_cast<const char*>(b);
            if (here > end) return "pool: block runs past the end";
            if (b->prev_is_free() != prev_free) return "block: prev-free bit wrong";
            if (prev_free && b->prev_size != prev_size) return "block: prev_size wrong";
            if (here == end) {
                if (b->size() != 0 || b->is_free()) return "pool: bad sentinel";
                break;
            }
            if (b->size() < Block::min_size || b->size() % 16) return "block: bad size";
            if (b->first() != (b == pool->first_block())) return "block: stray first bit";
            if (b->is_free()) {
                if (prev_free) return "block: two free neighbours";
                free_in_pools++;
                if (b->first() && here + b->size() == end) whole_free++;
            } else {
                used += b->size() - Block::header;
                live++;
            }
            prev_free = b->is_free();
            prev_size = b->size();
            b = b->next();
        }
    }
    if (whole_free > 1 || (whole_free == 1) != (empty_pool_ != nullptr)) return "pool: empty-pool cache wrong";
    size_t listed = 0;
    for (size_t fl = 0; fl < fl_count; fl++) {
        if (bool(fl_map_ >> fl & 1) != (sl_map_[fl] != 0)) return "tlsf: first-level bitmap wrong";
        for (size_t sl = 0; sl < sl_count; sl++) {
            if (bool(sl_map_[fl] >> sl & 1) != (free_[fl][sl] != nullptr)) return "tlsf: second-level bitmap wrong";
            const Block* prev = nullptr;
            for (const Block* b = free_[fl][sl]; b; prev = b, b = b->next_free) {
                size_t f, s;
                mapping(b->size(), f, s, fl_count);
                if (!b->is_free() || f != fl || s != sl) return "tlsf: block in the wrong list";
                if (b->prev_free != prev) return "tlsf: list links broken";
                if (kind_of(b) != kind_pool) return "tlsf: listed block outside the pools";
                if (++listed > free_in_pools) return "tlsf: more listed blocks than free ones";
            }
        }
    }
    if (listed != free_in_pools) return "tlsf: a free block is not listed";
    return nullptr;
}

} // namespace kernel
