// Boot information: byte images of multiboot2 and multiboot1 structures, well-formed and not,
// plus the module registry and memory_init, which consume the parsed result.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kernel/boot_info.hpp"
#include "kernel/heap.hpp"
#include "kernel/heap_core.hpp"
#include "kernel/memory.hpp"
#include "kernel/modules.hpp"
#include "mem_arena.hpp"

using namespace kernel;

namespace {

// ---- multiboot2 images ----
struct Mb2 {
    std::vector<uint8_t> b = std::vector<uint8_t>(8, 0);   // total_size, reserved
    void u32(uint32_t v) { b.insert(b.end(), reinterpret_cast<uint8_t*>(&v), reinterpret_cast<uint8_t*>(&v) + 4); }
    void u64(uint64_t v) { u32(uint32_t(v)); u32(uint32_t(v >> 32)); }
    void bytes(const void* p, size_t n) { b.insert(b.end(), static_cast<const uint8_t*>(p), static_cast<const uint8_t*>(p) + n); }
    void pad() { while (b.size() % 8) b.push_back(0); }
    size_t begin_tag(uint32_t type) { pad(); size_t at = b.size(); u32(type); u32(0); return at; }
    void end_tag(size_t at) { uint32_t size = uint32_t(b.size() - at); memcpy(&b[at + 4], &size, 4); }
    void string_tag(uint32_t type, const std::string& s) { size_t t = begin_tag(type); bytes(s.c_str(), s.size() + 1); end_tag(t); }
    void module(uint32_t start, uint32_t end, const std::string& s) {
        size_t t = begin_tag(3); u32(start); u32(end); bytes(s.c_str(), s.size() + 1); end_tag(t);
    }
    void mmap(const std::vector<MemoryRange>& rs, uint32_t entry_size = 24) {
        size_t t = begin_tag(6); u32(entry_size); u32(0);
        for (const auto& r : rs) {
            size_t e = b.size(); u64(r.base); u64(r.length); u32(r.type); u32(0);
            while (b.size() - e < entry_size) b.push_back(0xee);
        }
        end_tag(t);
    }
    void basic(uint32_t lower, uint32_t upper) { size_t t = begin_tag(4); u32(lower); u32(upper); end_tag(t); }
    const uint8_t* finish(bool end = true) {
        if (end) { pad(); u32(0); u32(8); }
        uint32_t total = uint32_t(b.size());
        memcpy(&b[0], &total, 4);
        return b.data();
    }
};

TEST(BootInfo, Multiboot2Complete) {
    Mb2 m;
    m.string_tag(1, "console=com1 debug");
    m.string_tag(2, "GRUB 2.06");
    m.module(0x400000, 0x401234, "lab1.lua");
    m.module(0x402000, 0x402010, "/boot/tests/vmx.lua tests/vmx.lua");
    m.mmap({{0, 0x9fc00, 1}, {0xf0000, 0x10000, 2}, {0x100000, 0x7ee0000, 1}});
    size_t t = m.begin_tag(8); m.u64(0xfd000000); m.end_tag(t);      // framebuffer: ignored
    const uint8_t* img = m.finish();
    BootInfo bi = parse_boot_info(multiboot2_magic, img);
    ASSERT_TRUE(bi.valid);
    EXPECT_FALSE(bi.truncated);
    EXPECT_EQ(bi.format, BootInfo::Format::multiboot2);
    EXPECT_STREQ(bi.cmdline, "console=com1 debug");
    EXPECT_STREQ(bi.loader, "GRUB 2.06");
    ASSERT_EQ(bi.module_count, 2u);
    EXPECT_EQ(bi.modules[0].start, 0x400000u);
    EXPECT_EQ(bi.modules[0].end, 0x401234u);
    EXPECT_STREQ(bi.modules[0].name, "lab1.lua");
    EXPECT_STREQ(bi.modules[1].name, "tests/vmx.lua");
    ASSERT_EQ(bi.range_count, 3u);
    EXPECT_EQ(bi.ranges[2].base, 0x100000u);
    EXPECT_EQ(bi.ranges[2].length, 0x7ee0000u);
    EXPECT_EQ(bi.ranges[1].type, 2u);
    EXPECT_EQ(available_ram(bi), 0x9fc00u + 0x7ee0000u);
    ASSERT_EQ(bi.info_span_count, 1u);
    EXPECT_EQ(bi.info_spans[0].base, reinterpret_cast<uintptr_t>(img));
    EXPECT_EQ(bi.info_spans[0].end, reinterpret_cast<uintptr_t>(img) + m.b.size());
    static BootInfo in_place;                                        // the no-temporary overload
    parse_boot_info(multiboot2_magic, img, in_place);
    EXPECT_EQ(memcmp(&in_place, &bi, sizeof bi), 0);
}

TEST(BootInfo, Multiboot2LargerMapEntries) {
    Mb2 m;
    m.mmap({{0x100000, 0x1000000, 1}, {0x2000000, 0x3000, 3}}, 40);
    BootInfo bi = parse_boot_info(multiboot2_magic, m.finish());
    ASSERT_EQ(bi.range_count, 2u);
    EXPECT_EQ(bi.ranges[1].base, 0x2000000u);
    EXPECT_EQ(bi.ranges[1].length, 0x3000u);
    EXPECT_EQ(bi.ranges[1].type, 3u);
}

TEST(BootInfo, Multiboot2EmptyMapFallsBackToBasicInfo) {
    Mb2 m;
    m.mmap({});
    m.basic(639, 31 * 1024);
    BootInfo bi = parse_boot_info(multiboot2_magic, m.finish());
    ASSERT_TRUE(bi.valid);
    ASSERT_EQ(bi.range_count, 2u);
    EXPECT_EQ(bi.ranges[0].length, 639u * 1024);
    EXPECT_EQ(bi.ranges[1].base, 0x100000u);
    EXPECT_EQ(bi.ranges[1].length, 31u << 20);
}

TEST(BootInfo, Multiboot2UnknownOddSizedTagsAreSkipped) {
    Mb2 m;
    size_t t = m.begin_tag(21); m.bytes("abcde", 5); m.end_tag(t);   // size 13: next tag at +16
    m.string_tag(1, "after");
    BootInfo bi = parse_boot_info(multiboot2_magic, m.finish());
    EXPECT_FALSE(bi.truncated);
    EXPECT_STREQ(bi.cmdline, "after");
}

TEST(BootInfo, Multiboot2TruncatedTagKeepsWhatCameBefore) {
    Mb2 m;
    m.string_tag(1, "kept");
    size_t t = m.begin_tag(3); m.u32(0x1000); m.u32(0x2000); m.bytes("x", 2); m.end_tag(t);
    uint32_t lie = 4096;                                             // module tag claims 4 KiB
    memcpy(&m.b[t + 4], &lie, 4);
    BootInfo bi = parse_boot_info(multiboot2_magic, m.finish());
    EXPECT_TRUE(bi.valid);
    EXPECT_TRUE(bi.truncated);
    EXPECT_STREQ(bi.cmdline, "kept");
    EXPECT_EQ(bi.module_count, 0u);
}

TEST(BootInfo, Multiboot2MissingEndTagAndTinyTags) {
    Mb2 m;
    m.string_tag(2, "loader");
    BootInfo bi = parse_boot_info(multiboot2_magic, m.finish(false));
    EXPECT_TRUE(bi.truncated);
    EXPECT_STREQ(bi.loader, "loader");

    Mb2 z;
    size_t t = z.begin_tag(1); z.end_tag(t);
    uint32_t four = 4;                                               // smaller than a tag header
    memcpy(&z.b[t + 4], &four, 4);
    bi = parse_boot_info(multiboot2_magic, z.finish());
    EXPECT_TRUE(bi.truncated);
    EXPECT_STREQ(bi.cmdline, "");
}

TEST(BootInfo, Multiboot2UnterminatedStringAndBadMapEntrySize) {
    Mb2 m;
    size_t t = m.begin_tag(1); m.bytes("abcdefgh", 8); m.end_tag(t); // no NUL inside the tag
    t = m.begin_tag(6); m.u32(8); m.u32(0); m.u64(0); m.end_tag(t);  // entry_size 8: nonsense
    BootInfo bi = parse_boot_info(multiboot2_magic, m.finish());
    EXPECT_TRUE(bi.truncated);
    EXPECT_STREQ(bi.cmdline, "abcdefgh");
    EXPECT_EQ(bi.range_count, 0u);
}

TEST(BootInfo, TooManyRangesAndBadModules) {
    Mb2 m;
    std::vector<MemoryRange> rs;
    for (uint64_t i = 0; i < 70; i++) rs.push_back({i << 20, 0x1000, 1});
    m.mmap(rs);
    m.module(0x5000, 0x4000, "backwards");
    m.string_tag(1, std::string(600, 'c'));
    BootInfo bi = parse_boot_info(multiboot2_magic, m.finish());
    EXPECT_TRUE(bi.truncated);
    EXPECT_EQ(bi.range_count, BootInfo::max_ranges);
    EXPECT_EQ(bi.module_count, 0u);
    EXPECT_EQ(strlen(bi.cmdline), BootInfo::max_cmdline - 1);
}

TEST(BootInfo, UnknownMagicOrNull) {
    uint8_t junk[64] = {};
    EXPECT_FALSE(parse_boot_info(0x12345678, junk).valid);
    EXPECT_FALSE(parse_boot_info(multiboot2_magic, nullptr).valid);
    uint32_t huge = 0x7fffffff;                                      // implausible total_size
    memcpy(junk, &huge, 4);
    EXPECT_FALSE(parse_boot_info(multiboot2_magic, junk).valid);
}

TEST(BootInfo, ModuleNames) {
    char out[BootModule::max_name];
    auto name = [&](const char* s, size_t i = 0) { module_name_from_string(s, i, out, sizeof out); return std::string(out); };
    EXPECT_EQ(name("lab1.lua"), "lab1.lua");
    EXPECT_EQ(name("/scripts/lab1.lua"), "lab1.lua");
    EXPECT_EQ(name("/scripts/lab1.lua lab1.lua"), "lab1.lua");
    EXPECT_EQ(name("build/file1 name"), "name");
    EXPECT_EQ(name("  a/b/c.lua   tests/c.lua  extra"), "tests/c.lua");
    EXPECT_EQ(name("", 7), "module7");
    EXPECT_EQ(name("   ", 12), "module12");
    EXPECT_EQ(name("dir/"), "module0");
    EXPECT_EQ(name(std::string(100, 'x').c_str()).size(), BootModule::max_name - 1);
}

// ---- multiboot1 images: 32-bit pointers, so they live below 2 GiB ----
struct Mb1 {
    memtest::Arena low{1 << 20, 4096, true};
    size_t used = 0;
    uint8_t* info;
    Mb1() { info = low.mem ? take(120) : nullptr; if (info) memset(info, 0, 120); }
    uint8_t* take(size_t n) { uint8_t* p = low.mem + used; used += (n + 15) & ~size_t(15); return p; }
    uint32_t addr(const void* p) { return uint32_t(reinterpret_cast<uintptr_t>(p)); }
    uint32_t str(const std::string& s) { uint8_t* p = take(s.size() + 1); memcpy(p, s.c_str(), s.size() + 1); return addr(p); }
    void set(size_t off, uint32_t v) { memcpy(info + off, &v, 4); }
    void flag(uint32_t bit) { uint32_t f; memcpy(&f, info, 4); f |= 1u << bit; set(0, f); }
    uint8_t* map(const std::vector<std::pair<uint32_t, MemoryRange>>& es) {   // (size field, entry)
        size_t len = 0;
        for (auto& e : es) len += e.first + 4;
        uint8_t* p = take(len), *q = p;
        memset(p, 0xee, len);
        for (auto& [size, r] : es) {
            memcpy(q, &size, 4); memcpy(q + 4, &r.base, 8); memcpy(q + 12, &r.length, 8); memcpy(q + 20, &r.type, 4);
            q += size + 4;
        }
        flag(6); set(44, uint32_t(len)); set(48, addr(p));
        return p;
    }
};

TEST(BootInfo, Multiboot1Complete) {
    Mb1 m;
    ASSERT_NE(m.info, nullptr) << "no memory below 2 GiB (MAP_32BIT)";
    m.flag(2); m.set(16, m.str("root=none verbose"));
    m.flag(9); m.set(64, m.str("qemu"));
    uint8_t* mods = m.take(32);
    uint32_t mod[8] = {0x300000, 0x300100, m.str("scripts/lab1.lua lab1.lua"), 0,
                       0x301000, 0x301800, 0, 0};
    memcpy(mods, mod, sizeof mod);
    m.flag(3); m.set(20, 2); m.set(24, m.addr(mods));
    uint8_t* map = m.map({{20, {0, 0x9fc00, 1}}, {28, {0x100000, 0x1f00000, 1}}, {20, {0xfffc0000, 0x40000, 2}}});
    m.flag(0); m.set(4, 1); m.set(8, 2);                             // ignored: there is a map
    BootInfo bi = parse_boot_info(multiboot1_magic, m.info);
    ASSERT_TRUE(bi.valid);
    EXPECT_FALSE(bi.truncated);
    EXPECT_EQ(bi.format, BootInfo::Format::multiboot1);
    EXPECT_STREQ(bi.cmdline, "root=none verbose");
    EXPECT_STREQ(bi.loader, "qemu");
    ASSERT_EQ(bi.module_count, 2u);
    EXPECT_STREQ(bi.modules[0].name, "lab1.lua");
    EXPECT_EQ(bi.modules[1].start, 0x301000u);
    EXPECT_STREQ(bi.modules[1].name, "module1");
    ASSERT_EQ(bi.range_count, 3u);
    EXPECT_EQ(bi.ranges[1].base, 0x100000u);
    EXPECT_EQ(bi.ranges[1].length, 0x1f00000u);
    EXPECT_EQ(bi.ranges[2].type, 2u);
    ASSERT_EQ(bi.info_span_count, 3u);
    EXPECT_EQ(bi.info_spans[1].base, m.addr(mods));
    EXPECT_EQ(bi.info_spans[2].base, m.addr(map));
}

TEST(BootInfo, Multiboot1FallsBackToMemLowerUpper) {
    Mb1 m;
    ASSERT_NE(m.info, nullptr);
    m.flag(0); m.set(4, 640); m.set(8, 64512);
    BootInfo bi = parse_boot_info(multiboot1_magic, m.info);
    ASSERT_EQ(bi.range_count, 2u);
    EXPECT_EQ(bi.ranges[0].length, 640u * 1024);
    EXPECT_EQ(bi.ranges[1].base, 0x100000u);
    EXPECT_EQ(bi.ranges[1].length, 64512u * 1024);

    m.map({});                                                       // zero-length map: same
    bi = parse_boot_info(multiboot1_magic, m.info);
    EXPECT_EQ(bi.range_count, 2u);
}

TEST(BootInfo, Multiboot1TruncatedMap) {
    Mb1 m;
    ASSERT_NE(m.info, nullptr);
    m.map({{20, {0x100000, 0x100000, 1}}, {20, {0x200000, 0x100000, 1}}});
    uint32_t len;
    memcpy(&len, m.info + 44, 4);
    m.set(44, len - 6);                                              // cuts the second entry
    BootInfo bi = parse_boot_info(multiboot1_magic, m.info);
    EXPECT_TRUE(bi.truncated);
    ASSERT_EQ(bi.range_count, 1u);
    EXPECT_EQ(bi.ranges[0].base, 0x100000u);

    m.map({{12, {0x100000, 0x100000, 1}}});                          // size field too small
    bi = parse_boot_info(multiboot1_magic, m.info);
    EXPECT_TRUE(bi.truncated);
    EXPECT_EQ(bi.range_count, 0u);
}

// ---- consumers ----
TEST(Modules, FindByExactNameOrBasename) {
    BootModule mods[3] = {{0x1000, 0x1010, "lab1.lua"}, {0x2000, 0x2400, "tests/lua/vmx.lua"},
                          {0x3000, 0x3000, "lab1.lua"}};
    register_modules(mods, 3);
    EXPECT_EQ(kmodule_count(), 3u);
    const kmodule* m = kmodule_find("lab1.lua");
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m, kmodule_at(0));
    EXPECT_EQ(m->size, 0x10u);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(m->data), 0x1000u);
    EXPECT_EQ(kmodule_find("scripts/lab1.lua"), kmodule_at(0));
    EXPECT_EQ(kmodule_find("tests/lua/vmx.lua"), kmodule_at(1));
    EXPECT_EQ(kmodule_find("vmx.lua"), kmodule_at(1));
    EXPECT_EQ(kmodule_find("/x/vmx.lua"), kmodule_at(1));
    EXPECT_EQ(kmodule_find("nope.lua"), nullptr);
    EXPECT_EQ(kmodule_find(""), nullptr);
    EXPECT_EQ(kmodule_find("tests/"), nullptr);
    EXPECT_EQ(kmodule_find(nullptr), nullptr);
    EXPECT_EQ(kmodule_at(3), nullptr);
    register_modules(nullptr, 0);
    EXPECT_EQ(kmodule_count(), 0u);
}

