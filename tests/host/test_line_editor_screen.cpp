// The line editor against a VT100 model: wrapped lines, long and hostile input, raw mode, and the
// completion keys. After every key the model must show exactly prompt + line with the cursor right.
#include <gtest/gtest.h>
#include <stdint.h>
#include "tests/host/line_editor_harness.hpp"

using kernel::LineEditor;
using Event = kernel::LineEditor::Event;
using test::Editor;
using test::Screen;

namespace {

// What the screen should show for `prompt` + `line`: valid UTF-8 as itself, a tab as a space,
// anything else as '?', wrapped every `cols`; and where the cursor should be.
struct Expected {
    std::vector<std::string> glyphs;
    size_t cursor_glyph = 0;
    bool cursor_on_boundary = false;
};

Expected expect(const std::string& prompt, const std::string& line, size_t cursor)
{
    Expected e;
    for (char c : prompt) e.glyphs.push_back(std::string(1, c));
    for (size_t i = 0; i < line.size();) {
        if (i == cursor) { e.cursor_glyph = e.glyphs.size(); e.cursor_on_boundary = true; }
        unsigned char c = line[i];
        size_t n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        bool ok = n > 0 && i + n <= line.size();
        for (size_t k = 1; ok && k < n; k++) ok = (line[i + k] & 0xc0) == 0x80;
        if (ok && n == 3) ok = !(c == 0xe0 && (unsigned char)line[i + 1] < 0xa0) && !(c == 0xed && (unsigned char)line[i + 1] > 0x9f);
        if (ok && n == 4) ok = !(c == 0xf0 && (unsigned char)line[i + 1] < 0x90) && !(c == 0xf4 && (unsigned char)line[i + 1] > 0x8f);
        if (ok && n > 1) { e.glyphs.push_back(line.substr(i, n)); i += n; continue; }
        e.glyphs.push_back(c == '\t' ? " " : (c < 0x20 || c >= 0x7f) ? "?" : std::string(1, char(c)));
        i++;
    }
    if (cursor == line.size()) { e.cursor_glyph = e.glyphs.size(); e.cursor_on_boundary = true; }
    return e;
}

void check_screen(const Editor& t, const std::string& prompt, size_t cols, const std::string& context)
{
    Expected e = expect(prompt, t.line(), t.ed->cursor());
    ASSERT_TRUE(e.cursor_on_boundary) << context << ": cursor inside a glyph";
    std::vector<std::string> rows((e.glyphs.size() + cols - 1) / cols);
    for (size_t i = 0; i < e.glyphs.size(); i++) rows[i / cols] += e.glyphs[i];
    for (auto& r : rows)
        while (!r.empty() && r.back() == ' ') r.pop_back();
    while (!rows.empty() && rows.back().empty()) rows.pop_back();
    std::string want;
    for (const auto& r : rows) want += r + "\n";
    Screen s(cols);
    s.write(t.out);
    ASSERT_EQ(s.text(), want) << context;
    ASSERT_EQ(s.cursor_row(), e.cursor_glyph / cols) << context;
    ASSERT_EQ(s.cursor_col(), e.cursor_glyph % cols) << context;
}

struct Rng {
    uint64_t s;
    uint32_t next() { s = s * 6364136223846793005ull + 1442695040888963407ull; return uint32_t(s >> 33); }
};

} // namespace

TEST(LineEditorScreen, LongLineWrapsAndEditsInTheMiddle)
{
    Editor t;
    t.ed->set_columns(20);
    t.ed->begin("> ");
    t.type("0123456789abcdefghijklmnopqrstuvwxyz");
    check_screen(t, "> ", 20, "typed");
    t.type("\x01XY");
    check_screen(t, "> ", 20, "inserted at home");
    t.type("\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x7f");
    check_screen(t, "> ", 20, "backspace across the wrap");
    t.type("\x0b");
    check_screen(t, "> ", 20, "kill to end");
}

TEST(LineEditorScreen, TextEndingAtTheMarginPutsTheCursorOnTheNextRow)
{
    Editor t;
    t.ed->set_columns(10);
    t.ed->begin("> ");
    t.type("12345678");
    check_screen(t, "> ", 10, "exactly one row");
    EXPECT_EQ(t.type("\r"), Event::line);
    EXPECT_EQ(t.out, "> 12345678\r\n");   // no blank row after the line
}

