// stdin's line discipline (kernel/libc/line_edit.c): what io.read() gets from typed bytes, and
// what the terminal is shown.
#include <gtest/gtest.h>
#include <string>
#include "kernel/libc/line_edit.h"

namespace {

std::string shown;
void record(const char* s, size_t n) { shown.append(s, n); }

struct Typed {
    line_status status;
    std::string line;
};

// Feeds bytes until the editor hands over a line (or the bytes run out).
struct Terminal {
    unsigned char buf[16];
    line_edit e{};

    Terminal()
    {
        shown.clear();
        e.buf = buf;
        e.cap = sizeof buf;
        e.echo = record;
    }

    Typed type(const std::string& bytes, size_t* used = nullptr)
    {
        line_edit_start(&e);
        line_status st = LINE_MORE;
        size_t i = 0;
        while (i < bytes.size() && st == LINE_MORE)
            st = line_edit_feed(&e, static_cast<unsigned char>(bytes[i++]));
        if (used)
            *used = i;
        return { st, std::string(reinterpret_cast<char*>(buf), e.len) };
    }
};

} // namespace

TEST(LibcLineEdit, LineEndsWithLfCrOrCrlf)
{
    Terminal t;
    EXPECT_EQ(t.type("abc\n").line, "abc\n");
    EXPECT_EQ(t.type("def\r").line, "def\n");
    // The LF of a CRLF belongs to the line before: the next line does not start empty.
    auto next = t.type("\nghi\r\n");
    EXPECT_EQ(next.status, LINE_DONE);
    EXPECT_EQ(next.line, "ghi\n");
    EXPECT_EQ(shown, "abc\ndef\nghi\n");
}

TEST(LibcLineEdit, EmptyLineIsANewline)
{
    Terminal t;
    auto r = t.type("\n");
    EXPECT_EQ(r.status, LINE_DONE);
    EXPECT_EQ(r.line, "\n");
}

TEST(LibcLineEdit, BackspaceAndDeleteEraseOneCharacter)
{
    Terminal t;
    EXPECT_EQ(t.type("abx\x7f" "c\bd\n").line, "abd\n");
    EXPECT_EQ(shown, "abx\b \bc\b \bd\n");
}

TEST(LibcLineEdit, BackspaceErasesAWholeUtf8Sequence)
{
    Terminal t;
    EXPECT_EQ(t.type("h\xc3\xa4\x7f" "\xe2\x82\xac\n").line, "h\xe2\x82\xac\n");
}

TEST(LibcLineEdit, BackspaceOnEmptyLineDoesNothing)
{
    Terminal t;
    EXPECT_EQ(t.type("\x7f\x7f" "a\n").line, "a\n");
    EXPECT_EQ(shown, "a\n");
}

TEST(LibcLineEdit, CtrlUKillsTheLine)
{
    Terminal t;
    EXPECT_EQ(t.type("wrong\x15right\n").line, "right\n");
}

TEST(LibcLineEdit, CtrlDOnEmptyLineIsEndOfFile)
{
    Terminal t;
    auto r = t.type("\x04");
    EXPECT_EQ(r.status, LINE_EOF);
    EXPECT_EQ(r.line, "");
}

TEST(LibcLineEdit, CtrlDAfterTextHandsOverThePartialLine)
{
    Terminal t;
    auto r = t.type("abc\x04");
    EXPECT_EQ(r.status, LINE_DONE);
    EXPECT_EQ(r.line, "abc");
}

TEST(LibcLineEdit, OtherControlCharactersAreIgnoredTabIsKept)
{
    Terminal t;
    EXPECT_EQ(t.type("a\x1b\x01\tb\n").line, "a\tb\n");
}

TEST(LibcLineEdit, FullBufferHandsOverAndTheLineGoesOn)
{
    Terminal t;     // 16 bytes: 15 characters, one byte kept for a newline
    size_t used = 0;
    std::string input = std::string(20, 'x') + "\n";
    auto first = t.type(input, &used);
    EXPECT_EQ(first.status, LINE_DONE);
    EXPECT_EQ(first.line, std::string(15, 'x'));
    auto rest = t.type(input.substr(used));
    EXPECT_EQ(rest.line, std::string(5, 'x') + "\n");
}

TEST(LibcLineEdit, NewlineAlwaysFits)
{
    Terminal t;
    auto r = t.type(std::string(14, 'y') + "\n");
    EXPECT_EQ(r.status, LINE_DONE);
    EXPECT_EQ(r.line, std::string(14, 'y') + "\n");
}
