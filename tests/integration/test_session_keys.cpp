// No single byte loses the session (issue 10, finding 2): Ctrl-D on an empty line only says how to
// power off, and powers off when the very next byte is Ctrl-D too; any other byte, and any
// stream of random bytes that never holds two Ctrl-Ds in a row, leaves a working prompt. In batch
// mode (what the tests speak) and in interactive mode (the line editor, what users type into).
#include "tests/integration/targets.hpp"
#include <gtest/gtest.h>
#include <random>
#include <thread>

using namespace vmxlab::test;
using namespace std::chrono_literals;

namespace {

// lua_bindings/repl_text.hpp, repl::power_off_hint: the exact words users read.
const std::string hint =
    "To power off, press Ctrl-D again now, or call sys.exit() or os.exit(); any other key carries on.";

SessionOptions qemu(const char* append)
{
    SessionOptions o = options_for(Target::qemu_kernel, current_test_name());
    o.append = append;
    return o;
}

// The prompt answers a fresh line: `print('ok'..42)` prints ok42 (the echo of an interactive
// line shows the expression, never its value).
void expect_alive(Session& s, Duration t)
{
    ASSERT_TRUE(s.send("\x03")) << "Ctrl-C: drop whatever line or chunk the bytes left";
    std::this_thread::sleep_for(200ms);
    ASSERT_TRUE(s.send_line("print('ok'..42)"));
    Match m = s.expect("ok42\n", t);
    ASSERT_TRUE(m) << m.error;
    EXPECT_TRUE(s.running());
}

TEST(CtrlD, BatchOnceWarnsTwiceInARowPowersOff)
{
    SessionOptions o = qemu("batch test");
    VMXLAB_BOOT(b, o);
    Session& s = *b.session;
    Duration t = command_timeout(o);

    ASSERT_TRUE(s.send("\x04"));
    Match m = s.expect_prompt(t);
    ASSERT_TRUE(m) << m.error;
    EXPECT_EQ(m.text, "\n" + hint + "\n> ") << "one Ctrl-D: the hint, then the prompt again";

    Match v = s.eval("1+1", t);   // "1" right after the hint cancels it
    ASSERT_TRUE(v) << v.error;
    EXPECT_EQ(v.text, "2");

    ASSERT_TRUE(s.send("\x04"));
    m = s.expect_prompt(t);
    ASSERT_TRUE(m) << m.error;
    EXPECT_TRUE(contains(m.text, hint.c_str())) << shown(m.text);
    ASSERT_TRUE(s.send("\r"));     // an empty line is "any other key" too
    ASSERT_TRUE(s.expect_prompt(t));
    ASSERT_TRUE(s.send("\x04"));   // armed again, so one more Ctrl-D would not be "right away"
    ASSERT_TRUE(s.expect_prompt(t));
    EXPECT_TRUE(s.running()) << "single Ctrl-Ds never power off";

    ASSERT_TRUE(s.send("\x04"));   // the very next byte after the hint: power off
    std::string error;
    auto status = s.wait_exit(t, &error);
    ASSERT_TRUE(status) << error;
    EXPECT_EQ(*status, (0 << 1) | 1) << "sys.exit-style power-off with status 0";
}

// The sequence in the line editor: "abc", Ctrl-W (the line is empty again), Ctrl-D.
TEST(CtrlD, InteractiveAbcCtrlWCtrlDOnlyWarns)
{
    SessionOptions o = qemu("test");
    VMXLAB_BOOT(b, o);
    Session& s = *b.session;
    Duration t = command_timeout(o);
    ASSERT_TRUE(s.send("abc\x17\x04"));
    Match m = s.expect(hint + "\n", t);
    ASSERT_TRUE(m) << m.error;
    expect_alive(s, t);
}

// Random bytes: all 256 values, with the sequences mixed in, but never two Ctrl-Ds in a
// row (that is the power-off command). Fixed seed: the same bytes every run.
std::string random_bytes(size_t n, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> byte(0, 255), pick(0, 15);
    const char* specials[] = { "abc\x17\x04", "\r\x04", "\x04", "\x1b[", "\t\t", "\x03", "[[", "\x17\x04" };
    std::string out;
    while (out.size() < n) {
        std::string piece;
        int p = pick(rng);
        if (p < 8)
            piece = specials[p];
        else
            piece.push_back(char(p < 12 ? byte(rng) : byte(rng) & 0x1f));   // controls are frequent
        for (char c : piece)
            if (!(c == '\x04' && !out.empty() && out.back() == '\x04'))
                out.push_back(c);
    }
    return out;
}

void random_bytes_leave_a_prompt(const char* append)
{
    SessionOptions o = qemu(append);
    VMXLAB_BOOT(b, o);
    Session& s = *b.session;
    Duration t = command_timeout(o);
    std::string bytes = random_bytes(3000, 20261129);
    ASSERT_NE(bytes.find("abc\x17\x04"), std::string::npos);
    for (size_t i = 0; i < bytes.size(); i += 100) {
        ASSERT_TRUE(s.send(bytes.substr(i, 100))) << "the kernel stopped reading at byte " << i;
        std::this_thread::sleep_for(10ms);
    }
    std::this_thread::sleep_for(500ms);
    ASSERT_TRUE(s.running()) << "random bytes powered the machine off:\n" << shown(s.tail());
    expect_alive(s, t);
}

TEST(RandomBytes, BatchPromptSurvives) { random_bytes_leave_a_prompt("batch test"); }
TEST(RandomBytes, InteractivePromptSurvives) { random_bytes_leave_a_prompt("test"); }

} // namespace
