#include <gtest/gtest.h>

#include "vmx/text.hpp"

using vmx::TextBuf;

TEST(VmxText, HexDecAndFlags)
{
    char buf[64];
    TextBuf t(buf, sizeof buf);
    t.hex(0x400A, 8).chr(' ').dec(0).chr(' ').dec(18446744073709551615ull).flag("P", true);
    EXPECT_STREQ(buf, "0x0000400A 0 18446744073709551615 P=1");
    EXPECT_EQ(t.length(), 37u);
}

TEST(VmxText, HexWithoutPaddingAndFullWidth)
{
    char buf[64];
    TextBuf(buf, sizeof buf).hex(0).chr(' ').hex(0xFFFFFFFFFFFFFFFFull, 16).chr(' ').hex(0x2B);
    EXPECT_STREQ(buf, "0x0 0xFFFFFFFFFFFFFFFF 0x2B");
}

TEST(VmxText, TruncatesLikeSnprintf)
{
    char buf[6];
    TextBuf t(buf, sizeof buf);
    t.str("VMXON executed");
    EXPECT_STREQ(buf, "VMXON");
    EXPECT_EQ(t.length(), 14u);
    TextBuf none(nullptr, 0);
    none.str("abc");
    EXPECT_EQ(none.length(), 3u);
}

TEST(VmxText, StringHelpers)
{
    EXPECT_TRUE(vmx::str_eq("GUEST_CR0", "GUEST_CR0"));
    EXPECT_FALSE(vmx::str_eq("GUEST_CR0", "GUEST_CR"));
    EXPECT_FALSE(vmx::str_eq(nullptr, "x"));
    EXPECT_TRUE(vmx::str_starts_with("EXIT_REASON_HLT", "EXIT_REASON_"));
    EXPECT_FALSE(vmx::str_starts_with("EXIT", "EXIT_REASON_"));
}
