// Heap microbenchmark: one Lua-like trace of alloc/realloc/free (mostly small, short-lived
// objects; arrays that grow by doubling; a few big buffers) replayed on the kernel heap and on
// the host's malloc. Disabled by default; run it with
//   host_tests --gtest_also_run_disabled_tests --gtest_filter='*HeapBench*'
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <vector>

#include "kernel/heap_core.hpp"
#include "mem_arena.hpp"

namespace {

struct Op { uint32_t slot; uint32_t size; };   // size 0: free the slot; slot busy: realloc

std::vector<Op> lua_like_trace(size_t nops, size_t nslots, bool small_only) {
    std::mt19937_64 rng(2024);
    std::vector<uint32_t> sizes(nslots, 0);
    std::vector<Op> ops;
    ops.reserve(nops);
    auto small = [&]() -> uint32_t {                  // strings, tables, closures, upvalues
        static const uint32_t common[] = {24, 32, 40, 48, 56, 64, 72, 88};
        unsigned r = unsigned(rng() % 100);
        if (r < 70) return common[rng() % 8];
        if (r < 95) return 16 + uint32_t(rng() % 240);
        return 256 + uint32_t(rng() % 768);
    };
    size_t young = 0;                                  // recently allocated slots die first
    while (ops.size() < nops) {
        uint32_t s = uint32_t(rng() % nslots);
        if (rng() % 100 < 60) s = uint32_t((young + nslots - rng() % 64) % nslots);
        if (sizes[s] == 0) {
            unsigned r = unsigned(rng() % 1000);
            uint32_t n = r < 960 || small_only ? small() : r < 998 ? 1024 + uint32_t(rng() % 15000) : 65536 + uint32_t(rng() % 500000);
            ops.push_back({s, n});
            sizes[s] = n;
            young = s;
        } else if (sizes[s] < (small_only ? 512u : 32768u) && rng() % 100 < 15) {
            sizes[s] *= 2;                             // luaM_growvector: arrays double
            ops.push_back({s, sizes[s]});
        } else {
            ops.push_back({s, 0});
            sizes[s] = 0;
        }
    }
    return ops;
}

template <class Alloc, class Realloc, class Free>
double replay(const std::vector<Op>& ops, size_t nslots, Alloc a, Realloc r, Free f) {
    std::vector<void*> slot(nslots, nullptr);
    auto t0 = std::chrono::steady_clock::now();
    for (const Op& op : ops) {
        void*& p = slot[op.slot];
        if (op.size == 0) { f(p); p = nullptr; }
        else if (p == nullptr) { p = a(op.size); static_cast<char*>(p)[0] = 1; }
        else { p = r(p, op.size); static_cast<char*>(p)[op.size - 1] = 1; }
    }
    auto t1 = std::chrono::steady_clock::now();
    for (void* p : slot) if (p) f(p);
    return std::chrono::duration<double, std::nano>(t1 - t0).count() / double(ops.size());
}

TEST(HeapBench, DISABLED_LuaLikeTraceVersusMalloc) {
    constexpr size_t nops = 5000000, nslots = 20000;
    memtest::Arena ram(512u << 20);
    kernel::PageAllocator pa;
    ASSERT_TRUE(memtest::init_pages(pa, ram));
    kernel::Heap h;
    ASSERT_TRUE(h.init(&pa));
    for (bool small_only : {false, true}) {
        const std::vector<Op> ops = lua_like_trace(nops, nslots, small_only);
        for (int round = 0; round < 3; round++) {
            double k = replay(ops, nslots, [&](size_t n) { return h.alloc(n); },
                              [&](void* p, size_t n) { return h.realloc(p, n); }, [&](void* p) { h.free(p); });
            double m = replay(ops, nslots, [](size_t n) { return malloc(n); },
                              [](void* p, size_t n) { return realloc(p, n); }, [](void* p) { free(p); });
            printf("[ bench ] %s, %zu ops: kheap %.1f ns/op, host malloc %.1f ns/op\n",
                   small_only ? "small blocks only" : "mixed sizes", nops, k, m);
        }
    }
    EXPECT_EQ(h.check(), nullptr);
    EXPECT_EQ(h.stats().live_blocks, 0u);
}

} // namespace
