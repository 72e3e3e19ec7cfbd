// Tab completion, the part that knows no Lua: which word the cursor is completing, and the set of
// names that could finish it. lua_bindings/repl_complete.cpp fills the set from Lua tables.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace kernel {

// The word before the cursor, split for a table walk: in `x = string.fo|` the word is
// `string.fo`, segments = {`string`}, separator '.', partial `fo`. In `s:up|` the separator is ':'.
struct CompletionWord {
    static constexpr size_t max_segments = 16;
    struct Span { size_t offset, length; };

    bool valid = false;     // false: nothing completable (`1.5`, `a..b.`, `x:y.z`, too deep)
    size_t start = 0;       // where the word begins in the line
    size_t partial = 0;     // where the name being completed begins
    size_t end = 0;         // the cursor
    char separator = 0;     // '.' or ':' just before the partial; 0 for a bare name
    size_t segment_count = 0;
    Span segments[max_segments] = {};   // the names before the partial, outermost first

    bool empty() const { return start == end; }
};

CompletionWord find_completion_word(const char* line, size_t cursor);

bool is_lua_name(const char* s, size_t n);     // the lexer's rule: [A-Za-z_][A-Za-z0-9_]*
bool is_lua_keyword(const char* s, size_t n);
bool is_identifier(const char* s, size_t n);   // a name that is not a keyword: usable after '.'

// Names that start with a prefix, kept sorted and unique in a fixed arena. Names that do not fit
// are still counted and still narrow common(), so completion stays right when the list is full.
class Candidates {
public:
    static constexpr size_t max_entries = 512;
    static constexpr size_t arena_bytes = 16 * 1024;
    static constexpr size_t max_name = 255;

    struct Name { const char* data; size_t length; };

    constexpr Candidates() = default;

    void reset(const char* prefix, size_t length);   // prefixes longer than max_name match nothing
    // Adds `name` if it is a Lua name (keywords included) that starts with the prefix. Returns
    // whether it matched (even if it was a duplicate or did not fit).
    bool add(const char* name, size_t length);
    bool add(const char* name);

    size_t count() const { return count_; }          // distinct names stored, sorted
    Name at(size_t i) const;
    size_t overflow() const { return overflow_; }    // matching names that did not fit
    size_t total() const { return count_ + overflow_; }
    size_t prefix_length() const { return prefix_len_; }
    // The longest prefix shared by every matching name (at least the prefix itself once anything
    // matched). The text is that of a stored name, valid until the next reset().
    Name common() const;

private:
    char prefix_[max_name] = {};
    size_t prefix_len_ = 0;
    bool prefix_too_long_ = false;   // defaults all zero: static instances go to .bss
    char arena_[arena_bytes] = {};
    size_t used_ = 0;
    uint16_t offset_[max_entries] = {};
    uint8_t length_[max_entries] = {};
    size_t count_ = 0;
    size_t overflow_ = 0;
    size_t first_ = 0;        // arena offset of the first match: common() is a prefix of it
    size_t common_len_ = 0;
    bool any_ = false;
};

void add_lua_keywords(Candidates& out);

} // namespace kernel
