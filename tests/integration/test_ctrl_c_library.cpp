// Ctrl-C inside long-running C library code (issue 10, finding 3): the pattern matcher's
// backtracking and table.move's loop call no function and run no Lua instruction, so lua.c's hook
// never fires there; Lua's lstrlib.c/ltablib.c poll vmxlab's interrupt flag instead
// (tools/patches/lua-interrupt.patch). The prompt must come back within a second with lua.c's
// exact message ("stdin:1: interrupted!": luaL_error names the caller's line, as the hook's does),
// and the Lua state must stay usable.
#include "tests/integration/repl_fixture.hpp"
#include <chrono>
#include <thread>

using namespace vmxlab::test;
using namespace std::chrono_literals;

namespace {

class CtrlCLibrary : public ReplTest {
protected:
    // Sends `line`, checks it is still running after a while, sends Ctrl-C and returns the output
    // up to the prompt, which must come back within one second.
    std::string interrupt(const std::string& line)
    {
        std::string out;
        EXPECT_TRUE(session().send_line(line));
        Match none = session().expect_prompt(GetParam() == Target::bochs ? 1500ms : 500ms);
        EXPECT_FALSE(none) << "the call returned by itself:\n" << shown(none.text);
        if (none)
            return out;
        auto t0 = std::chrono::steady_clock::now();
        EXPECT_TRUE(session().send("\x03"));
        Match m = session().expect_prompt(timeout());
        auto took = std::chrono::steady_clock::now() - t0;
        EXPECT_TRUE(m) << "no prompt after Ctrl-C: " << m.error;
        EXPECT_LT(took, scaled(1000ms)) << "Ctrl-C took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
        return m.text;
    }
};

TEST_P(CtrlCLibrary, CtrlCStopsPatternBacktracking)
{
    std::string out = interrupt(
        R"(string.find(("a"):rep(40), "(.-)(.-)(.-)(.-)(.-)(.-)(.-)(.-)(.-)b"))");
    EXPECT_EQ(out.substr(0, out.find('\n')), "stdin:1: interrupted!") << shown(out);
    EXPECT_TRUE(contains(out, "\n\t[C]: in function 'string.find'")) << shown(out);
    ASSERT_EVAL(m, "1+1");
    EXPECT_EQ(m.text, "2");
    ASSERT_EVAL(f, R"(string.find(("a"):rep(40) .. "b", "(.-)b"))");
    EXPECT_EQ(f.text, "1\t41\t" + std::string(40, 'a')) << "the matcher works again";
}

TEST_P(CtrlCLibrary, CtrlCStopsTableMove)
{
    std::string out = interrupt("t = table.move({}, 1, 1 << 50, 1)");
    EXPECT_EQ(out.substr(0, out.find('\n')), "stdin:1: interrupted!") << shown(out);
    EXPECT_TRUE(contains(out, "\n\t[C]: in function 'table.move'")) << shown(out);
    ASSERT_EVAL(m, "return #table.move({1, 2, 3}, 1, 3, 2)");
    EXPECT_EQ(m.text, "4");
}

// A lab stopped with Ctrl-C is not a failed lab (docs/labs.md, "For machines"): the runner says
// where it stopped and prints no "vmxlab-lab:" verdict, which the classroom would count as a fail.
// Lab 1's number needs no VMX, so a spinning lab definition runs on every target.
TEST_P(CtrlCLibrary, CtrlCInALabIsNoFailedLab)
{
    ASSERT_TRUE(session().send_line("labs.main{n = 1, title = 't', seed = 's', goal = 'g', "
                                    "run = function(L) L:step('spin') while true do end end}"));
    Match started = session().expect("[lab 1] step 1: spin", timeout());
    ASSERT_TRUE(started) << started.error;
    ASSERT_TRUE(session().send("\x03"));
    Match m = session().expect_prompt(timeout());
    ASSERT_TRUE(m) << m.error;
    EXPECT_TRUE(contains(m.text, "[lab 1] interrupted (Ctrl-C) after step 1; lab(1) runs it again.\n"
                                 "false\tinterrupted")) << shown(m.text);
    EXPECT_FALSE(contains(m.text, "vmxlab-lab:")) << shown(m.text);
    EXPECT_FALSE(contains(m.text, "FACT FAILED")) << shown(m.text);
}

INSTANTIATE_TEST_SUITE_P(Targets, CtrlCLibrary, VMXLAB_REPL_TARGETS, target_param_name);

} // namespace
