// The REPL's pure rules about chunk text (lua.c's), separate from Lua so host tests can check them.
#pragma once
#include <stddef.h>
#include <stdint.h>
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

// No single byte powers the machine off (serial line noise, a reflex Ctrl-D): Ctrl-D on an empty
// "> " line only prints power_off_hint, and powers off if the very next byte read is Ctrl-D too.
inline constexpr const char power_off_hint[] =
    "To power off, press Ctrl-D again now, or call sys.exit() or os.exit(); any other key carries on.";

class PowerOffGuard {
public:
    // Every byte read at a prompt, before the line editor sees it.
    void key(uint8_t c)
    {
        confirmed_ = armed_ && c == 0x04;
        armed_ = false;
    }
    // The editor reported end of input on a "> " line: true = power off now (the Ctrl-D right
    // after the hint); false = print power_off_hint, the next byte decides.
    bool end_of_input()
    {
        bool off = confirmed_;
        confirmed_ = false;
        armed_ = !off;
        return off;
    }

private:
    bool armed_ = false;
    bool confirmed_ = false;
};

} // namespace repl
