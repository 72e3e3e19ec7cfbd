// The REPL history: a ring of lines in a fixed arena.
#include <gtest/gtest.h>
#include <memory>
#include <string>
#include "kernel/history.hpp"

using kernel::History;

namespace {

std::string at(const History& h, size_t i)
{
    History::Entry e = h.at(i);
    return std::string(e.data, e.length);
}

bool add(History& h, const std::string& s) { return h.add(s.data(), s.size()); }

} // namespace

TEST(History, KeepsLinesOldestFirst)
{
    auto h = std::make_unique<History>();
    EXPECT_TRUE(add(*h, "a = 1"));
    EXPECT_TRUE(add(*h, "print(a)"));
    ASSERT_EQ(h->size(), 2u);
    EXPECT_EQ(at(*h, 0), "a = 1");
    EXPECT_EQ(at(*h, 1), "print(a)");
    EXPECT_EQ(at(*h, 2), "");   // out of range: empty, not a crash
}

TEST(History, NoEmptyOrBlankLinesAndNoConsecutiveDuplicates)
{
    auto h = std::make_unique<History>();
    EXPECT_FALSE(add(*h, ""));
    EXPECT_FALSE(add(*h, "  \t "));
    EXPECT_TRUE(add(*h, "x"));
    EXPECT_FALSE(add(*h, "x"));
    EXPECT_TRUE(add(*h, "y"));
    EXPECT_TRUE(add(*h, "x"));   // not consecutive: kept
    EXPECT_EQ(h->size(), 3u);
}

TEST(History, RingDropsTheOldest)
{
    auto h = std::make_unique<History>();
    for (int i = 0; i < 300; i++) add(*h, "line " + std::to_string(i));
    ASSERT_EQ(h->size(), History::max_entries);
    EXPECT_GE(History::max_entries, 100u);
    EXPECT_EQ(at(*h, 0), "line " + std::to_string(300 - History::max_entries));
    EXPECT_EQ(at(*h, h->size() - 1), "line 299");
}

TEST(History, ArenaLimitDropsTheOldestToo)
{
    auto h = std::make_unique<History>();
    std::string big(4096, 'a');
    for (int i = 0; i < 100; i++) {
        big[0] = char('A' + i % 26);
        big[1] = char('A' + i / 26);
        ASSERT_TRUE(add(*h, big));
    }
    size_t fits = History::arena_bytes / 4096;
    ASSERT_EQ(h->size(), fits);
    EXPECT_EQ(at(*h, fits - 1)[0], char('A' + 99 % 26));
    EXPECT_EQ(at(*h, 0)[0], char('A' + (100 - fits) % 26));
    for (size_t i = 0; i < h->size(); i++) EXPECT_EQ(at(*h, i).size(), 4096u);
    EXPECT_TRUE(add(*h, "short"));
    EXPECT_EQ(at(*h, h->size() - 1), "short");
}

TEST(History, BinaryBytesAndOversizedLines)
{
    auto h = std::make_unique<History>();
    std::string bin("a\0b\xff", 4);
    EXPECT_TRUE(add(*h, bin));
    EXPECT_EQ(at(*h, 0), bin);
    std::string huge(History::arena_bytes + 1, 'z');
    EXPECT_FALSE(add(*h, huge));
    EXPECT_EQ(h->size(), 1u);
    h->clear();
    EXPECT_EQ(h->size(), 0u);
}