// Random editing keys (printables, UTF-8, invalid bytes, moves, kills, history) on a narrow
// terminal: the screen must match the line after every key.
TEST(LineEditorScreen, RandomEditsKeepTheScreenRight)
{
    static const char* keys[] = {
        "a", "b", " ", "x.y", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xff", "\xc3", "\xa9", "\t",
        "\x1b[D", "\x1b[C", "\x1b[H", "\x1b[F", "\x01", "\x05", "\x7f", "\x08", "\x1b[3~", "\x04",
        "\x0b", "\x15", "\x17", "\x19", "\x1b" "b", "\x1b" "f", "\x1b" "d", "\x1b\x7f", "\x1b[A", "\x1b[B", "\x0c",
    };
    for (uint64_t seed = 1; seed <= 40; seed++) {
        Editor t;
        t.history->add("history line \xe2\x82\xac one", 18);
        t.history->add("a much longer history line that wraps on a narrow terminal", 59);
        size_t cols = 7 + seed % 13;
        t.ed->set_columns(cols);
        t.ed->begin("lua> ");
        Rng rng{seed};
        for (int k = 0; k < 300; k++) {
            const char* key = keys[rng.next() % (sizeof keys / sizeof keys[0])];
            if (t.type(key) != Event::none) break;   // Ctrl-D on an empty line
            ASSERT_LE(t.ed->cursor(), t.ed->length());
            check_screen(t, "lua> ", cols, "seed " + std::to_string(seed) + " step " + std::to_string(k));
        }
    }
}

TEST(LineEditorScreen, SixtyFourKilobyteLineIsRefusedPastCapacity)
{
    Editor t;
    t.ed->begin("> ");
    std::string big(64 * 1024, 'x');
    EXPECT_EQ(t.type(big), Event::none);
    EXPECT_EQ(t.ed->length(), LineEditor::capacity);
    EXPECT_TRUE(t.ed->truncated());
    Screen s(80);
    s.write(t.out);
    EXPECT_EQ(s.bells(), 1u);   // one bell for the refused rest, not 60,000
    EXPECT_EQ(s.row(0).size(), 80u);
    EXPECT_EQ(t.type("\r"), Event::line);
    EXPECT_TRUE(t.ed->truncated());
    t.ed->begin("> ");
    EXPECT_FALSE(t.ed->truncated());
    t.type("ok\r");
    EXPECT_EQ(t.line(), "ok");
}

TEST(LineEditorScreen, SixtyFourKilobyteLineInRawMode)
{
    Editor t(LineEditor::Mode::raw);
    t.ed->begin("> ");
    std::string big(64 * 1024, 'y');
    t.type(big);
    EXPECT_EQ(t.type("\n"), Event::line);
    EXPECT_EQ(t.ed->length(), LineEditor::capacity);
    EXPECT_TRUE(t.ed->truncated());
    EXPECT_EQ(t.ed->line()[LineEditor::capacity], '\0');
    EXPECT_EQ(t.out, "> ");   // no echo, no bells
}

TEST(LineEditorScreen, GarbageNeverBreaksTheEditor)
{
    Editor t;
    t.ed->set_completer([](void*, const char*, size_t, const kernel::CompletionWord&, kernel::Candidates& out) {
        out.add("alpha"); out.add("alps"); out.add("beta");
    }, nullptr);
    Rng rng{12345};
    t.ed->begin("> ");
    for (int i = 0; i < 200000; i++) {
        t.ed->feed(uint8_t(rng.next()));
        ASSERT_LE(t.ed->length(), LineEditor::capacity);
        ASSERT_LE(t.ed->cursor(), t.ed->length());
        ASSERT_EQ(t.ed->line()[t.ed->length()], '\0');
    }
    t.ed->begin("> ");
    t.type("\x1b[B\x1b[B\x1b[B");   // whatever history the garbage made: back to the new line
    t.type("\x15print(1)\r");
    EXPECT_EQ(t.line(), "print(1)");
}

TEST(LineEditorScreen, RawModeTakesBytesVerbatim)
{
    Editor t(LineEditor::Mode::raw);
    t.ed->begin("> ");
    EXPECT_EQ(t.type(std::string("a\0\x1b[D\x7f\tb\r\n", 10)), Event::line);
    EXPECT_EQ(t.line(), std::string("a\0\x1b[D\x7f\tb", 8));
    t.ed->begin(">> ");
    EXPECT_EQ(t.type("x\x04y\n"), Event::line);   // Ctrl-D inside a line is just a byte
    EXPECT_EQ(t.line(), "x\x04y");
    t.ed->begin("> ");
    EXPECT_EQ(t.type("partial\x03"), Event::cancel);
    t.ed->begin("> ");
    EXPECT_EQ(t.type("\x04"), Event::eof);
    EXPECT_EQ(t.out, "> >> > > ");
}

// ---- Completion keys ------------------------------------------------------------------------------

