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

// Issue 10 finding 2: no single byte powers off. Ctrl-D on an empty line arms; only a Ctrl-D as
// the very next byte confirms; any other byte disarms.
TEST(PowerOffGuard, OneCtrlDOnlyWarns)
{
    repl::PowerOffGuard g;
    g.key(0x04);
    EXPECT_FALSE(g.end_of_input());
}

TEST(PowerOffGuard, CtrlDRightAfterTheHintPowersOff)
{
    repl::PowerOffGuard g;
    g.key(0x04);
    ASSERT_FALSE(g.end_of_input());
    g.key(0x04);
    EXPECT_TRUE(g.end_of_input());
}

TEST(PowerOffGuard, AnyOtherByteInBetweenCancels)
{
    for (int other = 0; other < 256; ++other) {
        if (other == 0x04)
            continue;
        repl::PowerOffGuard g;
        g.key(0x04);
        ASSERT_FALSE(g.end_of_input());
        g.key(uint8_t(other));   // e.g. "abc", Ctrl-W: the line is empty again
        g.key(0x04);
        EXPECT_FALSE(g.end_of_input()) << "byte " << other << " between the two Ctrl-Ds";
    }
}

TEST(PowerOffGuard, ConfirmationDoesNotCarryOver)
{
    repl::PowerOffGuard g;
    g.key(0x04);
    ASSERT_FALSE(g.end_of_input());
    g.key(0x04);   // confirmed, but the line ended otherwise (not via end of input)
    g.key('x');
    g.key(0x04);
    EXPECT_FALSE(g.end_of_input());
}

TEST(PowerOffGuard, HintNamesBothWaysToPowerOff)
{
    std::string hint = repl::power_off_hint;
    EXPECT_NE(hint.find("Ctrl-D again"), std::string::npos);
    EXPECT_NE(hint.find("sys.exit()"), std::string::npos);
    EXPECT_NE(hint.find("os.exit()"), std::string::npos);
}
