// Completion's pure part: the word before the cursor, and the candidate set.
#include <gtest/gtest.h>
#include <memory>
#include <string>
#include "kernel/completion.hpp"

using kernel::Candidates;
using kernel::CompletionWord;

namespace {

CompletionWord word(const std::string& line) { return kernel::find_completion_word(line.c_str(), line.size()); }

std::string partial(const std::string& line)
{
    CompletionWord w = word(line);
    return line.substr(w.partial, w.end - w.partial);
}

std::string segments(const std::string& line)
{
    CompletionWord w = word(line);
    std::string s;
    for (size_t i = 0; i < w.segment_count; i++)
        s += (i ? "|" : "") + line.substr(w.segments[i].offset, w.segments[i].length);
    return s;
}

std::string names(const Candidates& c)
{
    std::string s;
    for (size_t i = 0; i < c.count(); i++) s += (i ? " " : "") + std::string(c.at(i).data, c.at(i).length);
    return s;
}

std::string common(const Candidates& c) { return std::string(c.common().data, c.common().length); }

} // namespace

TEST(CompletionWord, BareNamesAndChains)
{
    EXPECT_TRUE(word("pri").valid);
    EXPECT_EQ(partial("pri"), "pri");
    EXPECT_EQ(word("pri").separator, 0);

    std::string l = "x = string.fo";
    CompletionWord w = word(l);
    EXPECT_TRUE(w.valid);
    EXPECT_EQ(w.start, 4u);
    EXPECT_EQ(partial(l), "fo");
    EXPECT_EQ(segments(l), "string");
    EXPECT_EQ(w.separator, '.');

    EXPECT_EQ(segments("vmx.fields.GUEST_"), "vmx|fields");
    EXPECT_EQ(partial("vmx.fields.GUEST_"), "GUEST_");
    EXPECT_EQ(partial("vmx.vm"), "vm");

    CompletionWord m = word("s:up");
    EXPECT_TRUE(m.valid);
    EXPECT_EQ(m.separator, ':');
    EXPECT_EQ(segments("s:up"), "s");

    EXPECT_TRUE(word("string.").valid);   // empty partial: all fields
    EXPECT_EQ(partial("string."), "");
    EXPECT_TRUE(word("print(io.wr").valid);
    EXPECT_EQ(segments("print(io.wr"), "io");
}

TEST(CompletionWord, WhatCannotBeCompleted)
{
    EXPECT_TRUE(word("").empty());
    EXPECT_TRUE(word("f(").empty());
    EXPECT_TRUE(word("x = ").empty());
    EXPECT_FALSE(word("1.5").valid);        // a number
    EXPECT_FALSE(word("x = 12").valid);
    EXPECT_FALSE(word("t.1").valid);
    EXPECT_FALSE(word("a[1].b").valid);     // needs evaluation
    EXPECT_FALSE(word("f().b").valid);
    EXPECT_FALSE(word("s:up.x").valid);     // ':' only last
    EXPECT_FALSE(word("end.x").valid);      // a keyword is no table
    EXPECT_FALSE(word("::lab").valid);
    std::string deep;
    for (int i = 0; i < 20; i++) deep += "t.";
    EXPECT_FALSE(word(deep).valid);
}

TEST(CompletionWord, ConcatenationStartsANewWord)
{
    std::string l = "s = x..str";
    CompletionWord w = word(l);
    EXPECT_TRUE(w.valid);
    EXPECT_EQ(partial(l), "str");
    EXPECT_EQ(w.segment_count, 0u);
}

TEST(CompletionWord, CursorInTheMiddleCompletesWhatIsBeforeIt)
{
    std::string l = "string.format(x)";
    CompletionWord w = kernel::find_completion_word(l.c_str(), 9);   // after "string.fo"
    EXPECT_TRUE(w.valid);
    EXPECT_EQ(l.substr(w.partial, w.end - w.partial), "fo");
}

TEST(Names, LuaRules)
{
    EXPECT_TRUE(kernel::is_lua_name("_x1", 3));
    EXPECT_FALSE(kernel::is_lua_name("1x", 2));
    EXPECT_FALSE(kernel::is_lua_name("", 0));
    EXPECT_FALSE(kernel::is_lua_name("a-b", 3));
    EXPECT_FALSE(kernel::is_lua_name("\xc3\xa9", 2));
    EXPECT_TRUE(kernel::is_lua_keyword("function", 8));
    EXPECT_FALSE(kernel::is_lua_keyword("func", 4));
    EXPECT_FALSE(kernel::is_identifier("end", 3));
    EXPECT_TRUE(kernel::is_identifier("ending", 6));
}

TEST(Candidates, FiltersSortsAndDeduplicates)
{
    auto c = std::make_unique<Candidates>();
    c->reset("fo", 2);
    for (const char* n : {"format", "find", "foo", "format", "for", "Fo", "fo", "not a name", "fo-o"}) c->add(n);
    EXPECT_EQ(names(*c), "fo foo for format");
    EXPECT_EQ(common(*c), "fo");
    EXPECT_EQ(c->total(), 4u);
}

TEST(Candidates, CommonExtension)
{
    auto c = std::make_unique<Candidates>();
    c->reset("vm", 2);
    for (const char* n : {"vmxon", "vmxoff", "vmread"}) c->add(n);
    EXPECT_EQ(common(*c), "vm");
    c->reset("vmx", 3);
    for (const char* n : {"vmxon", "vmxoff", "vmread"}) c->add(n);
    EXPECT_EQ(common(*c), "vmxo");
    c->reset("fo", 2);
    c->add("format");
    EXPECT_EQ(common(*c), "format");
    c->reset("zz", 2);
    c->add("format");
    EXPECT_EQ(c->total(), 0u);
    EXPECT_EQ(common(*c), "zz");
}

TEST(Candidates, EmptyPrefixTakesEverythingAndKeywords)
{
    auto c = std::make_unique<Candidates>();
    c->reset("", 0);
    kernel::add_lua_keywords(*c);
    EXPECT_EQ(c->count(), 22u);
    EXPECT_EQ(common(*c), "");
    c->reset("fun", 3);
    kernel::add_lua_keywords(*c);
    EXPECT_EQ(names(*c), "function");
}

TEST(Candidates, OverflowIsCountedAndStillNarrowsTheCommonPrefix)
{
    auto c = std::make_unique<Candidates>();
    c->reset("GUEST_", 6);
    for (int i = 0; i < 600; i++) c->add(("GUEST_R" + std::to_string(1000 + i)).c_str());
    EXPECT_EQ(c->count(), Candidates::max_entries);
    EXPECT_EQ(c->overflow(), 600 - Candidates::max_entries);
    EXPECT_EQ(common(*c), "GUEST_R1");
    c->add("GUEST_CR0");   // does not fit, but the common prefix must shrink
    EXPECT_EQ(common(*c), "GUEST_");
}

TEST(Candidates, ArenaLimitAndLongNames)
{
    auto c = std::make_unique<Candidates>();
    c->reset("a", 1);
    std::string longname(Candidates::max_name + 1, 'a');
    EXPECT_FALSE(c->add(longname.c_str()));
    for (int i = 0; i < 100; i++) {
        std::string n(250, 'a');
        n += std::to_string(100 + i);
        c->add(n.c_str());
    }
    EXPECT_LE(c->count() * 253, Candidates::arena_bytes);
    EXPECT_EQ(c->total(), 100u);
    std::string overlong(300, 'p');
    c->reset(overlong.c_str(), overlong.size());   // longer than any name: matches nothing
    EXPECT_FALSE(c->add("p"));
}
