// The REPL's pure chunk rules (lua.c's incomplete / "=expr"), and its too-long message.
#include <gtest/gtest.h>
#include <string>
#include "lua_bindings/repl_text.hpp"

namespace {
bool incomplete(const std::string& m) { return repl::is_incomplete_message(m.data(), m.size()); }
}

TEST(ReplText, IncompleteMeansTheMessageEndsInEof)
{
    EXPECT_TRUE(incomplete("stdin:1: 'end' expected near <eof>"));
    EXPECT_TRUE(incomplete("stdin:1: unfinished string near <eof>"));
    EXPECT_TRUE(incomplete("<eof>"));
    EXPECT_FALSE(incomplete("stdin:1: unexpected symbol near 'x'"));
    EXPECT_FALSE(incomplete("stdin:1: '=' expected near '<eof>'"));   // quoted: a real error
    EXPECT_FALSE(incomplete("<eof> later"));
    EXPECT_FALSE(incomplete("eof>"));
    EXPECT_FALSE(repl::is_incomplete_message(nullptr, 0));
    EXPECT_TRUE(repl::is_incomplete_message("x <eof>\0", 7));   // explicit length, not strlen
}

TEST(ReplText, EqualsFormOnlyWithALeadingEquals)
{
    EXPECT_EQ(repl::equals_form_skip("=1+1", 4), 1);
    EXPECT_EQ(repl::equals_form_skip("1+1", 3), -1);
    EXPECT_EQ(repl::equals_form_skip(" =1", 3), -1);
    EXPECT_EQ(repl::equals_form_skip("", 0), -1);
}

TEST(ReplText, TooLongMessage)
{
    char buf[96];
    size_t n = repl::too_long_message(buf, sizeof buf, 4096);
    EXPECT_EQ(std::string(buf, n), "input line too long (max 4096 bytes); discarded");
    EXPECT_EQ(buf[n], '\0');
    EXPECT_EQ(repl::too_long_message(buf, 10, 4096), 0u);
}
