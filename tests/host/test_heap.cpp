// The heap over a host arena: every size path, alignment, realloc in and out of place,
// exhaustion and recovery, a randomized run against a model, and the kheap_* C API.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "kernel/heap.hpp"
#include "kernel/heap_core.hpp"
#include "mem_arena.hpp"

using kernel::Heap;
using kernel::PageAllocator;
using memtest::Arena;

namespace {

struct HeapTest : ::testing::Test {
    Arena ram{32u << 20};
    PageAllocator pa;
    Heap h;
    void SetUp() override {
        ASSERT_TRUE(memtest::init_pages(pa, ram));
        ASSERT_TRUE(h.init(&pa));
    }
    void expect_ok() { const char* e = h.check(); EXPECT_EQ(e, nullptr) << e; }
    bool inside(const void* p) { return ram.contains(reinterpret_cast<uintptr_t>(p)); }
};

void fill(void* p, size_t n, uint8_t seed) {
    auto* b = static_cast<uint8_t*>(p);
    for (size_t i = 0; i < n; i++) b[i] = uint8_t(seed + i * 7);
}
bool verify(const void* p, size_t n, uint8_t seed) {
    auto* b = static_cast<const uint8_t*>(p);
    for (size_t i = 0; i < n; i++) if (b[i] != uint8_t(seed + i * 7)) return false;
    return true;
}

TEST_F(HeapTest, EverySizePath) {
    std::vector<std::pair<void*, size_t>> blocks;
    for (size_t size : std::initializer_list<size_t>{0, 1, 15, 16, 17, 100, 256, 257, 512, 1000, 1024, 1025, 4000, 65536, 65537,
                        100000, 1u << 20}) {
        void* p = h.alloc(size);
        ASSERT_NE(p, nullptr) << size;
        EXPECT_TRUE(inside(p));
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u) << size;
        EXPECT_GE(h.usable_size(p), size);
        fill(p, size, uint8_t(size));
        blocks.push_back({p, size});
    }
    EXPECT_EQ(h.usable_size(blocks[0].first), 16u);
    EXPECT_EQ(h.usable_size(blocks[10].first), 1024u);                 // the largest class
    EXPECT_EQ(h.usable_size(blocks[13].first), 64u * 1024);            // 65536: medium, exact
    EXPECT_EQ(reinterpret_cast<uintptr_t>(blocks[14].first) % 4096, 0u); // 65537: pages
    expect_ok();
    uint64_t used = 0;
    for (auto& [p, n] : blocks) used += h.usable_size(p);
    EXPECT_EQ(h.stats().used_bytes, used);
    EXPECT_EQ(h.stats().live_blocks, blocks.size());
    for (auto& [p, n] : blocks) {
        EXPECT_TRUE(verify(p, n, uint8_t(n))) << n;
        h.free(p);
    }
    EXPECT_EQ(h.stats().used_bytes, 0u);
    EXPECT_EQ(h.stats().live_blocks, 0u);
    expect_ok();
}

TEST_F(HeapTest, AlignedAllocations) {
    std::vector<void*> ps;
    for (size_t align : std::initializer_list<size_t>{1, 16, 32, 64, 256, 2048, 4096, 8192, 1u << 21})
        for (size_t size : std::initializer_list<size_t>{1, 24, 1000, 5000, 70000}) {
            void* p = h.alloc_aligned(size, align);
            ASSERT_NE(p, nullptr) << size << " @ " << align;
            EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % (align < 16 ? 16 : align), 0u) << size << " @ " << align;
            EXPECT_GE(h.usable_size(p), size);
            fill(p, size, 3);
            ps.push_back(p);
        }
    expect_ok();
    EXPECT_EQ(h.alloc_aligned(100, 48), nullptr);                       // not a power of two
    for (void* p : ps) h.free(p);
    EXPECT_EQ(h.stats().used_bytes, 0u);
    expect_ok();
}

TEST_F(HeapTest, ReallocKeepsContentsAcrossAllPaths) {
    void* p = h.alloc(10);
    fill(p, 10, 9);
    size_t have = 10;
    for (size_t size : std::initializer_list<size_t>{20, 500, 1024, 3000, 60000, 70000, 300000, 5000000, 80000, 9000, 600, 40, 8}) {
        void* q = h.realloc(p, size);
        ASSERT_NE(q, nullptr) << size;
        const size_t keep = have < size ? have : size;
        ASSERT_TRUE(verify(q, keep, 9)) << size;
        fill(q, size, 9);
        have = size;
        p = q;
        expect_ok();
    }
    EXPECT_EQ(h.realloc(p, 0), nullptr);                                // frees
    EXPECT_EQ(h.stats().live_blocks, 0u);
    void* n = h.realloc(nullptr, 33);                                    // allocates
    EXPECT_NE(n, nullptr);
    h.free(n);
    expect_ok();
}