namespace {

struct Fixed {
    std::vector<std::string> names;
    std::string last_base;   // the segments the completer was asked about, joined by '.'
    static void complete(void* ctx, const char* line, size_t, const kernel::CompletionWord& w, kernel::Candidates& out)
    {
        auto* self = static_cast<Fixed*>(ctx);
        self->last_base.clear();
        for (size_t i = 0; i < w.segment_count; i++)
            self->last_base += (i ? "." : "") + std::string(line + w.segments[i].offset, w.segments[i].length);
        for (const auto& n : self->names) out.add(n.c_str());
    }
};

} // namespace

TEST(LineEditorCompletion, UniqueNameIsCompleted)
{
    Editor t;
    Fixed f{{"format", "find", "byte", "rep"}, ""};
    t.ed->set_completer(Fixed::complete, &f);
    t.ed->begin("> ");
    t.type("x = string.fo\t");
    EXPECT_EQ(t.line(), "x = string.format");
    EXPECT_EQ(f.last_base, "string");
    check_screen(t, "> ", 80, "after completion");
}

TEST(LineEditorCompletion, CommonPrefixThenListOnSecondTab)
{
    Editor t;
    Fixed f{{"vmread", "vmwrite", "vmxon", "vmxoff", "invept"}, ""};
    t.ed->set_completer(Fixed::complete, &f);
    t.ed->begin("> ");
    t.type("vmx.v\t");
    EXPECT_EQ(t.line(), "vmx.vm");         // the common extension
    t.out.clear();
    t.type("\t");                          // nothing more to add: this Tab lists
    EXPECT_NE(t.out.find("vmread   vmwrite  vmxoff   vmxon\r\n"), std::string::npos);
    t.ed->begin("> ");
    t.out.clear();
    t.type("vmx.vm\t");                    // typed, not completed: the first Tab only rings
    EXPECT_EQ(t.out, "vmx.vm\a");
    t.type("x\t");
    EXPECT_EQ(t.line(), "vmx.vmxo");
    t.out.clear();
    t.type("\t");                          // after an insertion, the next Tab lists
    Screen s(80);
    s.write("> vmx.vmxo" + t.out);
    EXPECT_EQ(s.text(), "> vmx.vmxo\nvmxoff  vmxon\n> vmx.vmxo\n");
    EXPECT_EQ(s.cursor_col(), 10u);
    EXPECT_EQ(t.line(), "vmx.vmxo");
}

TEST(LineEditorCompletion, ListIsColumnMajorAndFitsTheWidth)
{
    Editor t;
    Fixed f{{}, ""};
    for (int i = 0; i < 10; i++) f.names.push_back("name" + std::to_string(i));
    t.ed->set_completer(Fixed::complete, &f);
    t.ed->set_columns(30);
    t.ed->begin("> ");
    t.type("na\t\t");
    Screen s(30);
    s.write(t.out);
    EXPECT_EQ(s.text(), "> name\n"
                        "name0  name3  name6  name9\n"
                        "name1  name4  name7\n"
                        "name2  name5  name8\n"
                        "> name\n");
}

TEST(LineEditorCompletion, ManyCandidatesAskFirst)
{
    Editor t;
    Fixed f{{}, ""};
    for (int i = 0; i < 150; i++) f.names.push_back("n" + std::to_string(i));
    t.ed->set_completer(Fixed::complete, &f);
    t.ed->begin("> ");
    t.type("n\t\t");
    EXPECT_NE(t.out.find("Display all 150 possibilities? (y or n)"), std::string::npos);
    t.out.clear();
    t.type("n");   // no: nothing listed, the line comes back unchanged
    EXPECT_EQ(t.line(), "n");
    EXPECT_EQ(t.out, "\r\n> n");
    t.type("\t\t");
    t.out.clear();
    t.type("y");
    EXPECT_NE(t.out.find("n149"), std::string::npos);
    EXPECT_EQ(t.line(), "n");
}

TEST(LineEditorCompletion, NoCandidatesOrNoWordRingsTheBell)
{
    Editor t;
    Fixed f{{"alpha"}, ""};
    t.ed->set_completer(Fixed::complete, &f);
    t.ed->begin("> ");
    t.out.clear();
    t.type("zz\t");
    EXPECT_EQ(t.out, "zz\a");
    t.out.clear();
    t.type(" 1.5\t");   // a number: nothing to complete
    EXPECT_EQ(t.out, " 1.5\a");
    EXPECT_EQ(t.line(), "zz 1.5");
}

TEST(LineEditorCompletion, CompletionIntoAFullLineIsTruncatedSafely)
{
    Editor t;
    Fixed f{{"abcdefgh"}, ""};
    t.ed->set_completer(Fixed::complete, &f);
    t.ed->begin("> ");
    t.type(std::string(LineEditor::capacity - 5, ' ') + "ab\t");
    EXPECT_EQ(t.ed->length(), LineEditor::capacity);
    EXPECT_TRUE(t.ed->truncated());
}
