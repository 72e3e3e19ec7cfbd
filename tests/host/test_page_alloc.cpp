// Page allocator over host memory: placement of the bitmap, reservations, alignment, runs,
// exhaustion and a randomized run against a model of which pages are taken.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>
#include <set>

#include "kernel/page_alloc.hpp"
#include "mem_arena.hpp"

using kernel::MemoryRange;
using kernel::PageAllocator;
using kernel::Reserved;
using memtest::Arena;

namespace {
constexpr uint64_t P = PageAllocator::page_size;

bool overlaps(uint64_t a, uint64_t n, uint64_t b, uint64_t e) { return a < e && b < a + n; }

TEST(PageAlloc, BitmapLivesInFreeRamAndIsNotHandedOut) {
    Arena ram(16u << 20);
    const uint64_t b = ram.base();
    Reserved res[2] = {{b, b + 0x10000}, {b + 0x10000 + 5, b + 0x20001}};   // unaligned: rounded out
    MemoryRange r = ram.range();
    PageAllocator pa;
    ASSERT_TRUE(pa.init(&r, 1, res, 2));
    EXPECT_EQ(pa.total_bytes(), 16u << 20);
    EXPECT_EQ(pa.bitmap_bytes(), 2 * (16u << 20) / P / 8);
    EXPECT_EQ(pa.bitmap_address(), b + 0x21000);                          // first fit after both
    EXPECT_EQ(pa.free_bytes(), (16u << 20) - 0x21000 - P);
    EXPECT_TRUE(pa.check());
    std::set<uint64_t> got;
    for (uint64_t a; (a = pa.alloc(1)) != 0;) {
        ASSERT_TRUE(ram.contains(a, P));
        ASSERT_EQ(a % P, 0u);
        ASSERT_FALSE(overlaps(a, P, b, b + 0x21000));
        ASSERT_FALSE(overlaps(a, P, pa.bitmap_address(), pa.bitmap_address() + pa.bitmap_bytes()));
        ASSERT_TRUE(got.insert(a).second);
    }
    EXPECT_EQ(got.size() * P, (16u << 20) - 0x21000 - P);
    EXPECT_EQ(pa.free_bytes(), 0u);
    EXPECT_EQ(pa.alloc(1), 0u);
    for (uint64_t a : got) ASSERT_TRUE(pa.free(a, 1));
    EXPECT_EQ(pa.free_bytes(), (16u << 20) - 0x21000 - P);
    EXPECT_TRUE(pa.check());
}

TEST(PageAlloc, HolesTypesAndUnalignedRanges) {
    Arena ram(8u << 20);
    const uint64_t b = ram.base();
    MemoryRange rs[4] = {
        {b + 100, 0x100000 - 100, 1},              // rounded in: starts at b + 4 KiB
        {b + 0x200000, 0x200000 + 123, 1},         // a 1 MiB gap before it; tail rounded off
        {b + 0x300000, 0x2000, 2},                 // reserved inside available RAM: wins
        {b + 0x600000, 0x100000, 3},               // ACPI data outside RAM: ignored
    };
    PageAllocator pa;
    ASSERT_TRUE(pa.init(rs, 4, nullptr, 0));
    EXPECT_EQ(pa.base(), b + P);
    EXPECT_EQ(pa.end(), b + 0x400000);
    EXPECT_EQ(pa.total_bytes(), (0x100000 - P) + 0x200000 - 0x2000);
    for (uint64_t a; (a = pa.alloc(1)) != 0;) {
        ASSERT_FALSE(overlaps(a, P, b + 0x100000, b + 0x200000)) << "gap";
        ASSERT_FALSE(overlaps(a, P, b + 0x300000, b + 0x302000)) << "type 2";
        ASSERT_TRUE(overlaps(a, P, b + P, b + 0x100000) || overlaps(a, P, b + 0x200000, b + 0x400000));
    }
    EXPECT_TRUE(pa.check());
}

TEST(PageAlloc, NoRamOrNoRoomForTheBitmap) {
    Arena ram(1u << 20);
    PageAllocator pa;
    MemoryRange none = {ram.base(), ram.size, 2};
    EXPECT_FALSE(pa.init(&none, 1, nullptr, 0));
    MemoryRange r = ram.range();
    Reserved all = {ram.base(), ram.end()};
    EXPECT_FALSE(pa.init(&r, 1, &all, 1));
    EXPECT_EQ(pa.alloc(1), 0u);
    EXPECT_FALSE(pa.free(ram.base(), 1));
}

TEST(PageAlloc, PageZeroIsNeverHandedOut) {
    Arena low(4u << 20, 4096, true);                   // below 2 GiB: a bitmap from 0 stays small
    ASSERT_NE(low.mem, nullptr);
    MemoryRange r = {0, low.end(), 1};
    Reserved res = {P, low.base()};                    // everything but page 0 and the arena
    PageAllocator pa;
    ASSERT_TRUE(pa.init(&r, 1, &res, 1));
    EXPECT_FALSE(pa.is_free(0));
    for (uint64_t a; (a = pa.alloc(1)) != 0;) ASSERT_TRUE(low.contains(a, P));
    EXPECT_FALSE(pa.free(0, 1));
    EXPECT_FALSE(pa.free(low.base() - P, 1)) << "reserved";
    EXPECT_TRUE(pa.check());
}

TEST(PageAlloc, AlignmentAndRuns) {
    Arena ram(32u << 20, 4u << 20);
    PageAllocator pa;
    ASSERT_TRUE(memtest::init_pages(pa, ram));
    const uint64_t one = pa.alloc(1);                  // makes the low end ragged
    for (uint64_t align : {P * 2, uint64_t(64) << 10, uint64_t(2) << 20, uint64_t(4) << 20}) {
        const uint64_t a = pa.alloc(3, align);
        ASSERT_NE(a, 0u);
        EXPECT_EQ(a % align, 0u) << align;
        memset(reinterpret_cast<void*>(a), 1, 3 * P);
        EXPECT_TRUE(pa.free(a, 3));
    }
    EXPECT_EQ(pa.alloc(1, 3 * P), 0u);                 // not a power of two
    EXPECT_EQ(pa.alloc(0), 0u);
    const uint64_t big = pa.alloc(4096);               // 16 MiB in one run
    ASSERT_NE(big, 0u);
    EXPECT_TRUE(ram.contains(big, 4096 * P));
    EXPECT_EQ(pa.alloc(8192), 0u);                     // 32 MiB cannot fit any more
    EXPECT_TRUE(pa.free(big, 4096));
    EXPECT_TRUE(pa.free(one, 1));
    EXPECT_FALSE(pa.free(one, 1)) << "double free";
    EXPECT_FALSE(pa.free(one + 1, 1)) << "unaligned";
    EXPECT_FALSE(pa.free(ram.end() + P, 1)) << "outside";
    EXPECT_EQ(pa.largest_free_run(), pa.free_bytes());
    EXPECT_TRUE(pa.check());
}

TEST(PageAlloc, GrowInPlaceAndReserveLater) {
    Arena ram(4u << 20);
    PageAllocator pa;
    ASSERT_TRUE(memtest::init_pages(pa, ram));
    const uint64_t a = pa.alloc(2);
    const uint64_t free_before = pa.free_bytes();
    EXPECT_TRUE(pa.grow(a, 2, 10));
    EXPECT_EQ(pa.free_bytes(), free_before - 8 * P);
    const uint64_t b = pa.alloc(1);
    EXPECT_EQ(b, a + 10 * P);
    EXPECT_FALSE(pa.grow(a, 10, 11));                   // b is in the way
    EXPECT_TRUE(pa.free(a, 10));
    pa.reserve(b + P + 1, b + 3 * P);                   // rounded out: pages b+1, b+2
    EXPECT_FALSE(pa.is_free(b + P));
    EXPECT_FALSE(pa.is_free(b + 2 * P));
    EXPECT_TRUE(pa.is_free(b + 3 * P));
    EXPECT_TRUE(pa.check());
}

TEST(PageAlloc, RandomizedAgainstModel) {
    Arena ram(16u << 20);
    PageAllocator pa;
    ASSERT_TRUE(memtest::init_pages(pa, ram));
    std::mt19937_64 rng(12345);
    std::map<uint64_t, size_t> live;                    // address -> pages
    std::vector<uint8_t> owner(ram.size / P, 0);
    const uint64_t start_free = pa.free_bytes();
    for (int i = 0; i < 20000; i++) {
        if (live.empty() || rng() % 100 < 55) {
            size_t n = rng() % 4 == 0 ? 1 + rng() % 200 : 1 + rng() % 4;
            uint64_t align = P << (rng() % 4 == 0 ? rng() % 8 : 0);
            uint64_t a = pa.alloc(n, align);
            if (a == 0) continue;
            ASSERT_EQ(a % align, 0u);
            ASSERT_TRUE(ram.contains(a, n * P));
            for (size_t k = 0; k < n; k++) {
                uint8_t& o = owner[(a - ram.base()) / P + k];
                ASSERT_EQ(o, 0) << "page handed out twice";
                o = 1;
            }
            live[a] = n;
        } else {
            auto it = live.begin();
            std::advance(it, rng() % live.size());
            ASSERT_TRUE(pa.free(it->first, it->second));
            for (size_t k = 0; k < it->second; k++) owner[(it->first - ram.base()) / P + k] = 0;
            live.erase(it);
        }
        if (i % 1000 == 0) { ASSERT_TRUE(pa.check()); }
    }
    for (auto& [a, n] : live) ASSERT_TRUE(pa.free(a, n));
    EXPECT_EQ(pa.free_bytes(), start_free);
    EXPECT_TRUE(pa.check());
}

TEST(PageAlloc, LargeRunsAreFast) {
    Arena ram(256u << 20);
    PageAllocator pa;
    ASSERT_TRUE(memtest::init_pages(pa, ram));
    for (uint64_t a = pa.alloc(1); a != 0 && pa.free_bytes() > (128u << 20); a = pa.alloc(1)) {}
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 1000; i++) {                    // a 64 MiB run past 128 MiB of used pages
        uint64_t a = pa.alloc(16384);
        ASSERT_NE(a, 0u);
        pa.free(a, 16384);
    }
    double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / 1000;
    EXPECT_LT(us, 500.0);
    printf("[ info ] alloc+free of a 64 MiB run above 128 MiB of used pages: %.1f us\n", us);
}

} // namespace
