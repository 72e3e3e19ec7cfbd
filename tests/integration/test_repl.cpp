// The prompt behaves like lua.c: expressions print their value, incomplete chunks continue with
// ">> ", errors print a message with a traceback and the prompt comes back, Ctrl-C interrupts.
#include "tests/integration/repl_fixture.hpp"

using namespace vmxlab::test;

namespace {

class Repl : public ReplTest {};

TEST_P(Repl, ExpressionPrintsItsValue)
{
    ASSERT_EVAL(m, "1+1");
    EXPECT_EQ(m.text, "2");
    ASSERT_EVAL(e, "=1+2");
    EXPECT_EQ(e.text, "3");
    ASSERT_EVAL(s, "x = 6 * 7");
    EXPECT_EQ(s.text, "") << "a statement prints nothing";
    ASSERT_EVAL(x, "x, 'two', nil");
    EXPECT_EQ(x.text, "42\ttwo\tnil");
}

TEST_P(Repl, IncompleteChunkContinues)
{
    ASSERT_TRUE(session().send_line("function f()"));
    Match c = session().expect_continuation(timeout());
    ASSERT_TRUE(c) << c.error;
    ASSERT_EVAL(end, "return 42 end");
    EXPECT_EQ(end.text, "");
    ASSERT_EVAL(m, "f()");
    EXPECT_EQ(m.text, "42");
}

TEST_P(Repl, SyntaxErrorPrintsMessage)
{
    ASSERT_EVAL(m, "x = = 1");
    EXPECT_EQ(m.text, "stdin:1: unexpected symbol near '='");
}

TEST_P(Repl, RuntimeErrorPrintsTraceback)
{
    ASSERT_EVAL(m, "error('boom')");
    EXPECT_EQ(m.text, "stdin:1: boom\nstack traceback:\n\t[C]: in function 'error'\n\tstdin:1: in main chunk\n\t[C]: in ?");
    ASSERT_EVAL(a, "local t = nil; return t.x");
    EXPECT_EQ(a.text, "stdin:1: attempt to index a nil value (local 't')\nstack traceback:\n\tstdin:1: in main chunk\n\t[C]: in ?");
}

TEST_P(Repl, NonStringErrorObjects)
{
    ASSERT_EVAL(t, "error({})");
    // lua.c's message handler: "(error object is a T value)" with a traceback, or __tostring's text.
    const std::string trace = "\nstack traceback:\n\t[C]: in function 'error'\n\tstdin:1: in main chunk\n\t[C]: in ?";
    EXPECT_EQ(t.text, "(error object is a table value)" + trace);
    ASSERT_EVAL(n, "error(nil)");
    EXPECT_EQ(n.text, "(error object is a nil value)" + trace);
    ASSERT_EVAL(m, "error(setmetatable({}, {__tostring = function() return 'custom' end}))");
    EXPECT_EQ(m.text, "custom");
}

TEST_P(Repl, CtrlCInterruptsInfiniteLoop)
{
    ASSERT_TRUE(session().send_line("while true do end"));
    // Let the loop start (Bochs is slower), then interrupt it.
    Match none = session().expect_prompt(Duration(GetParam() == Target::bochs ? 2000 : 500));
    ASSERT_FALSE(none) << "the loop returned to the prompt by itself:\n" << shown(none.text);
    ASSERT_TRUE(session().send("\x03"));
    Match m = session().expect("interrupted!", timeout());
    ASSERT_TRUE(m) << m.error;
    m = session().expect_prompt(timeout());
    ASSERT_TRUE(m) << m.error;
}

// io.read waits for a line typed on COM1; Ctrl-C ends the wait with "interrupted!".
TEST_P(Repl, IoReadReadsALineAndCtrlCInterruptsIt)
{
    ASSERT_TRUE(session().send_line("print('got ' .. io.read())"));
    ASSERT_TRUE(session().send_line("a typed line"));
    Match m = session().expect_prompt(timeout());
    ASSERT_TRUE(m) << m.error;
    EXPECT_TRUE(contains(m.text, "got a typed line")) << shown(m.text);

    ASSERT_TRUE(session().send_line("x = io.read()"));
    Match none = session().expect_prompt(Duration(GetParam() == Target::bochs ? 2000 : 500));
    ASSERT_FALSE(none) << "io.read returned without input:\n" << shown(none.text);
    ASSERT_TRUE(session().send("\x03"));
    m = session().expect("interrupted!", timeout());
    ASSERT_TRUE(m) << m.error;
    m = session().expect_prompt(timeout());
    ASSERT_TRUE(m) << m.error;
}

TEST_P(Repl, CtrlCAtPromptDiscardsTheLine)
{
    ASSERT_TRUE(session().send("1+"));
    ASSERT_TRUE(session().send("\x03"));
    // If "1+" survived, the next line would be a syntax error instead of 42.
    ASSERT_TRUE(session().send_line("=6*7"));
    Match m = session().expect(std::regex(R"((^|\n|> )42\n)"), timeout());
    ASSERT_TRUE(m) << m.error;
    EXPECT_FALSE(contains(m.text, "unexpected")) << shown(m.text);
    m = session().expect_prompt(timeout());
    ASSERT_TRUE(m) << m.error;
}

TEST_P(Repl, CtrlCInContinuationDiscardsTheChunk)
{
    ASSERT_TRUE(session().send_line("function g()"));
    Match c = session().expect_continuation(timeout());
    ASSERT_TRUE(c) << c.error;
    ASSERT_TRUE(session().send("\x03"));
    ASSERT_TRUE(session().send_line("=6*7"));
    Match m = session().expect(std::regex(R"((^|\n|> )42\n)"), timeout());
    ASSERT_TRUE(m) << m.error;
    m = session().expect_prompt(timeout());
    ASSERT_TRUE(m) << m.error;
}

INSTANTIATE_TEST_SUITE_P(Targets, Repl, VMXLAB_REPL_TARGETS, target_param_name);

} // namespace
