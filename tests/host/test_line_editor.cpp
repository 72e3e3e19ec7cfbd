// The line editor, key by key: feed bytes, check the line, the cursor and what reached the terminal.
#include <gtest/gtest.h>
#include "tests/host/line_editor_harness.hpp"

using kernel::LineEditor;
using Event = kernel::LineEditor::Event;
using test::Editor;
using test::Screen;

#define LEFT "\x1b[D"
#define RIGHT "\x1b[C"
#define UP "\x1b[A"
#define DOWN "\x1b[B"

TEST(LineEditor, TypedLineIsEchoedAndReturnedOnEnter)
{
    Editor t;
    t.ed->begin("> ");
    EXPECT_EQ(t.type("1+1"), Event::none);
    EXPECT_EQ(t.type("\r"), Event::line);
    EXPECT_EQ(t.line(), "1+1");
    EXPECT_EQ(t.out, "> 1+1\r\n");
}

TEST(LineEditor, CrLfEndsOneLineAndLfAloneWorks)
{
    Editor t;
    t.ed->begin("> ");
    t.type("a\r\n");
    t.ed->begin("> ");
    t.type("b\n");
    EXPECT_EQ(t.line(), "b");
    t.ed->begin("> ");
    t.type("\r\r");   // two CRs: two (empty) lines
    EXPECT_EQ(t.events, (std::vector<Event>{Event::line, Event::line, Event::line, Event::line}));
}

TEST(LineEditor, CursorKeysInsertInTheMiddle)
{
    Editor t;
    t.ed->begin("> ");
    t.type("ac" LEFT "b");
    EXPECT_EQ(t.line(), "abc");
    EXPECT_EQ(t.ed->cursor(), 2u);
    t.type("\x1bOD\x1bOD" "X" "\x1bOC" "\x06" "Y");   // SS3 left twice, SS3 right, Ctrl-F
    EXPECT_EQ(t.line(), "XabYc");
    Screen s(80);
    s.write(t.out);
    EXPECT_EQ(s.row(0), "> XabYc");
    EXPECT_EQ(s.cursor_col(), 2u + 4);
}

TEST(LineEditor, EveryHomeAndEndSpelling)
{
    for (const char* home : {"\x1b[H", "\x1b[1~", "\x1b[7~", "\x1bOH", "\x01"}) {
        Editor t;
        t.ed->begin("");
        t.type(std::string("bc") + home + "a");
        EXPECT_EQ(t.line(), "abc") << home + 1;
    }
    for (const char* end : {"\x1b[F", "\x1b[4~", "\x1b[8~", "\x1bOF", "\x05"}) {
        Editor t;
        t.ed->begin("");
        t.type(std::string("ab\x01") + end + "c");
        EXPECT_EQ(t.line(), "abc") << end + 1;
    }
}

TEST(LineEditor, BackspaceAndDelete)
{
    Editor t;
    t.ed->begin("> ");
    t.type("abcd\x7f");        // DEL
    EXPECT_EQ(t.line(), "abc");
    t.type("\x08");            // BS
    EXPECT_EQ(t.line(), "ab");
    t.type("\x01\x1b[3~");     // Home, Delete
    EXPECT_EQ(t.line(), "b");
    t.type("\x04");            // Ctrl-D on a non-empty line deletes under the cursor
    EXPECT_EQ(t.line(), "");
    EXPECT_EQ(t.ed->cursor(), 0u);
    t.type("\x7f\x1b[3~");     // nothing left to delete: harmless
    EXPECT_EQ(t.line(), "");
    Screen s(80);
    s.write(t.out);
    EXPECT_EQ(s.text(), ">\n");   // Screen::text() trims trailing blanks
    EXPECT_EQ(s.cursor_col(), 2u);
}

TEST(LineEditor, CtrlDOnEmptyLineIsEof)
{
    Editor t;
    t.ed->begin("> ");
    EXPECT_EQ(t.type("\x04"), Event::eof);
    EXPECT_EQ(t.out, "> \r\n");
}

