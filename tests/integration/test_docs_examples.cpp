// The docs' example sessions are real (issue 10, finding 7): every ```lua-session block of
// docs/labs.md, docs/lua-api.md and docs/vmx-api.md is typed at the prompt of the test ISO in Bochs, in order, and
// the output must match what the docs show (format and placeholders: docs_session.hpp). Also
// scripts() against the ISO's modules, exactly.
#include "tests/integration/docs_session.hpp"
#include "tests/integration/targets.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace vmxlab::test;

namespace {

std::string read_file(const std::string& path)
{
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The matcher itself can fail: a changed value, a missing or an extra line is reported.
TEST(DocsSession, MatcherIsExact)
{
    auto cmds = parse_docs_sessions("text\n```lua-session\n> x = 1\n> print(x, 0x2b)\n1\t43\n```\n"
                                    "```lua\n> not a session\n```\n");
    ASSERT_EQ(cmds.size(), 2u);
    EXPECT_EQ(cmds[1].input, "print(x, 0x2b)");
    EXPECT_EQ(cmds[1].line, 4);
    auto actual = terminal_lines("1\t43\r\n");
    ASSERT_EQ(actual.size(), 1u);
    EXPECT_EQ(actual[0], "1       43");
    EXPECT_EQ(match_docs_output({ "1       43" }, actual), "");
    EXPECT_NE(match_docs_output({ "1       44" }, actual), "");
    EXPECT_NE(match_docs_output({}, actual), "");
    EXPECT_NE(match_docs_output({ "1       43", "x" }, actual), "");
    EXPECT_EQ(match_docs_output({ "a {{hex}} b {{dec}}" }, { "a 0x1F b 12" }), "");
    EXPECT_NE(match_docs_output({ "a {{hex}} b" }, { "a 12 b" }), "");
    EXPECT_EQ(match_docs_output({ "first", "...", "last" }, { "first", "x", "y", "last" }), "");
    EXPECT_NE(match_docs_output({ "first", "...", "last" }, { "first", "x" }), "");
    EXPECT_EQ(match_docs_output({ "a (b) [c] {d} *e+" }, { "a (b) [c] {d} *e+" }), "");
    EXPECT_EQ(match_docs_output({ "x -- likely: {{text}}" }, { "x -- likely: anything" }), "");
    EXPECT_NE(match_docs_output({ "x -- likely: {{text}}" }, { "y -- likely: anything" }), "");
}

class DocsExamples : public ::testing::TestWithParam<const char*> {};

TEST_P(DocsExamples, MatchTheRealPrompt)
{
    std::string path = std::string(VMXLAB_SOURCE_DIR) + "/docs/" + GetParam();
    auto commands = parse_docs_sessions(read_file(path));
    ASSERT_FALSE(commands.empty()) << path << ": no ```lua-session command to check";
    SessionOptions o = options_for(Target::bochs, current_test_name());
    VMXLAB_BOOT(b, o);
    Session& s = *b.session;
    for (const DocsCommand& c : commands) {
        Match m = s.eval(c.input, command_timeout(o));
        ASSERT_TRUE(m) << GetParam() << ":" << c.line << ": " << c.input << "\n" << m.error;
        std::string why = match_docs_output(c.expected, terminal_lines(m.text));
        EXPECT_EQ(why, "") << GetParam() << ":" << c.line << ": > " << c.input;
    }
}

INSTANTIATE_TEST_SUITE_P(Docs, DocsExamples, ::testing::Values("labs.md", "lua-api.md", "vmx-api.md"), [](const auto& info) {
    std::string n = info.param;
    for (char& c : n)
        if (!isalnum(static_cast<unsigned char>(c)))
            c = '_';
    return n + "_bochs";   // the examples run on Bochs: the ctest entry is labelled bochs
});

// scripts() lists the ISO's modules in GRUB's order with their sizes, and returns nothing;
// scripts(true) returns the names and prints nothing.
TEST(DocsScripts, ListsTheIsoModulesBochs)
{
    SessionOptions o = options_for(Target::bochs, current_test_name());
    VMXLAB_BOOT(b, o);
    Session& s = *b.session;
    std::string want, names;
    for (const std::string& file : boot_modules()) {
        std::string name = std::filesystem::path(file).filename().string();
        char line[160];
        snprintf(line, sizeof line, "  %-32s %6zu bytes", name.c_str(), size_t(std::filesystem::file_size(file)));
        want += (want.empty() ? "" : "\n") + std::string(line);
        names += (names.empty() ? "" : " ") + name;
    }
    Match m = s.eval("scripts()", command_timeout(o));
    ASSERT_TRUE(m) << m.error;
    EXPECT_EQ(m.text, want);
    m = s.eval("print(table.concat(scripts(true), ' '))", command_timeout(o));
    ASSERT_TRUE(m) << m.error;
    EXPECT_EQ(m.text, names);
}

} // namespace
