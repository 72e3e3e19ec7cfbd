#include <gtest/gtest.h>
#include "kernel/cmdline.hpp"

using kernel::parse_cmdline;

TEST(Cmdline, EmptyAndNull)
{
    auto o = parse_cmdline(nullptr);
    EXPECT_FALSE(o.batch);
    EXPECT_FALSE(o.test);
    EXPECT_STREQ(o.run, "");
    o = parse_cmdline("");
    EXPECT_FALSE(o.batch);
}

TEST(Cmdline, Flags)
{
    auto o = parse_cmdline("  batch\ttest  ");
    EXPECT_TRUE(o.batch);
    EXPECT_TRUE(o.test);
}

TEST(Cmdline, Crashtest)
{
    EXPECT_TRUE(parse_cmdline("test crashtest").crashtest);
    EXPECT_FALSE(parse_cmdline("crashtests").crashtest);
}

TEST(Cmdline, WordsMustMatchWhole)
{
    auto o = parse_cmdline("batchy tests");
    EXPECT_FALSE(o.batch);
    EXPECT_FALSE(o.test);
}

TEST(Cmdline, Values)
{
    auto o = parse_cmdline("run=selftest.lua lab=vmxdemo.lua");
    EXPECT_STREQ(o.run, "selftest.lua");
    EXPECT_STREQ(o.lab, "vmxdemo.lua");
}

TEST(Cmdline, LongValueIsTruncatedNotOverflowed)
{
    std::string s = "run=" + std::string(200, 'x');
    auto o = parse_cmdline(s.c_str());
    EXPECT_EQ(strlen(o.run), sizeof o.run - 1);
}

TEST(Cmdline, EmptyValueIgnored)
{
    auto o = parse_cmdline("run= batch");
    EXPECT_STREQ(o.run, "");
    EXPECT_TRUE(o.batch);
}