TEST(MemoryInit, ReservesKernelModulesAndInfoThenServesTheRest) {
    memtest::Arena ram(8u << 20);
    const uint64_t b = ram.base();
    static BootInfo bi;
    bi = BootInfo{};
    bi.valid = true;
    bi.ranges[0] = {b, ram.size, 1};
    bi.ranges[1] = {b + (7u << 20), 0x10000, 2};                    // a hole in the middle of RAM
    bi.range_count = 2;
    const char script[] = "return 42";
    memcpy(ram.mem + 0x300000, script, sizeof script);
    bi.modules[0] = {b + 0x300000, b + 0x300000 + sizeof script, "answer.lua"};
    bi.module_count = 1;
    bi.info_spans[0] = {b + 0x5000, b + 0x5100};
    bi.info_span_count = 1;
    ASSERT_TRUE(memory_init(bi, b + 0x100000, b + 0x200000, ~0ull));

    const kmodule* m = kmodule_find("answer.lua");
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(std::string(m->data, m->size - 1), "return 42");
    // Everything the page allocator hands out avoids the reserved spans.
    PageAllocator& pa = pages();
    uint64_t a;
    size_t count = 0;
    while ((a = pa.alloc(1)) != 0) {
        count++;
        EXPECT_TRUE(ram.contains(a, 4096));
        EXPECT_FALSE(a >= b + 0x100000 && a < b + 0x200000) << "kernel image";
        EXPECT_FALSE(a == b + 0x300000) << "module";
        EXPECT_FALSE(a == b + 0x5000) << "boot info";
        EXPECT_FALSE(a >= b + (7u << 20) && a < b + (7u << 20) + 0x10000) << "reserved range";
    }
    EXPECT_GT(count, 1500u);
    EXPECT_EQ(kheap_alloc(16), nullptr);                             // the heap shares the pages
    EXPECT_EQ(kheap_check(), nullptr);
    memory_init(bi, b + 0x100000, b + 0x200000, ~0ull);              // fresh again for other tests
    void* p = kheap_alloc(100);
    EXPECT_NE(p, nullptr);
    kheap_free(p);
    register_modules(nullptr, 0);
    heap().init(nullptr);
}

} // namespace