TEST_F(HeapTest, ReallocGrowsInPlace) {
    void* a = h.alloc(2000);                  // medium, followed by the rest of a fresh pool
    void* a2 = h.realloc(a, 30000);
    EXPECT_EQ(a2, a);
    void* a3 = h.realloc(a2, 3000);           // shrinking splits in place
    EXPECT_EQ(a3, a);
    void* big = h.alloc(100000);              // pages; the next pages are free
    fill(big, 100000, 5);
    void* big2 = h.realloc(big, 4u << 20);
    EXPECT_EQ(big2, big);
    EXPECT_TRUE(verify(big2, 100000, 5));
    void* big3 = h.realloc(big2, 200000);     // shrinks in place, tail pages go back
    EXPECT_EQ(big3, big);
    EXPECT_EQ(h.usable_size(big3), 200704u);
    void* s = h.alloc(40);
    EXPECT_EQ(h.realloc(s, 48), s);           // same class
    EXPECT_EQ(h.realloc(s, 30), s);           // not worth moving
    h.free(a3);
    h.free(big3);
    h.free(s);
    expect_ok();
}

TEST_F(HeapTest, FailedHugeRequestLeavesHeapIntact) {
    void* keep = h.alloc(300);
    fill(keep, 300, 1);
    const Heap::Stats before = h.stats();
    EXPECT_EQ(h.alloc(size_t(1) << 40), nullptr);                       // 1 TiB
    EXPECT_EQ(h.alloc(SIZE_MAX), nullptr);
    EXPECT_EQ(h.alloc(64u << 20), nullptr);                             // more than the arena
    EXPECT_EQ(h.alloc_aligned(SIZE_MAX - 100, 4096), nullptr);
    EXPECT_EQ(h.realloc(keep, size_t(1) << 40), nullptr);
    EXPECT_EQ(h.realloc(keep, 64u << 20), nullptr);
    EXPECT_TRUE(verify(keep, 300, 1));
    const Heap::Stats after = h.stats();
    EXPECT_EQ(after.used_bytes, before.used_bytes);
    EXPECT_EQ(after.live_blocks, before.live_blocks);
    EXPECT_EQ(after.failed, before.failed + 6);
    expect_ok();
    h.free(keep);
}

TEST_F(HeapTest, ExhaustionThenRecovery) {
    for (size_t size : std::initializer_list<size_t>{32, 700, 5000, 200000}) {
        std::vector<void*> ps;
        for (void* p; (p = h.alloc(size)) != nullptr;) { ps.push_back(p); *static_cast<size_t*>(p) = ps.size(); }
        EXPECT_GT(ps.size() * size, (28u << 20)) << size << ": RAM left unused";
        expect_ok();
        EXPECT_EQ(h.alloc(size), nullptr);
        for (size_t i = 0; i < ps.size(); i++) ASSERT_EQ(*static_cast<size_t*>(ps[i]), i + 1);
        for (void* p : ps) h.free(p);
        EXPECT_EQ(h.stats().used_bytes, 0u);
        expect_ok();
        void* big = h.alloc(24u << 20);                                 // one block: recovered
        EXPECT_NE(big, nullptr) << "after " << size;
        h.free(big);
    }
}

TEST_F(HeapTest, MixedExhaustionUsesEveryFreeCorner) {
    std::vector<void*> small;
    for (void* p; (p = h.alloc(2048)) != nullptr;) small.push_back(p);
    for (size_t i = 0; i < small.size(); i += 2) h.free(small[i]);       // holes inside pools
    size_t got = 0;
    for (void* p; (p = h.alloc(900)) != nullptr;) got++;                // slab pages gone: pools serve
    EXPECT_GT(got, small.size() / 2);
    expect_ok();
}

TEST_F(HeapTest, BadFreesAreIgnoredAndCounted) {
    int on_stack;
    h.free(&on_stack);
    void* m = h.alloc(3000);
    h.free(m);
    h.free(m);                                                           // double free (medium)
    void* s = h.alloc(64);
    h.free(s);
    h.free(s);                                                           // into an empty slab
    EXPECT_EQ(h.stats().bad_frees, 3u);
    EXPECT_EQ(h.usable_size(&on_stack), 0u);
    EXPECT_EQ(h.realloc(&on_stack, 10), nullptr);
    expect_ok();
}