TEST(LineEditor, KillAndYank)
{
    Editor t;
    t.ed->begin("> ");
    t.type("local x = 42" LEFT LEFT "\x0b");   // Ctrl-K: kill "42"
    EXPECT_EQ(t.line(), "local x = ");
    t.type("\x19");                           // Ctrl-Y
    EXPECT_EQ(t.line(), "local x = 42");
    t.type("\x17");                           // Ctrl-W: back to whitespace
    EXPECT_EQ(t.line(), "local x = ");
    t.type("\x17\x17");
    EXPECT_EQ(t.line(), "local ");
    t.type("\x15");                           // Ctrl-U: kill to start
    EXPECT_EQ(t.line(), "");
    t.type("a.b.c" "\x1b\x7f");               // Alt-Backspace kills one word
    EXPECT_EQ(t.line(), "a.b.");
    t.type("\x01\x1b" "d");                   // Alt-d kills the next word
    EXPECT_EQ(t.line(), ".b.");
}

TEST(LineEditor, WordMoves)
{
    Editor t;
    t.ed->begin("");
    t.type("foo bar.baz");
    t.type("\x1b[1;5D");   // Ctrl-Left
    EXPECT_EQ(t.ed->cursor(), 8u);
    t.type("\x1b" "b");   // Alt-b
    EXPECT_EQ(t.ed->cursor(), 4u);
    t.type("\x1b" "f");   // Alt-f
    EXPECT_EQ(t.ed->cursor(), 7u);
    t.type("\x1b[1;5C");
    EXPECT_EQ(t.ed->cursor(), 11u);
}

TEST(LineEditor, CtrlCDiscardsTheLine)
{
    Editor t;
    t.ed->begin("> ");
    EXPECT_EQ(t.type("for i=1,10 do" LEFT LEFT "\x03"), Event::cancel);
    EXPECT_EQ(t.out.substr(t.out.size() - 4), "^C\r\n");
    t.ed->begin("> ");
    EXPECT_EQ(t.line(), "");
    EXPECT_EQ(t.type("x\r"), Event::line);
    EXPECT_EQ(t.line(), "x");
    Screen s(80);
    s.write(t.out);
    EXPECT_EQ(s.text(), "> for i=1,10 do^C\n> x\n");
}

TEST(LineEditor, CtrlLClearsAndRedraws)
{
    Editor t;
    t.ed->begin("> ");
    t.type("abc" LEFT);
    t.out.clear();
    t.type("\x0c");
    EXPECT_EQ(t.out.rfind("\x1b[H\x1b[2J", 0), 0u);
    Screen s(80);
    s.write("junk\r\n" + t.out);
    EXPECT_EQ(s.text(), "> abc\n");
    EXPECT_EQ(s.cursor_col(), 4u);
}

TEST(LineEditor, HistoryKeepsTheLineBeingTyped)
{
    Editor t;
    t.history->add("first", 5);
    t.history->add("second", 6);
    t.ed->begin("> ");
    t.type("draft");
    t.type(UP);
    EXPECT_EQ(t.line(), "second");
    t.type("\x10");   // Ctrl-P
    EXPECT_EQ(t.line(), "first");
    t.type(UP);       // past the oldest: bell, unchanged
    EXPECT_EQ(t.line(), "first");
    t.type(DOWN);
    EXPECT_EQ(t.line(), "second");
    t.type("\x0e");   // Ctrl-N: back to the draft
    EXPECT_EQ(t.line(), "draft");
    EXPECT_EQ(t.ed->cursor(), 5u);
    t.type(DOWN);
    EXPECT_EQ(t.line(), "draft");
    Screen s(80);
    s.write(t.out);
    EXPECT_EQ(s.text(), "> draft\n");
    EXPECT_EQ(s.bells(), 2u);
}

TEST(LineEditor, HistoryEntryCanBeEditedAndAccepted)
{
    Editor t;
    t.history->add("print(1)", 8);
    t.ed->begin("> ");
    t.type(UP LEFT "2\r");
    EXPECT_EQ(t.line(), "print(12)");
}

TEST(LineEditor, UnknownEscapeSequencesAreSwallowed)
{
    Editor t;
    t.ed->begin("> ");
    t.type("a\x1b[200~b\x1b[201~"   // bracketed-paste marks
           "\x1b[15~"               // F5
           "\x1b[?1;2c"             // a device-attributes reply
           "\x1b[<0;12;5M"          // an SGR mouse report
           "\x1bOP"                 // F1
           "\x1bx"                  // Alt-x
           "\x1b[1;2R"              // Shift-F3 (looks like a cursor report nobody asked for)
           "c");
    EXPECT_EQ(t.line(), "abc");
    EXPECT_EQ(t.ed->columns(), 80u);
}

