// The line editor's key bindings: control keys, escape sequences, and completion's screen side.
// (line_editor.cpp has the text and the terminal model they act on.)
#include "kernel/line_editor.hpp"
#include <string.h>

namespace kernel {

namespace {

bool word_byte(char ch)
{
    uint8_t c = uint8_t(ch);
    return c >= 0x80 || c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

bool space_byte(char c) { return c == ' ' || c == '\t'; }

} // namespace

LineEditor::Event LineEditor::interactive(uint8_t c)
{
    if (esc_ != Esc::none && escape(c)) {
        last_was_tab_ = false;
        return Event::none;
    }
    if (asking_) {
        asking_ = last_was_tab_ = false;
        put("\r\n");
        if (c == 'y' || c == 'Y' || c == ' ')
            list_candidates();
        draw_all();
        return Event::none;
    }
    bool tab_key = false;
    switch (c) {
    case '\r':
    case '\n': {
        after_cr_ = c == '\r';
        size_t end = column_of(len_);
        move_to(len_);
        if (!(end > 0 && end % cols() == 0))
            put("\r\n");
        return finish(Event::line);
    }
    case 0x03:   // Ctrl-C
        move_to(len_);
        put("^C\r\n");
        return finish(Event::cancel);
    case 0x04:   // Ctrl-D
        if (len_ == 0) {
            if (!(prompt_cols_ > 0 && prompt_cols_ % cols() == 0))
                put("\r\n");
            return finish(Event::eof);
        }
        if (pos_ < len_)
            replace(pos_, glyph_next(pos_), "", 0, pos_);
        break;
    case 0x01: move_to(0); break;                                  // Ctrl-A
    case 0x05: move_to(len_); break;                               // Ctrl-E
    case 0x02: if (pos_ > 0) move_to(glyph_prev(pos_)); break;     // Ctrl-B
    case 0x06: if (pos_ < len_) move_to(glyph_next(pos_)); break;  // Ctrl-F
    case 0x08:
    case 0x7f:   // Backspace
        if (pos_ > 0) {
            size_t p = glyph_prev(pos_);
            replace(p, pos_, "", 0, p);
        }
        break;
    case '\t': tab(); tab_key = true; break;
    case 0x0b: kill(pos_, len_); break;                            // Ctrl-K
    case 0x15: kill(0, pos_); break;                               // Ctrl-U
    case 0x17: {                                                   // Ctrl-W: back to whitespace
        size_t p = pos_;
        while (p > 0 && space_byte(buf_[p - 1])) p--;
        while (p > 0 && !space_byte(buf_[p - 1])) p--;
        kill(p, pos_);
        break;
    }
    case 0x19: insert(kill_, kill_len_); break;                    // Ctrl-Y
    case 0x0c:                                                     // Ctrl-L
        put("\x1b[H\x1b[2J");
        draw_all();
        query_columns();   // the moment to notice a resized terminal
        break;
    case 0x10: history_step(-1); break;                            // Ctrl-P
    case 0x0e: history_step(+1); break;                            // Ctrl-N
    case 0x1b: esc_ = Esc::esc; return Event::none;
    default:
        if (c >= 0x20) {
            char ch = char(c);
            insert(&ch, 1);
        }
        break;   // NUL and the other control bytes do nothing
    }
    last_was_tab_ = tab_key;
    return Event::none;
}

size_t LineEditor::word_left() const
{
    size_t p = pos_;
    while (p > 0 && !word_byte(buf_[glyph_prev(p)])) p = glyph_prev(p);
    while (p > 0 && word_byte(buf_[glyph_prev(p)])) p = glyph_prev(p);
    return p;
}

size_t LineEditor::word_right() const
{
    size_t p = pos_;
    while (p < len_ && !word_byte(buf_[p])) p = glyph_next(p);
    while (p < len_ && word_byte(buf_[p])) p = glyph_next(p);
    return p;
}

// ESC O x (SS3) and ESC [ params final (CSI, ECMA-48 5.4): parameters are digits and ';', private
// markers '<=>?' and intermediates 0x20-0x2f make a sequence we ignore. A control byte ends the
// sequence and is not consumed (returns false), so Ctrl-C works whatever came before it.
bool LineEditor::escape(uint8_t c)
{
    Esc state = esc_;
    esc_ = Esc::none;
    if (c == 0x1b) {
        esc_ = Esc::esc;
        return true;
    }
    if (state == Esc::esc) {
        switch (c) {
        case '[': esc_ = Esc::csi; nparams_ = 0; params_[0] = params_[1] = 0; private_csi_ = false; break;
        case 'O': esc_ = Esc::ss3; break;
        case 'b': move_to(word_left()); break;
        case 'f': move_to(word_right()); break;
        case 'd': kill(pos_, word_right()); break;
        case 0x7f:
        case 0x08: kill(word_left(), pos_); break;
        default:
            if (c < 0x20)
                return false;
            break;   // other Alt-keys: swallowed
        }
        return true;
    }
    if (c < 0x20)
        return false;
    if (state == Esc::ss3) {
        nparams_ = 0;
        params_[0] = params_[1] = 0;
        private_csi_ = false;
        csi_final(c);
        return true;
    }
    if (c >= '0' && c <= '9') {
        if (nparams_ < 2 && params_[nparams_] < 100000)
            params_[nparams_] = params_[nparams_] * 10 + (c - '0');
        esc_ = Esc::csi;
    } else if (c == ';') {
        if (nparams_ < 2)
            nparams_++;
        esc_ = Esc::csi;
    } else if ((c >= ':' && c <= '?') || c <= 0x2f) {
        private_csi_ = true;
        esc_ = Esc::csi;
    } else if (c >= 0x40 && c <= 0x7e) {
        if (!private_csi_)
            csi_final(c);
    }
    return true;   // 0x7f and above end the sequence and are dropped
}

void LineEditor::csi_final(uint8_t c)
{
    bool modified = nparams_ >= 1 && params_[1] > 1;   // ESC[1;5C: Ctrl/Alt-arrow
    switch (c) {
    case 'A': history_step(-1); break;
    case 'B': history_step(+1); break;
    case 'C': move_to(modified ? word_right() : pos_ < len_ ? glyph_next(pos_) : pos_); break;
    case 'D': move_to(modified ? word_left() : pos_ > 0 ? glyph_prev(pos_) : pos_); break;
    case 'H': move_to(0); break;
    case 'F': move_to(len_); break;
    case 'R':   // cursor position report: ESC[row;colR, asked for by query_columns()
        if (awaiting_cpr_ && nparams_ == 1 && params_[1] >= 10) {   // 10: not a Shift-F3
            awaiting_cpr_ = false;
            size_t old = cols();
            set_columns(params_[1]);
            if (cols() != old) {   // what is on screen was wrapped for the old width
                put("\x1b[H\x1b[2J");
                draw_all();
            }
        }
        break;
    case '~':
        switch (params_[0]) {
        case 1: case 7: move_to(0); break;
        case 4: case 8: move_to(len_); break;
        case 3: if (pos_ < len_) replace(pos_, glyph_next(pos_), "", 0, pos_); break;
        default: break;   // Insert, PgUp/PgDn, F-keys, bracketed-paste marks
        }
        break;
    default: break;
    }
}

// ---- Completion -----------------------------------------------------------------------------------

// Like readline: the first Tab inserts what all candidates share; when that is nothing, a second
// Tab lists them (asking first when there are more than query_items).
void LineEditor::tab()
{
    CompletionWord w = find_completion_word(buf_, pos_);
    if (!complete_ || w.empty()) {
        insert("\t", 1);
        return;
    }
    if (!w.valid) {
        put("\a");
        return;
    }
    candidates_.reset(buf_ + w.partial, w.end - w.partial);
    complete_(complete_ctx_, buf_, len_, w, candidates_);
    size_t total = candidates_.total();
    Candidates::Name common = candidates_.common();
    size_t have = candidates_.prefix_length();
    if (total == 0) {
        put("\a");
    } else if (common.length > have) {
        insert(common.data + have, common.length - have);
    } else if (total > 1 && !last_was_tab_) {
        put("\a");
    } else if (total > 1) {
        size_t end = column_of(len_);
        move_to(len_);
        if (!(end > 0 && end % cols() == 0))
            put("\r\n");
        if (total > query_items) {
            put("Display all ");
            put_decimal(total);
            put(" possibilities? (y or n)");
            asking_ = true;
            return;
        }
        list_candidates();
        draw_all();
    }
}

// Column-major like readline (`ls` order), two spaces between columns, on a fresh row.
void LineEditor::list_candidates()
{
    size_t count = candidates_.count(), width = 1;
    for (size_t i = 0; i < count; i++)
        if (candidates_.at(i).length > width)
            width = candidates_.at(i).length;
    size_t colw = width + 2;
    size_t ncols = cols() >= colw ? cols() / colw : 1;
    size_t nrows = (count + ncols - 1) / ncols;
    for (size_t r = 0; r < nrows; r++) {
        for (size_t c = 0; c < ncols; c++) {
            size_t i = c * nrows + r;
            if (i >= count)
                break;
            Candidates::Name name = candidates_.at(i);
            put(name.data, name.length);
            if (c + 1 < ncols && i + nrows < count)
                for (size_t k = name.length; k < colw; k++)
                    put(" ");
        }
        put("\r\n");
    }
    if (candidates_.overflow()) {
        put("(and ");
        put_decimal(candidates_.overflow());
        put(" more)\r\n");
    }
}

} // namespace kernel
