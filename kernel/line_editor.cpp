#include "kernel/line_editor.hpp"
#include "kernel/history.hpp"
#include <string.h>

// Terminal model: the prompt and the line are laid out as one run of glyphs (one column each)
// starting at column 0 of the prompt's row, wrapping every cols_ columns. Between keys the terminal
// cursor is always at column_of(pos_); when the text ends exactly at the right margin a CRLF is
// written so the cursor never rests in xterm's pending-wrap state. Only CR, BS, CRLF and
// ESC[nA/B/C/D/J are used (plus ESC[H ESC[2J for Ctrl-L), as linenoise does.

namespace kernel {

namespace {

// Length of the valid UTF-8 sequence at b[i] (1 for ASCII), or 0 if that byte starts none
// (stray continuation byte, overlong or surrogate form, truncated sequence).
size_t utf8_length(const char* b, size_t i, size_t len)
{
    uint8_t c = uint8_t(b[i]);
    if (c < 0x80)
        return 1;
    size_t n;
    uint8_t lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else
        return 0;
    if (len - i < n)
        return 0;
    uint8_t c1 = uint8_t(b[i + 1]);
    if (c1 < lo || c1 > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if ((uint8_t(b[i + k]) & 0xc0) != 0x80)
            return 0;
    return n;
}

// Columns the prompt takes: CSI sequences (colours) and other control bytes take none.
size_t prompt_width(const char* p)
{
    size_t w = 0;
    for (size_t i = 0; p[i]; i++) {
        uint8_t c = uint8_t(p[i]);
        if (c == 0x1b && p[i + 1] == '[') {
            i += 2;
            while (p[i] && !(uint8_t(p[i]) >= 0x40 && uint8_t(p[i]) <= 0x7e))
                i++;
            if (!p[i])
                break;
        } else if (c >= 0x20 && c != 0x7f && (c & 0xc0) != 0x80)
            w++;
    }
    return w;
}

size_t format_decimal(char* out, size_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = char('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

} // namespace

// ---- Output -------------------------------------------------------------------------------------

void LineEditor::put(const char* s, size_t n)
{
    while (n > 0) {
        if (out_len_ == sizeof out_)
            flush();
        size_t k = sizeof out_ - out_len_;
        if (k > n)
            k = n;
        memcpy(out_ + out_len_, s, k);
        out_len_ += k;
        s += k;
        n -= k;
    }
}

void LineEditor::put(const char* s)
{
    if (s)
        put(s, strlen(s));
}

void LineEditor::put_csi(size_t n, char final)
{
    char seq[32] = "\x1b[";
    size_t k = 2 + format_decimal(seq + 2, n);
    seq[k++] = final;
    put(seq, k);
}

void LineEditor::put_decimal(size_t n)
{
    char digits[24];
    put(digits, format_decimal(digits, n));
}

void LineEditor::flush()
{
    if (out_len_ && write_)
        write_(write_ctx_, out_, out_len_);
    out_len_ = 0;
}

size_t LineEditor::glyph_next(size_t i) const
{
    size_t n = utf8_length(buf_, i, len_);
    return i + (n ? n : 1);
}

// The glyph ending at i: a valid sequence of k bytes ending there, else the single byte before.
// This agrees with scanning forward from 0, since no valid sequence has a lead byte inside it.
size_t LineEditor::glyph_prev(size_t i) const
{
    for (size_t k = 2; k <= 4 && k <= i; k++)
        if (utf8_length(buf_, i - k, len_) == k)
            return i - k;
    return i - 1;
}

size_t LineEditor::column_of(size_t i) const
{
    size_t col = prompt_cols_;
    for (size_t p = 0; p < i; p = glyph_next(p))
        col++;
    return col;
}

void LineEditor::set_columns(size_t columns)
{
    if (columns >= 2 && columns <= 1000)
        cols_ = columns;
}

void LineEditor::cursor_move(size_t from_col, size_t to_col)
{
    size_t fr = from_col / cols(), fc = from_col % cols();
    size_t tr = to_col / cols(), tc = to_col % cols();
    if (tr < fr)
        put_csi(fr - tr, 'A');
    else if (tr > fr)
        put_csi(tr - fr, 'B');
    if (tc == fc)
        return;
    if (tc == 0)
        put("\r");
    else if (tc + 1 == fc)
        put("\b");
    else if (tc < fc)
        put_csi(fc - tc, 'D');
    else
        put_csi(tc - fc, 'C');
}

// Valid UTF-8 as itself; a tab as a space; other control bytes and invalid bytes as '?'.
void LineEditor::render(size_t from, size_t to)
{
    for (size_t i = from; i < to;) {
        size_t n = utf8_length(buf_, i, len_);
        uint8_t c = uint8_t(buf_[i]);
        if (n > 1)
            put(buf_ + i, n);
        else if (n == 1 && c >= 0x20 && c != 0x7f)
            put(buf_ + i, 1);
        else
            put(c == '\t' ? " " : "?");
        i += n ? n : 1;
    }
}

void LineEditor::wrap_fix(size_t end_col)
{
    if (end_col > 0 && end_col % cols() == 0)
        put("\r\n");
}

void LineEditor::draw_all()
{
    put(prompt_);
    render(0, len_);
    size_t end = column_of(len_);
    wrap_fix(end);
    cursor_move(end, column_of(pos_));
}

void LineEditor::query_columns()
{
    if (mode_ != Mode::interactive)
        return;
    put("\x1b" "7" "\x1b[999C" "\x1b[6n" "\x1b" "8");   // save, far right, report, restore
    awaiting_cpr_ = true;
    flush();
}

// ---- Lines ----------------------------------------------------------------------------------------

void LineEditor::start_line()
{
    len_ = pos_ = 0;
    buf_[0] = 0;
    truncated_ = finished_ = false;
    esc_ = Esc::none;
    history_pos_ = history_ ? history_->size() : 0;
    saved_len_ = 0;
    last_was_tab_ = asking_ = false;
}

void LineEditor::begin(const char* prompt)
{
    start_line();
    prompt_ = prompt ? prompt : "";
    prompt_cols_ = prompt_width(prompt_);
    put(prompt_);
    if (mode_ == Mode::interactive)
        wrap_fix(prompt_cols_);
    flush();
}

LineEditor::Event LineEditor::finish(Event e)
{
    finished_ = true;
    return e;
}

LineEditor::Event LineEditor::feed(uint8_t c)
{
    if (after_cr_) {
        after_cr_ = false;
        if (c == '\n')
            return Event::none;
    }
    if (finished_) {
        start_line();
        prompt_ = "";
        prompt_cols_ = 0;
    }
    Event e = mode_ == Mode::raw ? raw(c) : interactive(c);
    flush();
    return e;
}

LineEditor::Event LineEditor::raw(uint8_t c)
{
    if (c == '\r' || c == '\n') {
        after_cr_ = c == '\r';
        return finish(Event::line);
    }
    if (c == 0x03)
        return finish(Event::cancel);
    if (c == 0x04 && len_ == 0)
        return finish(Event::eof);
    if (len_ == capacity) {
        truncated_ = true;
        return Event::none;
    }
    buf_[len_++] = char(c);
    buf_[len_] = 0;
    pos_ = len_;
    return Event::none;
}

// ---- Editing --------------------------------------------------------------------------------------

// Replaces bytes [from, to) with s[0..n) and puts the cursor at new_pos. The screen is redrawn
// from `from`, or, when non-ASCII bytes precede it, from a glyph boundary at least 3 bytes before:
// a change can only regroup bytes of a UTF-8 sequence that started within the 3 bytes before it.
void LineEditor::replace(size_t from, size_t to, const char* s, size_t n, size_t new_pos)
{
    size_t redraw = from;
    bool ascii_before = true;
    for (size_t k = 1; k <= 3 && k <= from; k++)
        ascii_before = ascii_before && uint8_t(buf_[from - k]) < 0x80;
    while (!ascii_before && redraw > 0 && from - redraw < 3)
        redraw = glyph_prev(redraw);
    size_t cursor_col = column_of(pos_), redraw_col = column_of(redraw);
    if (from == 0 && to == len_)
        truncated_ = false;   // a different line altogether (history, kill of everything)
    memmove(buf_ + from + n, buf_ + to, len_ - to);
    memcpy(buf_ + from, s, n);
    len_ = len_ - (to - from) + n;
    buf_[len_] = 0;
    pos_ = redraw;   // a boundary before and after the change; the cursor goes to one too, so a
    while (pos_ < new_pos)   // byte that completes a UTF-8 sequence leaves it after the glyph
        pos_ = glyph_next(pos_);
    cursor_move(cursor_col, redraw_col);
    put("\x1b[J");
    render(redraw, len_);
    size_t end = column_of(len_);
    if (len_ > redraw)
        wrap_fix(end);
    cursor_move(end, column_of(pos_));
}

void LineEditor::insert(const char* s, size_t n)
{
    size_t room = capacity - len_;
    bool refused = n > room;
    if (refused)
        n = room;
    if (n == 1 && pos_ == len_ && uint8_t(s[0]) >= 0x20 && uint8_t(s[0]) < 0x7f) {
        buf_[len_++] = s[0];   // the common case: typing at the end is an echo
        buf_[len_] = 0;
        pos_ = len_;
        put(s, 1);
        wrap_fix(column_of(len_));
    } else if (n > 0)
        replace(pos_, pos_, s, n, pos_ + n);
    if (refused) {
        if (!truncated_)
            put("\a");   // once: a long paste must not become thousands of bells
        truncated_ = true;
    }
}

void LineEditor::kill(size_t from, size_t to)
{
    if (from >= to)
        return;
    memcpy(kill_, buf_ + from, to - from);
    kill_len_ = to - from;
    replace(from, to, "", 0, from);
}

void LineEditor::move_to(size_t new_pos)
{
    cursor_move(column_of(pos_), column_of(new_pos));
    pos_ = new_pos;
}

void LineEditor::history_step(int direction)
{
    size_t n = history_ ? history_->size() : 0;
    if (history_pos_ > n)
        history_pos_ = n;
    if ((direction < 0 && history_pos_ == 0) || (direction > 0 && history_pos_ == n)) {
        put("\a");
        return;
    }
    if (history_pos_ == n) {
        memcpy(saved_, buf_, len_);
        saved_len_ = len_;
    }
    history_pos_ = direction < 0 ? history_pos_ - 1 : history_pos_ + 1;
    const char* s = saved_;
    size_t len = saved_len_;
    if (history_pos_ < n) {
        History::Entry e = history_->at(history_pos_);
        s = e.data;
        len = e.length < capacity ? e.length : capacity;
    }
    replace(0, len_, s, len, len);
}

} // namespace kernel
