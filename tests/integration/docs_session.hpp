// Example sessions in the docs, checked against the real prompt (test_docs_examples.cpp).
// A fenced block opened with ```lua-session holds what a user types and sees:
//   > cr0_run(0xFFFF, 0)          a line starting "> " is typed at the prompt
//   0       2147483697            the lines up to the next "> " are its output, as a terminal
//                                 shows it (tabs expanded to 8-column stops)
// Volatile parts are marked where they occur, and only there: {{hex}} stands for one hex number
// (0x...), {{dec}} for one decimal number, {{text}} for some text (another component's wording,
// such as the entry checker's hint), and a line holding only "..." for any number of lines left
// out. Everything else must match exactly (trailing blanks aside, which Markdown loses).
#pragma once
#include <string>
#include <vector>

namespace vmxlab::test {

struct DocsCommand {
    std::string input;                  // without the "> "
    std::vector<std::string> expected;  // its output lines, as written in the docs
    int line = 0;                       // where the "> " line is in the file (1-based)
};

// Every command of every ```lua-session block of `markdown`, in order.
std::vector<DocsCommand> parse_docs_sessions(const std::string& markdown);

// The output as a terminal shows it: CRs dropped, tabs expanded, trailing blanks removed.
std::vector<std::string> terminal_lines(const std::string& output);

// "" if `actual` matches `expected` (placeholders and "..." as above), else what differs.
std::string match_docs_output(const std::vector<std::string>& expected, const std::vector<std::string>& actual);

} // namespace vmxlab::test
