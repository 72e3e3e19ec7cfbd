// Hostile input and resource exhaustion: each case must end in a message and a working prompt
// (ReplTest's TearDown checks `1+1` -> `2` after every case).
#include "tests/integration/repl_fixture.hpp"

using namespace vmxlab::test;

namespace {

class Robustness : public ReplTest {};

TEST_P(Robustness, GarbageBytesOnALine)
{
    // Control characters (not Ctrl-C, Backspace or Enter), escape sequences and high bytes.
    ASSERT_EVAL(m, "\x01\x02\x04\x1b[A\x1b[3~\x7e\x80\xff\xfe\x90 @#$ garbage");
    EXPECT_FALSE(m.text.empty()) << "garbage should be reported as an error";
}

TEST_P(Robustness, NulByteOnALine)
{
    ASSERT_EVAL(m, std::string("return 1") + '\0' + " + 1");
    (void)m;   // any message or value will do; the prompt came back
}

TEST_P(Robustness, InvalidUtf8InAString)
{
    // Lua strings are bytes: three invalid UTF-8 bytes are three bytes.
    ASSERT_EVAL(m, "#'\xc3\x28\xff'");
    EXPECT_EQ(m.text, "3");
    ASSERT_EVAL(u, "utf8.len('\xc3\x28\xff')");
    EXPECT_EQ(u.text, "nil\t1");
}

TEST_P(Robustness, LineOf64KiB)
{
    // Either accepted (the length is printed) or refused/truncated with a message: never a crash.
    std::string line = "#'" + std::string(64 * 1024, 'x') + "'";
    ASSERT_EVAL(m, line);
    EXPECT_FALSE(m.text.empty()) << "a 64 KiB line must give a value or a message";
    if (m.text != std::to_string(64 * 1024)) {
        EXPECT_LT(m.text.size(), 4096u) << "the message should not repeat the line";
    }
}

TEST_P(Robustness, DeepRecursionIsStackOverflow)
{
    ASSERT_EVAL(m, "local function r() return 1 + r() end r()");
    EXPECT_TRUE(contains(m.text, "stack overflow")) << shown(m.text);
}

TEST_P(Robustness, DeepCRecursionIsReported)
{
    // C-stack depth (lua.c reports "C stack overflow"); must not overrun the kernel stack.
    ASSERT_EVAL(m, "local s = setmetatable({}, {__index = function(t, k) return t[k] end}); return s.x");
    EXPECT_TRUE(contains(m.text, "stack overflow")) << shown(m.text);
}

TEST_P(Robustness, HugeAllocationIsNotEnoughMemory)
{
    // Lua 5.4 caps string.rep results at INT_MAX ("resulting string too large"); below the cap,
    // 2 GiB is more than the machine has, so the allocator must fail cleanly.
    ASSERT_EVAL(m, "string.rep('x', (1 << 31) - 1)");
    EXPECT_TRUE(contains(m.text, "not enough memory")) << shown(m.text);
    ASSERT_EVAL(huge, "string.rep('x', 1 << 40)");
    EXPECT_TRUE(contains(huge.text, "not enough memory") || contains(huge.text, "resulting string too large"))
        << shown(huge.text);
}

TEST_P(Robustness, ExhaustingTheHeapIsNotEnoughMemory)
{
    ASSERT_EVAL(m, "local s, t = string.rep('y', 65536), {} for i = 1, 1 << 40 do t[i] = s .. i end");
    EXPECT_TRUE(contains(m.text, "not enough memory")) << shown(m.text);
    ASSERT_EVAL(gc, "collectgarbage() return collectgarbage('count') < 4096");
    EXPECT_EQ(gc.text, "true") << "the heap is freed again after the failed chunk";
}

INSTANTIATE_TEST_SUITE_P(Targets, Robustness, VMXLAB_REPL_TARGETS, target_param_name);

} // namespace
