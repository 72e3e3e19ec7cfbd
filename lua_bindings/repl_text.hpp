// The REPL's pure rules about chunk text (lua.c's), separate from Lua so host tests can check them.
#pragma once
#include <stddef.h>
#include <string.h>

namespace repl {

inline constexpr const char eof_mark[] = "<eof>";

// lua.c `incomplete`: a syntax error whose message ends in "<eof>" means "read another line".
inline bool is_incomplete_message(const char* msg, size_t length)
{
    size_t n = sizeof eof_mark - 1;
    return msg && length >= n && memcmp(msg + length - n, eof_mark, n) == 0;
}

// lua.c `pushline`: a first line "=expr" is read as "return expr" (Lua 5.2 compatibility).
// Returns how many bytes of the line to skip before prefixing "return ", or -1 to keep it.
inline long equals_form_skip(const char* line, size_t length)
{
    return length > 0 && line[0] == '=' ? 1 : -1;
}

// "input line too long (max N bytes); discarded" into out (NUL-terminated); returns its length.
inline size_t too_long_message(char* out, size_t size, size_t max_bytes)
{
    static const char head[] = "input line too long (max ", tail[] = " bytes); discarded";
    char digits[24];
    size_t nd = 0;
    do {
        digits[nd++] = char('0' + max_bytes % 10);
        max_bytes /= 10;
    } while (max_bytes);
    size_t need = sizeof head - 1 + nd + sizeof tail - 1;
    if (size <= need)
        return 0;
    size_t k = 0;
    memcpy(out, head, sizeof head - 1);
    k += sizeof head - 1;
    while (nd)
        out[k++] = digits[--nd];
    memcpy(out + k, tail, sizeof tail);
    return k + sizeof tail - 1;
}

} // namespace repl
