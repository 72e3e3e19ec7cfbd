#include "kernel/completion.hpp"
#include <string.h>

namespace kernel {

static const char* const lua_keywords[] = {
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
    "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
};

static bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

bool is_lua_name(const char* s, size_t n)
{
    if (n == 0 || !name_start(s[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!name_char(s[i]))
            return false;
    return true;
}

bool is_lua_keyword(const char* s, size_t n)
{
    for (const char* k : lua_keywords)
        if (strlen(k) == n && memcmp(k, s, n) == 0)
            return true;
    return false;
}

bool is_identifier(const char* s, size_t n) { return is_lua_name(s, n) && !is_lua_keyword(s, n); }

// Scan back from the cursor over name characters and over '.'/':' that follow a name character
// (so `x..y` stops at the concatenation), then check the pieces: every name before the partial
// must be an identifier, and ':' may only come last (`s:up`, never `s:up.x`).
CompletionWord find_completion_word(const char* line, size_t cursor)
{
    CompletionWord w;
    size_t i = cursor;
    while (i > 0) {
        char c = line[i - 1];
        if (name_char(c) || ((c == '.' || c == ':') && i >= 2 && name_char(line[i - 2])))
            i--;
        else
            break;
    }
    w.start = w.partial = i;
    w.end = cursor;
    if (i > 0 && (line[i - 1] == '.' || line[i - 1] == ':')) {
        bool concat = line[i - 1] == '.' && i >= 2 && line[i - 2] == '.';
        if (!concat)
            return w;   // a field of `a[1].` or `f().`: nothing to evaluate without running code
    }
    size_t piece = i;
    for (size_t j = i; j < cursor; j++) {
        char c = line[j];
        if (c != '.' && c != ':')
            continue;
        if (w.separator == ':' || w.segment_count == CompletionWord::max_segments ||
            !is_identifier(line + piece, j - piece))
            return w;
        w.segments[w.segment_count++] = {piece, j - piece};
        w.separator = c;
        piece = j + 1;
    }
    w.partial = piece;
    if (piece < cursor && !name_start(line[piece]))
        return w;   // `12`, `x.1`: numbers, not names
    w.valid = true;
    return w;
}

void Candidates::reset(const char* prefix, size_t length)
{
    prefix_too_long_ = length > max_name;
    prefix_len_ = prefix_too_long_ ? 0 : length;
    if (!prefix_too_long_)
        memcpy(prefix_, prefix, length);
    used_ = count_ = overflow_ = common_len_ = first_ = 0;
    any_ = false;
}

static int compare(const char* a, size_t an, const char* b, size_t bn)
{
    int r = memcmp(a, b, an < bn ? an : bn);
    if (r != 0)
        return r;
    return an < bn ? -1 : an > bn ? 1 : 0;
}

bool Candidates::add(const char* name, size_t n)
{
    if (prefix_too_long_ || n > max_name || n < prefix_len_ || !is_lua_name(name, n) ||
        memcmp(name, prefix_, prefix_len_) != 0)
        return false;
    size_t lo = 0, hi = count_;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int r = compare(arena_ + offset_[mid], length_[mid], name, n);
        if (r == 0)
            return true;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (any_) {
        size_t k = 0;
        while (k < common_len_ && k < n && arena_[first_ + k] == name[k])
            k++;
        common_len_ = k;
    }
    if (count_ == max_entries || arena_bytes - used_ < n) {
        overflow_++;   // never the first match: an empty arena always holds a max_name name
        return true;
    }
    memcpy(arena_ + used_, name, n);
    memmove(offset_ + lo + 1, offset_ + lo, (count_ - lo) * sizeof offset_[0]);
    memmove(length_ + lo + 1, length_ + lo, (count_ - lo) * sizeof length_[0]);
    offset_[lo] = uint16_t(used_);
    length_[lo] = uint8_t(n);
    if (!any_) {
        any_ = true;
        first_ = used_;
        common_len_ = n;
    }
    used_ += n;
    count_++;
    return true;
}

bool Candidates::add(const char* name) { return add(name, strlen(name)); }

Candidates::Name Candidates::at(size_t i) const
{
    if (i >= count_)
        return {"", 0};
    return {arena_ + offset_[i], length_[i]};
}

Candidates::Name Candidates::common() const
{
    if (!any_)
        return {prefix_, prefix_len_};
    return {arena_ + first_, common_len_};
}

void add_lua_keywords(Candidates& out)
{
    for (const char* k : lua_keywords)
        out.add(k);
}

} // namespace kernel
