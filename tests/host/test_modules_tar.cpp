// The ustar reader and the module registry's expansion of *.tar modules.
#include "kernel/boot_info.hpp"
#include "kernel/modules.hpp"
#include "kernel/modules_tar.hpp"
#include <cstdio>
#include <cstring>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace kernel;

namespace {

// One ustar member: header block (checksum computed) and data padded to 512 bytes.
std::string member(const std::string& name, const std::string& data, char type = '0',
                   const std::string& prefix = "")
{
    std::string h(512, '\0');
    std::memcpy(&h[0], name.data(), std::min<size_t>(name.size(), 100));
    std::snprintf(&h[100], 8, "%07o", 0644);
    std::snprintf(&h[124], 12, "%011lo", static_cast<unsigned long>(data.size()));
    h[156] = type;
    std::memcpy(&h[257], "ustar", 6);
    std::memcpy(&h[263], "00", 2);
    std::memcpy(&h[345], prefix.data(), std::min<size_t>(prefix.size(), 155));
    std::memset(&h[148], ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : h)
        sum += c;
    std::snprintf(&h[148], 8, "%06o", sum);
    std::string d = data;
    d.resize((data.size() + 511) / 512 * 512, '\0');
    return h + d;
}

std::string end_blocks() { return std::string(1024, '\0'); }

std::vector<std::pair<std::string, std::string>> read_all(const std::string& tar)
{
    std::vector<std::pair<std::string, std::string>> out;
    char name[258];
    tar_for_each(tar.data(), tar.size(), name, [](const TarMember& m, void* ctx) {
        static_cast<decltype(out)*>(ctx)->emplace_back(m.name, std::string(m.data, m.size));
    }, &out);
    return out;
}

} // namespace

TEST(Tar, ReadsRegularFilesInOrder)
{
    std::string tar = member("a.lua", "return 1") + member("dir", "", '5') + member("b.lua", std::string(700, 'x'))
        + member("empty.lua", "") + member("c.lua", "x", '0', "deep/path") + end_blocks();
    auto m = read_all(tar);
    ASSERT_EQ(m.size(), 4u);
    EXPECT_EQ(m[0].first, "a.lua");
    EXPECT_EQ(m[0].second, "return 1");
    EXPECT_EQ(m[1].first, "b.lua");
    EXPECT_EQ(m[1].second, std::string(700, 'x'));
    EXPECT_EQ(m[2].first, "empty.lua");
    EXPECT_EQ(m[2].second, "");
    EXPECT_EQ(m[3].first, "deep/path/c.lua");
}

TEST(Tar, StopsAtDamage)
{
    std::string good = member("a.lua", "return 1");
    std::string bad_sum = member("b.lua", "2");
    bad_sum[0] = 'c';                                     // checksum no longer matches
    EXPECT_EQ(read_all(good + bad_sum + member("d.lua", "4")).size(), 1u);
    std::string too_long = member("b.lua", std::string(600, 'y'));
    EXPECT_EQ(read_all(good + too_long.substr(0, 1024)).size(), 1u) << "size runs past the end";
    std::string not_ustar = member("b.lua", "2");
    std::memcpy(&not_ustar[257], "xxxxx", 5);
    EXPECT_EQ(read_all(good + not_ustar).size(), 1u);
    EXPECT_EQ(read_all(good.substr(0, 300)).size(), 0u) << "shorter than a header";
    EXPECT_EQ(read_all("").size(), 0u);
    char name[258];
    EXPECT_EQ(tar_for_each(nullptr, 4096, name, [](const TarMember&, void*) {}, nullptr), 0u);
}

TEST(Tar, ReadsWhatGnuTarWrites)
{
    FILE* p = popen("d=$(mktemp -d) && printf 'return 42' > $d/x.lua && printf 'y' > $d/y.lua && "
                    "tar --format=ustar -C $d -cf - x.lua y.lua; rm -rf $d", "r");
    ASSERT_NE(p, nullptr);
    std::string tar;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;)
        tar.append(buf, n);
    if (pclose(p) != 0 || tar.empty())
        GTEST_SKIP() << "GNU tar is not available";
    auto m = read_all(tar);
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m[0], (std::pair<std::string, std::string>{"x.lua", "return 42"}));
    EXPECT_EQ(m[1], (std::pair<std::string, std::string>{"y.lua", "y"}));
}

TEST(Modules, ArchiveModuleStandsForItsMembers)
{
    static std::string tar = member("lab1.lua", "return 'lab'") + member("util.lua", "return 7") + end_blocks();
    static const char plain[] = "return 'plain'";
    BootModule mods[2] = {
        {reinterpret_cast<uintptr_t>(tar.data()), reinterpret_cast<uintptr_t>(tar.data()) + tar.size(), "scripts.tar"},
        {reinterpret_cast<uintptr_t>(plain), reinterpret_cast<uintptr_t>(plain) + sizeof plain - 1, "extra.lua"},
    };
    register_modules(mods, 2);
    ASSERT_EQ(kmodule_count(), 3u);
    EXPECT_STREQ(kmodule_at(0)->name, "lab1.lua");
    EXPECT_STREQ(kmodule_at(1)->name, "util.lua");
    EXPECT_STREQ(kmodule_at(2)->name, "extra.lua");
    const kmodule* u = kmodule_find("util.lua");
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(std::string(u->data, u->size), "return 7");
    EXPECT_EQ(kmodule_find("scripts.tar"), nullptr) << "the archive itself is not a module";
    register_modules(nullptr, 0);
    EXPECT_EQ(kmodule_count(), 0u);
}
