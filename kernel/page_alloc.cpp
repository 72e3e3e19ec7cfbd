// Bitmap page allocator. Searches go a 64-bit word at a time (count-trailing-zeros), so a run of
// thousands of pages is found by skipping whole words, and `hint_` skips the used low memory.
#include "kernel/page_alloc.hpp"

namespace kernel {
namespace {

constexpr uint64_t ps = PageAllocator::page_size;
constexpr uint64_t round_down(uint64_t x) { return x & ~(ps - 1); }
constexpr uint64_t round_up(uint64_t x) { return x > ~0ull - (ps - 1) ? ~0ull & ~(ps - 1) : (x + ps - 1) & ~(ps - 1); }
constexpr uint64_t ones = ~0ull;

// Without -mpopcnt GCC's builtin calls libgcc's __popcountdi2, which the kernel does not link.
unsigned popcount(uint64_t x) {
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return unsigned((x * 0x0101010101010101ull) >> 56);
}

// First page-aligned address >= cand where [cand, cand + size) avoids every obstacle.
uint64_t skip_obstacles(uint64_t cand, uint64_t size, const MemoryRange* ranges, size_t count,
                        const Reserved* reserved, size_t nreserved) {
    for (bool moved = true; moved;) {
        moved = false;
        for (size_t i = 0; i < nreserved; i++) {
            uint64_t b = round_down(reserved[i].base), e = round_up(reserved[i].end);
            if (cand < e && b < cand + size) { cand = e; moved = true; }
        }
        for (size_t i = 0; i < count; i++) {
            if (ranges[i].type == 1) continue;
            uint64_t b = round_down(ranges[i].base), e = round_up(ranges[i].base + ranges[i].length);
            if (cand < e && b < cand + size) { cand = e; moved = true; }
        }
    }
    return cand;
}

// First index in [from, to) whose bit is 1 (invert = 0) or 0 (invert = ~0), else `to`.
size_t scan(const uint64_t* map, size_t nwords, size_t from, size_t to, uint64_t invert) {
    if (from >= to) return to;
    size_t w = from >> 6;
    uint64_t x = (map[w] ^ invert) & (ones << (from & 63));
    for (;;) {
        if (x) {
            size_t i = (w << 6) + size_t(__builtin_ctzll(x));
            return i < to ? i : to;
        }
        if (++w >= nwords || (w << 6) >= to) return to;
        x = map[w] ^ invert;
    }
}

void fill(uint64_t* map, size_t from, size_t to, bool set) {
    while (from < to) {
        size_t w = from >> 6, b = from & 63, n = to - from < 64 - b ? to - from : 64 - b;
        const uint64_t mask = (n == 64 ? ones : ((1ull << n) - 1)) << b;
        if (set) map[w] |= mask;
        else map[w] &= ~mask;
        from += n;
    }
}

} // namespace

bool PageAllocator::init(const MemoryRange* ranges, size_t count, const Reserved* reserved, size_t nreserved) {
    *this = PageAllocator{};
    uint64_t lo = ones, hi = 0;
    for (size_t i = 0; i < count; i++) {
        if (ranges[i].type != 1) continue;
        uint64_t b = round_up(ranges[i].base), e = round_down(ranges[i].base + ranges[i].length);
        if (e <= b) continue;
        if (b < lo) lo = b;
        if (e > hi) hi = e;
    }
    if (hi <= lo) return false;

    const size_t npages = (hi - lo) / ps;
    const size_t nwords = (npages + 63) / 64;
    const uint64_t bitmap_size = round_up(nwords * 16);     // in-use map, then the fixed map

    uint64_t where = 0;
    for (size_t i = 0; i < count && where == 0; i++) {
        if (ranges[i].type != 1) continue;
        uint64_t b = round_up(ranges[i].base), e = round_down(ranges[i].base + ranges[i].length);
        if (b < ps) b = ps;                                   // page 0 is never used
        if (e <= b) continue;
        uint64_t cand = skip_obstacles(b, bitmap_size, ranges, count, reserved, nreserved);
        if (cand + bitmap_size <= e && cand + bitmap_size > cand) where = cand;
    }
    if (where == 0) return false;

    bits_ = reinterpret_cast<uint64_t*>(static_cast<uintptr_t>(where));
    nwords_ = nwords;
    base_ = lo;
    npages_ = npages;
    for (size_t w = 0; w < nwords; w++) bits_[w] = ones;

    auto page_of = [&](uint64_t addr) -> size_t {           // clip an address to a page index
        if (addr <= lo) return 0;
        if (addr >= hi) return npages;
        return size_t((addr - lo) / ps);
    };
    for (size_t i = 0; i < count; i++)                       // available RAM, rounded in
        if (ranges[i].type == 1)
            clear_range(page_of(round_up(ranges[i].base)), page_of(round_down(ranges[i].base + ranges[i].length)));
    for (size_t i = 0; i < count; i++)                       // anything else overlapping it wins
        if (ranges[i].type != 1)
            set_range(page_of(round_down(ranges[i].base)), page_of(round_up(ranges[i].base + ranges[i].length)));
    total_pages_ = count_clear(0, npages);

    if (lo == 0) set_range(0, 1);
    for (size_t i = 0; i < nreserved; i++)
        set_range(page_of(round_down(reserved[i].base)), page_of(round_up(reserved[i].end)));
    set_range(page_of(where), page_of(where + bitmap_size));
    fixed_ = bits_ + nwords;                                  // what may never be handed out
    for (size_t w = 0; w < nwords; w++) fixed_[w] = bits_[w];
    free_pages_ = count_clear(0, npages);
    hint_ = find_clear(0, npages);
    return true;
}

size_t PageAllocator::find_clear(size_t from, size_t to) const { return scan(bits_, nwords_, from, to, ones); }
size_t PageAllocator::find_set(size_t from, size_t to) const { return scan(bits_, nwords_, from, to, 0); }
void PageAllocator::set_range(size_t from, size_t to) { fill(bits_, from, to, true); }
void PageAllocator::clear_range(size_t from, size_t to) { fill(bits_, from, to, false); }

size_t PageAllocator::count_clear(size_t from, size_t to) const {
    size_t c = 0;
    while (from < to) {
        size_t w = from >> 6, b = from & 63, n = to - from < 64 - b ? to - from : 64 - b;
        uint64_t mask = (n == 64 ? ones : ((1ull << n) - 1)) << b;
        c += size_t(popcount(~bits_[w] & mask));
        from += n;
    }
    return c;
}

uint64_t PageAllocator::alloc(size_t n, uint64_t align) {
    if (bits_ == nullptr || n == 0 || n > free_pages_) return 0;
    if (align < ps) align = ps;
    if (align & (align - 1)) return 0;
    size_t p = find_clear(hint_, npages_);
    hint_ = p;
    while (p < npages_) {
        const uint64_t addr = base_ + p * ps;
        const uint64_t aligned = (addr + align - 1) & ~(align - 1);
        if (aligned < addr) return 0;                            // past the top of the address space
        p = size_t((aligned - base_) / ps);
        if (p > npages_ || n > npages_ - p) return 0;
        const size_t q = find_set(p, p + n);
        if (q == p + n) {
            set_range(p, p + n);
            free_pages_ -= n;
            if (p == hint_) hint_ = p + n;
            return aligned;
        }
        p = find_clear(q + 1, npages_);
    }
    return 0;
}

bool PageAllocator::free(uint64_t addr, size_t n) {
    if (bits_ == nullptr || n == 0 || (addr & (ps - 1)) || addr < base_ || addr >= end()) return false;
    const size_t p = size_t((addr - base_) / ps);
    if (n > npages_ - p) return false;
    if (find_clear(p, p + n) != p + n) return false;             // a page in the run is not allocated
    if (scan(fixed_, nwords_, p, p + n, 0) != p + n) return false;  // or is reserved, not RAM
    clear_range(p, p + n);
    free_pages_ += n;
    if (p < hint_) hint_ = p;
    return true;
}

bool PageAllocator::grow(uint64_t addr, size_t n, size_t new_n) {
    if (bits_ == nullptr || (addr & (ps - 1)) || addr < base_ || addr >= end()) return false;
    const size_t p = size_t((addr - base_) / ps);
    if (n > npages_ - p) return false;
    if (new_n <= n) return true;
    if (new_n > npages_ - p) return false;
    if (find_set(p + n, p + new_n) != p + new_n) return false;
    set_range(p + n, p + new_n);
    free_pages_ -= new_n - n;
    return true;
}

void PageAllocator::reserve(uint64_t b, uint64_t e) {
    if (bits_ == nullptr) return;
    b = round_down(b);
    e = round_up(e);
    if (b < base_) b = base_;
    if (e > end()) e = end();
    if (e <= b) return;
    const size_t from = size_t((b - base_) / ps), to = size_t((e - base_) / ps);
    free_pages_ -= count_clear(from, to);
    set_range(from, to);
    fill(fixed_, from, to, true);
}

bool PageAllocator::is_free(uint64_t addr) const {
    if (bits_ == nullptr || addr < base_ || addr >= end()) return false;
    const size_t p = size_t((addr - base_) / ps);
    return !(bits_[p >> 6] >> (p & 63) & 1);
}

uint64_t PageAllocator::largest_free_run() const {
    if (bits_ == nullptr) return 0;
    size_t best = 0;
    for (size_t p = find_clear(hint_, npages_); p < npages_;) {
        const size_t q = find_set(p, npages_);
        if (q - p > best) best = q - p;
        p = find_clear(q, npages_);
    }
    return best * ps;
}

bool PageAllocator::check() const {
    if (bits_ == nullptr) return true;
    if (count_clear(0, npages_) != free_pages_) return false;
    if (find_clear(0, hint_) != hint_) return false;            // hint_ must be a lower bound
    if (free_pages_ > total_pages_) return false;
    for (size_t w = 0; w < nwords_; w++)
        if (fixed_[w] & ~bits_[w]) return false;                  // a reserved page is free
    const uint64_t bm = bitmap_address();
    for (uint64_t a = round_down(bm); a < bm + bitmap_bytes(); a += ps)
        if (a >= base_ && a < end() && is_free(a)) return false;  // the bitmap must stay allocated
    return true;
}

namespace {
PageAllocator g_pages;   // constant-initialized: usable before constructors run
}
PageAllocator& pages() { return g_pages; }

} // namespace kernel