TEST_F(HeapTest, RandomizedAgainstModel) {
    std::mt19937_64 rng(777);
    struct Live { void* p; size_t n; uint8_t seed; };
    std::vector<Live> live;
    auto pick_size = [&]() -> size_t {
        unsigned r = unsigned(rng() % 1000);
        if (r < 700) return rng() % 128;
        if (r < 930) return 128 + rng() % 900;
        if (r < 995) return 1024 + rng() % 60000;
        return 65536 + rng() % (1u << 20);
    };
    for (int i = 0; i < 200000; i++) {
        unsigned op = unsigned(rng() % 100);
        if (op < 45 || live.empty()) {
            size_t n = pick_size();
            size_t align = rng() % 50 == 0 ? size_t(32) << (rng() % 9) : 0;
            void* p = align ? h.alloc_aligned(n, align) : h.alloc(n);
            if (!p) continue;
            if (align) { ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % align, 0u); }
            uint8_t seed = uint8_t(rng());
            fill(p, n, seed);
            live.push_back({p, n, seed});
        } else if (op < 80) {
            size_t k = rng() % live.size();
            ASSERT_TRUE(verify(live[k].p, live[k].n, live[k].seed)) << "op " << i;
            h.free(live[k].p);
            live[k] = live.back();
            live.pop_back();
        } else {
            size_t k = rng() % live.size();
            size_t n = rng() % 2 ? pick_size() : live[k].n + rng() % 256;
            void* q = h.realloc(live[k].p, n ? n : 1);
            if (!q) { ASSERT_TRUE(verify(live[k].p, live[k].n, live[k].seed)); continue; }
            size_t keep = live[k].n < n ? live[k].n : n;
            ASSERT_TRUE(verify(q, keep, live[k].seed)) << "op " << i;
            fill(q, n, live[k].seed);
            live[k].p = q;
            live[k].n = n;
        }
        if (i % 5000 == 0) {
            const char* e = h.check();
            ASSERT_EQ(e, nullptr) << e << " at op " << i;
            uint64_t used = 0;
            for (auto& l : live) used += h.usable_size(l.p);
            ASSERT_EQ(h.stats().used_bytes, used);
        }
    }
    for (auto& l : live) { ASSERT_TRUE(verify(l.p, l.n, l.seed)); h.free(l.p); }
    EXPECT_EQ(h.stats().used_bytes, 0u);
    expect_ok();
    h.trim();
    expect_ok();
    EXPECT_EQ(h.stats().heap_bytes, 8192u);                              // only the page map is left
}

TEST(KheapApi, GlobalHeapOverPages) {
    EXPECT_EQ(kheap_alloc(10), nullptr) << "not bound yet";
    Arena ram(8u << 20);
    ASSERT_TRUE(memtest::init_pages(kernel::pages(), ram));
    ASSERT_TRUE(kernel::heap().init(&kernel::pages()));
    void* p = kheap_calloc(10, 10);
    ASSERT_NE(p, nullptr);
    for (int i = 0; i < 100; i++) EXPECT_EQ(static_cast<uint8_t*>(p)[i], 0);
    EXPECT_EQ(kheap_calloc(SIZE_MAX / 2, 3), nullptr);
    void* page = kheap_calloc_aligned(4096, 4096);
    ASSERT_NE(page, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(page) % 4096, 0u);
    EXPECT_EQ(static_cast<uint8_t*>(page)[4095], 0);
    void* l = kheap_lua_alloc(nullptr, nullptr, 0, 50);
    l = kheap_lua_alloc(nullptr, l, 50, 5000);
    EXPECT_GE(kheap_usable_size(l), 5000u);
    EXPECT_EQ(kheap_lua_alloc(nullptr, l, 5000, 0), nullptr);
    kheap_stats s = kheap_get_stats();
    EXPECT_EQ(s.live_blocks, 2u);
    EXPECT_EQ(s.used_bytes, kheap_usable_size(p) + 4096);
    EXPECT_EQ(s.total_bytes, s.heap_bytes + kernel::pages().free_bytes());
    EXPECT_EQ(s.free_bytes, s.total_bytes - s.used_bytes);
    EXPECT_EQ(s.total_bytes, kernel::pages().total_bytes() - 4096) << "all RAM but the page bitmap";
    kheap_free(p);
    kheap_free(page);
    kheap_trim();
    EXPECT_EQ(kheap_check(), nullptr);
    kernel::heap().init(nullptr);
}

} // namespace
