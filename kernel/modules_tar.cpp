// The ustar reader (see modules_tar.hpp). A header is one 512-byte block: name[100] at 0,
// size[12] (octal) at 124, chksum[8] at 148, typeflag at 156, magic "ustar" at 257,
// prefix[155] at 345. File data follows, padded to whole blocks.
#include "kernel/modules_tar.hpp"

#include <stdint.h>
#include <string.h>

namespace kernel {
namespace {

constexpr size_t block = 512;

// An octal field: digits, optionally led by spaces and ended by NUL or space. False if malformed.
bool octal(const char* f, size_t n, uint64_t* out)
{
    size_t i = 0;
    while (i < n && f[i] == ' ')
        i++;
    uint64_t v = 0;
    bool any = false;
    for (; i < n && f[i] >= '0' && f[i] <= '7'; i++, any = true) {
        if (v >> 60)
            return false;
        v = v * 8 + uint64_t(f[i] - '0');
    }
    if (i < n && f[i] != '\0' && f[i] != ' ')
        return false;
    *out = v;
    return any;
}

// The checksum: the sum of the header's bytes with the chksum field counted as spaces.
bool checksum_ok(const unsigned char* h)
{
    uint64_t want;
    if (!octal(reinterpret_cast<const char*>(h) + 148, 8, &want))
        return false;
    uint64_t sum = 0;
    for (size_t i = 0; i < block; i++)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    return sum == want;
}

bool all_zero(const unsigned char* h)
{
    for (size_t i = 0; i < block; i++)
        if (h[i])
            return false;
    return true;
}

// "prefix/name", each field NUL-terminated or full length.
void join_name(const char* h, char* out)
{
    size_t n = 0;
    size_t plen = strnlen(h + 345, 155);
    if (plen) {
        memcpy(out, h + 345, plen);
        n = plen;
        out[n++] = '/';
    }
    size_t nlen = strnlen(h, 100);
    memcpy(out + n, h, nlen);
    out[n + nlen] = '\0';
}

} // namespace

size_t tar_for_each(const char* data, size_t size, char* name_buf,
                    void (*visit)(const TarMember& member, void* context), void* context)
{
    size_t count = 0;
    for (size_t at = 0; data && size >= block && at <= size - block;) {
        const auto* h = reinterpret_cast<const unsigned char*>(data + at);
        if (all_zero(h) || memcmp(h + 257, "ustar", 5) != 0 || !checksum_ok(h))
            break;
        uint64_t len;
        if (!octal(data + at + 124, 12, &len) || len > size - at - block)
            break;
        char type = char(h[156]);
        if (type == '0' || type == '\0') {
            join_name(data + at, name_buf);
            visit(TarMember{name_buf, data + at + block, size_t(len)}, context);
            count++;
        }
        at += block + (size_t(len) + block - 1) / block * block;
    }
    return count;
}

} // namespace kernel
