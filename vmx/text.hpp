// Formatting into caller-supplied buffers, without printf. The vmx/ describers build their
// one-paragraph explanations with it, on the host and in the freestanding kernel alike.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace vmx {

// Appends to buf[0..cap) and keeps it NUL-terminated (when cap > 0). Like snprintf, length()
// counts every character asked for, so length() >= cap means the text was cut short.
class TextBuf {
public:
    TextBuf(char* buf, size_t cap) : buf_(buf), cap_(cap)
    {
        if (cap_ > 0)
            buf_[0] = '\0';
    }

    TextBuf& chr(char c);
    TextBuf& str(const char* s);                  // nullptr appends nothing
    TextBuf& hex(uint64_t v, int min_digits = 1); // "0x" then upper-case digits, zero-padded
    TextBuf& dec(uint64_t v);
    TextBuf& flag(const char* name, bool on);     // " name=1" or " name=0"
    size_t length() const { return len_; }

private:
    char* buf_;
    size_t cap_;
    size_t len_ = 0;
};

// The few string helpers vmx/ needs; kept here so these files depend on nothing but the
// compiler's own headers.
bool str_eq(const char* a, const char* b);
bool str_starts_with(const char* s, const char* prefix);

} // namespace vmx
