#include "kernel/cmdline.hpp"
#include <string.h>

namespace kernel {
namespace {

// Copies the value of `key=` into out (truncated to its size) if word starts with it.
bool take_value(const char* word, size_t len, const char* key, char* out, size_t out_size)
{
    size_t klen = strlen(key);
    if (len <= klen || memcmp(word, key, klen) != 0)
        return false;
    size_t n = len - klen < out_size - 1 ? len - klen : out_size - 1;
    memcpy(out, word + klen, n);
    out[n] = 0;
    return true;
}

} // namespace

Options parse_cmdline(const char* cmdline)
{
    Options o;
    const char* p = cmdline ? cmdline : "";
    while (*p) {
        while (*p == ' ' || *p == '\t')
            ++p;
        const char* w = p;
        while (*p && *p != ' ' && *p != '\t')
            ++p;
        size_t len = size_t(p - w);
        if (len == 5 && !memcmp(w, "batch", 5))
            o.batch = true;
        else if (len == 4 && !memcmp(w, "test", 4))
            o.test = true;
        else if (len == 9 && !memcmp(w, "crashtest", 9))
            o.crashtest = true;
        else if (!take_value(w, len, "run=", o.run, sizeof o.run))
            take_value(w, len, "lab=", o.lab, sizeof o.lab);
    }
    return o;
}

} // namespace kernel
