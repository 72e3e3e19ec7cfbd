// Test harness for kernel::LineEditor: feeds bytes, records what it writes, and replays that
// output on a small VT100 model so tests can assert what a terminal would show.
#pragma once
#include <memory>
#include <string>
#include <vector>
#include "kernel/history.hpp"
#include "kernel/line_editor.hpp"

namespace test {

// Enough of xterm for what the editor emits: printable glyphs with deferred wrap at the right
// margin, CR, LF, BS, BEL, ESC 7/8, ESC[nA/B/C/D, ESC[H, ESC[J, ESC[K, ESC[2J, ESC[6n (ignored).
// Unbounded downwards, so rows are relative to where the prompt started (row 0).
class Screen {
public:
    explicit Screen(size_t cols) : cols_(cols) {}
    void write(const std::string& bytes)
    {
        for (unsigned char c : bytes) byte(c);
    }
    std::string row(size_t r) const
    {
        std::string s;
        if (r >= cells_.size()) return s;
        for (const auto& cell : cells_[r]) s += cell.empty() ? " " : cell;
        while (!s.empty() && s.back() == ' ') s.pop_back();
        return s;
    }
    std::string text() const   // all rows, trailing blank rows dropped
    {
        std::string s;
        size_t last = 0;
        for (size_t r = 0; r < cells_.size(); r++)
            if (!row(r).empty()) last = r + 1;
        for (size_t r = 0; r < last; r++) s += row(r) + "\n";
        return s;
    }
    size_t cursor_row() const { return r_; }
    size_t cursor_col() const { return c_; }
    size_t bells() const { return bells_; }

private:
    void cell(const std::string& glyph)
    {
        if (pending_) { r_++; c_ = 0; pending_ = false; }
        ensure(r_);
        cells_[r_][c_] = glyph;
        last_r_ = r_; last_c_ = c_;
        if (c_ + 1 == cols_) pending_ = true; else c_++;
    }
    void ensure(size_t r)
    {
        while (cells_.size() <= r) cells_.emplace_back(cols_);
    }
    void clear_from(size_t r, size_t c)
    {
        ensure(r);
        for (size_t k = c; k < cols_; k++) cells_[r][k].clear();
    }
    void byte(unsigned char b)
    {
        if (state_ == 1) {   // after ESC
            state_ = 0;
            if (b == '[') { state_ = 2; params_.clear(); return; }
            if (b == '7') { sr_ = r_; sc_ = c_; return; }
            if (b == '8') { r_ = sr_; c_ = sc_; pending_ = false; return; }
            return;
        }
        if (state_ == 2) {
            if ((b >= '0' && b <= '9') || b == ';' || b == '?') { params_ += char(b); return; }
            state_ = 0;
            size_t n = 0;
            for (size_t i = 0; i < params_.size() && params_[i] >= '0' && params_[i] <= '9'; i++)
                n = n * 10 + size_t(params_[i] - '0');
            if (n == 0) n = 1;
            pending_ = false;
            switch (b) {
            case 'A': r_ = r_ >= n ? r_ - n : 0; break;
            case 'B': r_ += n; break;
            case 'C': c_ = c_ + n >= cols_ ? cols_ - 1 : c_ + n; break;
            case 'D': c_ = c_ >= n ? c_ - n : 0; break;
            case 'H': r_ = c_ = 0; break;
            case 'K': clear_from(r_, c_); break;
            case 'J':
                if (params_ == "2") { cells_.clear(); break; }
                clear_from(r_, c_);
                for (size_t r = r_ + 1; r < cells_.size(); r++) clear_from(r, 0);
                break;
            default: break;   // 'n' (ESC[6n) and the rest
            }
            return;
        }
        if (b == 0x1b) { state_ = 1; return; }
        if (b == '\r') { c_ = 0; pending_ = false; return; }
        if (b == '\n') { r_++; pending_ = false; return; }
        if (b == '\b') { if (c_ > 0) c_--; pending_ = false; return; }
        if (b == '\a') { bells_++; return; }
        if (b < 0x20) return;
        if ((b & 0xc0) == 0x80 && !cells_.empty()) { cells_[last_r_][last_c_] += char(b); return; }
        cell(std::string(1, char(b)));
    }

    size_t cols_;
    std::vector<std::vector<std::string>> cells_;
    size_t r_ = 0, c_ = 0, sr_ = 0, sc_ = 0, last_r_ = 0, last_c_ = 0, bells_ = 0;
    bool pending_ = false;
    int state_ = 0;
    std::string params_;
};

// A LineEditor (heap-allocated: it is ~30 KiB) with its output captured.
struct Editor {
    std::unique_ptr<kernel::LineEditor> ed = std::make_unique<kernel::LineEditor>();
    std::unique_ptr<kernel::History> history = std::make_unique<kernel::History>();
    std::string out;
    std::vector<kernel::LineEditor::Event> events;

    explicit Editor(kernel::LineEditor::Mode mode = kernel::LineEditor::Mode::interactive)
    {
        ed->set_output([](void* ctx, const char* s, size_t n) { static_cast<Editor*>(ctx)->out.append(s, n); },
                       this);
        ed->set_mode(mode);
        ed->set_history(history.get());
    }
    // Feeds every byte; returns the last event other than none (none if there was none).
    kernel::LineEditor::Event type(const std::string& bytes)
    {
        kernel::LineEditor::Event last = kernel::LineEditor::Event::none;
        for (unsigned char c : bytes) {
            auto e = ed->feed(c);
            if (e != kernel::LineEditor::Event::none) { events.push_back(e); last = e; }
        }
        return last;
    }
    std::string line() const { return std::string(ed->line(), ed->length()); }
};

} // namespace test
