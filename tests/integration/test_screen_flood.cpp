// Bochs's display must never stall the machine. Debian's Bochs has its debugger compiled in, so
// its `term` display draws the VGA screen with curses into a pseudo-terminal it opens itself
// (log: 'Bochs connected to screen "/dev/pts/N"'); when nothing reads that pty, Bochs blocks in
// write() once the pty's buffers are full. tools/emulator.sh drains it. This test
// rewrites the whole VGA text screen for a few host seconds, which produces far more curses output
// than the pty buffers, and then checks that the prompt still answers.
#include "tests/integration/repl_fixture.hpp"

using namespace vmxlab::test;

namespace {

class ScreenFlood : public ReplTest {};

TEST_P(ScreenFlood, RewritingTheVgaScreenKeepsThePromptAnswering)
{
    // 0xB8000: the 80x25 text screen (character, attribute). Two screens that differ in every
    // cell, with colours changing from cell to cell, written alternately: each display update
    // (5 per host second) redraws all 2000 cells with a colour escape each, roughly 20 KiB. The
    // loop runs 20 s of emulated time (80 M instructions at the tests' 4 M ips): a few host
    // seconds, far more output than the pty holds (about 68 KiB on Linux).
    const char* flood =
        "local function screen(k) local t = {} for i = 0, 1999 do "
        "t[#t + 1] = string.char(0x21 + (i + k) % 90, 1 + (i * 7 + k) % 127) end "
        "return table.concat(t) end "
        "local a, b, n, t0 = screen(0), screen(1), 0, sys.ticks() "
        "while sys.ticks() - t0 < 20000 do n = n + 1 mem.write(0xB8000, n % 2 == 0 and a or b) end "
        "return n > 100";
    Match m = session().eval(flood, scaled(45s));
    ASSERT_TRUE(m.ok) << "the screen flood did not return to the prompt (Bochs blocked writing "
                         "its screen?): "
                      << m.error;
    EXPECT_EQ(m.text, "true");
    Match sum = session().eval("1+1", scaled(20s));
    ASSERT_TRUE(sum.ok) << sum.error;
    EXPECT_EQ(sum.text, "2");
}

INSTANTIATE_TEST_SUITE_P(Targets, ScreenFlood, ::testing::Values(Target::bochs), target_param_name);

} // namespace