TEST(LineEditor, CtrlCInsideAnEscapeSequenceStillCancels)
{
    Editor t;
    t.ed->begin("> ");
    EXPECT_EQ(t.type("x\x1b[12\x03"), Event::cancel);
    t.ed->begin("> ");
    EXPECT_EQ(t.type("\x1b\x03"), Event::cancel);
}

TEST(LineEditor, ColumnsFromCursorPositionReport)
{
    Editor t;
    t.ed->query_columns();
    EXPECT_NE(t.out.find("\x1b[6n"), std::string::npos);
    t.ed->begin("> ");
    t.type("ab\x1b[24;132Rc");
    EXPECT_EQ(t.ed->columns(), 132u);
    EXPECT_EQ(t.line(), "abc");
    t.type("\x1b[24;40R");   // unasked: ignored
    EXPECT_EQ(t.ed->columns(), 132u);
}

TEST(LineEditor, CtrlLMeasuresAndANewWidthRedraws)
{
    Editor t;
    t.ed->begin("> ");
    t.type(std::string(30, 'x'));
    t.type("\x0c");
    EXPECT_NE(t.out.find("\x1b[6n"), std::string::npos);
    t.out.clear();
    t.type("\x1b[24;20R");   // a 20-column terminal: redraw wrapped at 20
    EXPECT_EQ(t.ed->columns(), 20u);
    Screen s(20);
    s.write(t.out);
    EXPECT_EQ(s.text(), "> " + std::string(18, 'x') + "\n" + std::string(12, 'x') + "\n");
    EXPECT_EQ(s.cursor_row(), 1u);
    EXPECT_EQ(s.cursor_col(), 12u);
}

TEST(LineEditor, NoWidthQueryUnlessAsked)
{
    Editor t;
    t.ed->begin("> ");
    t.type(std::string(300, 'y') + "\x01\x05\r");
    EXPECT_EQ(t.out.find("\x1b[6n"), std::string::npos);
    EXPECT_EQ(t.out.find("\x1b" "7"), std::string::npos);
}

TEST(LineEditor, NulAndControlBytesAreIgnored)
{
    Editor t;
    t.ed->begin("> ");
    t.type(std::string("a\0b\x07\x11\x12\x13\x1a\x1c\x1d\x1e\x1fz", 13));
    EXPECT_EQ(t.line(), "abz");
    EXPECT_EQ(strlen(t.ed->line()), t.ed->length());
}

TEST(LineEditor, Utf8IsOneGlyphAndInvalidBytesShowAsQuestionMarks)
{
    Editor t;
    t.ed->begin("> ");
    t.type("\xc3\xa9t\xc3\xa9");   // "été"
    EXPECT_EQ(t.ed->length(), 5u);
    t.type(LEFT);
    EXPECT_EQ(t.ed->cursor(), 3u);   // one glyph, two bytes
    t.type(LEFT LEFT);
    EXPECT_EQ(t.ed->cursor(), 0u);
    t.type("\x1b[F\xff\xfe\x80");    // invalid bytes are kept
    EXPECT_EQ(t.line(), "\xc3\xa9t\xc3\xa9\xff\xfe\x80");
    Screen s(80);
    s.write(t.out);
    EXPECT_EQ(s.row(0), "> \xc3\xa9t\xc3\xa9???");
    EXPECT_EQ(s.cursor_col(), 2u + 6);
    t.type("\x7f\x7f\x7f\x7f");      // three invalid bytes, then the two bytes of the last é
    EXPECT_EQ(t.line(), "\xc3\xa9t");
}

TEST(LineEditor, PromptColourCodesTakeNoColumns)
{
    Editor t;
    t.ed->set_columns(10);
    t.ed->begin("\x1b[1m>\x1b[0m ");
    t.type("12345678" LEFT);
    Screen s(10);
    s.write(t.out);
    EXPECT_EQ(s.text(), ">" " 12345678\n");
    EXPECT_EQ(s.cursor_row(), 0u);
    EXPECT_EQ(s.cursor_col(), 9u);
}

TEST(LineEditor, TabWithoutAWordInsertsATab)
{
    Editor t;
    t.ed->begin("> ");
    t.type("\tx = (\t");
    EXPECT_EQ(t.line(), "\tx = (\t");
    Screen s(80);
    s.write(t.out);
    EXPECT_EQ(s.row(0), ">  x = (");
}

TEST(LineEditor, FeedAfterAnEventStartsANewLine)
{
    Editor t;
    t.ed->begin("> ");
    t.type("a\r");
    t.type("b");   // no begin(): a new line without a prompt
    EXPECT_EQ(t.line(), "b");
}
