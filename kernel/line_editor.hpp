// A readline-like line editor for a VT100/xterm terminal on the serial port, as a state machine:
// feed() it one received byte at a time; it writes terminal output through a sink and says when a
// line is complete. Pure logic (no hardware, no Lua, no heap): host tests drive it directly.
//
// Keys (interactive mode):
//   Enter (CR, LF; CRLF counts once)  accept        Ctrl-C  discard the line (Event::cancel)
//   Ctrl-D  delete under cursor; on an empty line Event::eof (the REPL asks for a second one
//           before it powers off: repl::PowerOffGuard)
//   Left/Right, Ctrl-B/F, ESC[C/D, ESC O C/D        Home/End, Ctrl-A/E, ESC[H/F, ESC[1~/4~/7~/8~
//   Ctrl-Left/Right, Alt-b/f  word moves            Backspace (DEL, BS), Delete (ESC[3~)
//   Ctrl-K/U  kill to end/start   Ctrl-W  kill back to whitespace   Alt-d, Alt-Backspace  kill word
//   Ctrl-Y  yank the last kill    Ctrl-L  clear screen, redraw, and measure the width
//   Up/Down, Ctrl-P/N  history (the line being typed comes back at the bottom)
//   Tab  completion through the completer: insert the common extension; a second Tab lists the
//        candidates (asking first above 100). Tab after no word (indentation) inserts a tab.
// Unknown escape sequences are swallowed; NUL and other control bytes are ignored; bytes >= 0x80
// are inserted (valid UTF-8 shows as itself, anything else as '?'). Past `capacity` bytes, input is
// refused with one bell and truncated() says so until the line is replaced as a whole.
//
// Raw mode (batch): no echo and no editing. Bytes accumulate verbatim (NUL included) until CR/LF;
// Ctrl-C discards the line, Ctrl-D as the first byte of a line is EOF; nothing but the prompt is
// ever written.
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "kernel/completion.hpp"

namespace kernel {

class History;

using WriteFn = void (*)(void* ctx, const char* data, size_t length);
// Fills `out` (already reset to the word's partial) with names that may follow word's segments.
using CompleteFn = void (*)(void* ctx, const char* line, size_t length, const CompletionWord& word,
                            Candidates& out);

class LineEditor {
public:
    static constexpr size_t capacity = 4096;            // bytes in one line
    static constexpr size_t query_items = 100;          // ask before listing more candidates

    enum class Mode : uint8_t { interactive, raw };
    enum class Event : uint8_t { none, line, cancel, eof };

    constexpr LineEditor() = default;

    void set_output(WriteFn write, void* ctx) { write_ = write; write_ctx_ = ctx; }
    void set_mode(Mode mode) { mode_ = mode; }
    Mode mode() const { return mode_; }
    void set_history(History* history) { history_ = history; }
    void set_completer(CompleteFn complete, void* ctx) { complete_ = complete; complete_ctx_ = ctx; }
    // The terminal width used for line wrapping (80 until told or measured; 2..1000). Any terminal
    // at least this wide shows the line right, since the editor starts each row itself.
    void set_columns(size_t columns);
    size_t columns() const { return cols(); }
    // Asks the terminal where column 999 is (ESC 7, ESC[999C, ESC[6n, ESC 8: the cursor does not
    // move); feed() reads the reply, sets columns() and, if that changed, clears and redraws.
    // Interactive mode only; Ctrl-L asks too. Never sent unasked, so test drivers never see it.
    void query_columns();

    // Starts a new line: shows `prompt` (kept by pointer until the line ends; CSI sequences in it
    // take no columns) with an empty line after it.
    void begin(const char* prompt);
    // Feeds one received byte. After anything but Event::none the line stays readable until the
    // next begin() (or the next byte, which starts a line with no prompt).
    Event feed(uint8_t byte);

    const char* line() const { return buf_; }     // NUL after length(); raw mode may hold NULs
    size_t length() const { return len_; }
    size_t cursor() const { return pos_; }
    bool truncated() const { return truncated_; } // bytes were refused: the line is incomplete

private:
    enum class Esc : uint8_t { none, esc, csi, ss3 };

    Event interactive(uint8_t c);
    Event raw(uint8_t c);
    bool escape(uint8_t c);
    void csi_final(uint8_t c);
    void start_line();
    Event finish(Event e);

    // Editing: every change of the text goes through replace().
    void insert(const char* s, size_t n);
    void replace(size_t from, size_t to, const char* s, size_t n, size_t new_pos);
    void kill(size_t from, size_t to);
    void move_to(size_t new_pos);
    size_t word_left() const;
    size_t word_right() const;
    void history_step(int direction);
    void tab();
    void list_candidates();

    // Terminal output.
    size_t glyph_next(size_t i) const;
    size_t glyph_prev(size_t i) const;
    size_t column_of(size_t i) const;           // prompt and line as laid out, before wrapping
    void cursor_move(size_t from_col, size_t to_col);
    void render(size_t from, size_t to);
    void draw_all();                            // prompt + line on a fresh row
    void wrap_fix(size_t end_col);
    void put(const char* s, size_t n);
    void put(const char* s);
    void put_csi(size_t n, char final);
    void put_decimal(size_t n);
    void flush();
    size_t cols() const { return cols_ ? cols_ : 80; }

    WriteFn write_ = nullptr;
    void* write_ctx_ = nullptr;
    Mode mode_ = Mode::interactive;
    History* history_ = nullptr;
    CompleteFn complete_ = nullptr;
    void* complete_ctx_ = nullptr;
    size_t cols_ = 0;              // 0: not set, 80. Every default here is zero, so that a static
                                   // LineEditor lands in .bss rather than in the kernel image
    bool awaiting_cpr_ = false;

    const char* prompt_ = nullptr;
    size_t prompt_cols_ = 0;
    char buf_[capacity + 1] = {};
    size_t len_ = 0;
    size_t pos_ = 0;
    bool truncated_ = false;
    bool finished_ = false;
    bool after_cr_ = false;        // swallow the LF of a CRLF

    Esc esc_ = Esc::none;
    uint32_t params_[2] = {};
    size_t nparams_ = 0;
    bool private_csi_ = false;     // ESC[? ..., ESC[> ...: replies and reports we never asked for

    size_t history_pos_ = 0;       // == history size(): the line being typed
    char saved_[capacity] = {};    // the line being typed while browsing history
    size_t saved_len_ = 0;
    char kill_[capacity] = {};
    size_t kill_len_ = 0;

    bool last_was_tab_ = false;
    bool asking_ = false;          // "Display all N possibilities? (y or n)" is on screen
    Candidates candidates_;

    char out_[256] = {};
    size_t out_len_ = 0;
};

} // namespace kernel
