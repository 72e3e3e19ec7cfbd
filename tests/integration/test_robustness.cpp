// Hostile input and resource exhaustion: each case must end in a message and a working prompt
// (ReplTest's TearDown checks `1+1` -> `2` after every case).
#include "tests/integration/repl_fixture.hpp"

using namespace vmxlab::test;

namespace {

class Robustness : public ReplTest {};

TEST_P(Robustness, GarbageBytesOnALine)
{
    // Control characters (not Ctrl-C, Backspace or Enter), escape sequences and high bytes.
    // Batch mode takes the line verbatim: Lua's lexer stops at the first byte, 0x01.
    ASSERT_EVAL(m, "\x01\x02\x04\x1b[A\x1b[3~\x7e\x80\xff\xfe\x90 @#$ garbage");
    EXPECT_EQ(m.text, "stdin:1: unexpected symbol near '<\\1>'");
}

TEST_P(Robustness, NulByteOnALine)
{
    // The NUL is a token of its own after `return 1`; Lua's message leaves out "near" for token 0.
    ASSERT_EVAL(m, std::string("return 1") + '\0' + " + 1");
    EXPECT_EQ(m.text, "stdin:1: <eof> expected");
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
    // lua_bindings/repl.hpp: a line longer than the line editor's capacity is discarded with this message.
    std::string line = "#'" + std::string(64 * 1024, 'x') + "'";
    ASSERT_EVAL(m, line);
    EXPECT_EQ(m.text, "input line too long (max 4096 bytes); discarded");
}

TEST_P(Robustness, DeepRecursionIsStackOverflow)
{
    ASSERT_EVAL(m, "local function r() return 1 + r() end r()");
    EXPECT_EQ(first_lines(m.text, 2), "stdin:1: stack overflow\nstack traceback:\n") << shown(m.text);
}

TEST_P(Robustness, DeepCRecursionIsReported)
{
    // C-stack depth (lua.c reports "C stack overflow"); must not overrun the kernel stack.
    ASSERT_EVAL(m, "local s = setmetatable({}, {__index = function(t, k) return t[k] end}); return s.x");
    EXPECT_EQ(first_lines(m.text, 2), "stdin:1: C stack overflow\nstack traceback:\n") << shown(m.text);
}

TEST_P(Robustness, HugeAllocationIsNotEnoughMemory)
{
    // Lua 5.4 caps string.rep results at INT_MAX ("resulting string too large"); below the cap,
    // 2 GiB is more than the machine has, so the allocator must fail cleanly.
    // Out of memory, lua.c's message handler cannot build a traceback: the bare message.
    ASSERT_EVAL(m, "string.rep('x', (1 << 31) - 1)");
    EXPECT_EQ(m.text, "not enough memory");
    ASSERT_EVAL(huge, "string.rep('x', 1 << 40)");
    EXPECT_EQ(first_lines(huge.text, 2), "stdin:1: resulting string too large\nstack traceback:\n") << shown(huge.text);
}

TEST_P(Robustness, ExhaustingTheHeapIsNotEnoughMemory)
{
    ASSERT_EVAL(m, "local s, t = string.rep('y', 65536), {} for i = 1, 1 << 40 do t[i] = s .. i end");
    EXPECT_EQ(m.text, "not enough memory");
    ASSERT_EVAL(gc, "collectgarbage() return collectgarbage('count') < 4096");
    EXPECT_EQ(gc.text, "true") << "the heap is freed again after the failed chunk";
}

INSTANTIATE_TEST_SUITE_P(Targets, Robustness, VMXLAB_REPL_TARGETS, target_param_name);

} // namespace
