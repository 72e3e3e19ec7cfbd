#include "vmx/text.hpp"

namespace vmx {

TextBuf& TextBuf::chr(char c)
{
    if (len_ + 1 < cap_) {
        buf_[len_] = c;
        buf_[len_ + 1] = '\0';
    }
    ++len_;
    return *this;
}

TextBuf& TextBuf::str(const char* s)
{
    if (s)
        while (*s)
            chr(*s++);
    return *this;
}

TextBuf& TextBuf::hex(uint64_t v, int min_digits)
{
    static const char digits[] = "0123456789ABCDEF";
    char tmp[16];
    int n = 0;
    do {
        tmp[n++] = digits[v & 0xF];
        v >>= 4;
    } while (v != 0);
    if (min_digits > 16)
        min_digits = 16;
    while (n < min_digits)
        tmp[n++] = '0';
    str("0x");
    while (n > 0)
        chr(tmp[--n]);
    return *this;
}

TextBuf& TextBuf::dec(uint64_t v)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        chr(tmp[--n]);
    return *this;
}

TextBuf& TextBuf::flag(const char* name, bool on)
{
    return chr(' ').str(name).str(on ? "=1" : "=0");
}

bool str_eq(const char* a, const char* b)
{
    if (!a || !b)
        return false;
    while (*a && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}

bool str_starts_with(const char* s, const char* prefix)
{
    if (!s || !prefix)
        return false;
    while (*prefix)
        if (*s++ != *prefix++)
            return false;
    return true;
}

} // namespace vmx
