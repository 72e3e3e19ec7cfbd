// The verdict on a Lua test script's output (lua_scripts.hpp judge), without an emulator: every way
// a script can look green without having passed must come out failed.
#include "tests/integration/lua_scripts.hpp"

#include <gtest/gtest.h>

using namespace vmxlab::test;

namespace {

Verdict of(const std::string& output, bool ended = true)
{
    return judge(ScriptRun{output, ended, "dofile('x.lua') raised"});
}

TEST(LuaVerdict, PassesWhenChecksPassedAndTheScriptReturned)
{
    Verdict v = of("-- s\nPASS: a\nPASS: b\n2 passed, 0 failed, 0 skipped\n");
    EXPECT_EQ(v.kind, Verdict::pass) << v.message;
    EXPECT_EQ(v.message, "2 passed, 0 failed, 0 skipped");
}

TEST(LuaVerdict, AnErrorAfterTheSummaryFails)
{
    Verdict v = of("PASS: a\n1 passed, 0 failed, 0 skipped\nlua: boom\n", false);
    EXPECT_EQ(v.kind, Verdict::fail);
    EXPECT_NE(v.message.find("did not end normally (dofile('x.lua') raised), although it printed \"1 passed, 0 failed, 0 skipped\""),
              std::string::npos) << v.message;
}

TEST(LuaVerdict, AFailedCheckFails)
{
    Verdict v = of("PASS: a\nFAIL: b -- got 1, want 2\n1 passed, 1 failed, 0 skipped\n");
    EXPECT_EQ(v.kind, Verdict::fail);
    EXPECT_EQ(v.message, "1 passed, 1 failed, 0 skipped\nFAIL: b -- got 1, want 2\n");
}

TEST(LuaVerdict, AFailLineFailsEvenIfTheLastSummaryHidesIt)
{
    // A nested script's failure followed by an outer summary that does not count it.
    Verdict v = of("FAIL: inner\n0 passed, 1 failed, 0 skipped\nPASS: outer\n1 passed, 0 failed, 0 skipped\n");
    EXPECT_EQ(v.kind, Verdict::fail);
    EXPECT_NE(v.message.find("FAIL: inner"), std::string::npos) << v.message;
}

TEST(LuaVerdict, ZeroChecksFail)
{
    Verdict v = of("0 passed, 0 failed, 0 skipped\n");
    EXPECT_EQ(v.kind, Verdict::fail);
    EXPECT_NE(v.message.find("0 checks executed"), std::string::npos) << v.message;
}

TEST(LuaVerdict, NoSummaryFails)
{
    EXPECT_EQ(of("PASS: a\n").kind, Verdict::fail);
    EXPECT_EQ(of("").kind, Verdict::fail);
}

TEST(LuaVerdict, AHardCodedSummaryWithoutPassLinesFails)
{
    Verdict v = of("PASS: a\n3 passed, 0 failed\n");
    EXPECT_EQ(v.kind, Verdict::fail);
    EXPECT_EQ(v.message, "3 passed, 0 failed, but only 1 PASS: lines were printed");
}

TEST(LuaVerdict, OnlySkippedChecksSkipWithTheirReasons)
{
    Verdict v = of("SKIP: no-VMX answers -- this CPU has VMX\n0 passed, 0 failed, 1 skipped\n");
    EXPECT_EQ(v.kind, Verdict::skip);
    EXPECT_EQ(v.message, "SKIP: no-VMX answers -- this CPU has VMX\n");
}

TEST(LuaVerdict, ASkipDoesNotHideAFailure)
{
    Verdict v = of("SKIP: x -- why\nFAIL: y\n0 passed, 1 failed, 1 skipped\n");
    EXPECT_EQ(v.kind, Verdict::fail);
}

TEST(LuaVerdict, TheSummaryMustBeAWholeLine)
{
    // "N passed, M failed" inside other text (a printed value, a lab's prose) is not a summary.
    Verdict v = of("PASS: a\nlab says: 1 passed, 0 failed\n");
    EXPECT_EQ(v.kind, Verdict::fail);
}

} // namespace
