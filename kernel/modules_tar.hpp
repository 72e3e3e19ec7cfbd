// A reader for ustar archives (POSIX.1-1988 "ustar" format, as `tar --format=ustar` writes
// them). The ISOs ship their Lua scripts as one archive module instead of one module each:
// GRUB spends about a million instructions per module whatever its size.
#pragma once
#include <stddef.h>

namespace kernel {

struct TarMember {
    const char* name;     // NUL-terminated, in the caller's buffer (prefix "/" name joined)
    const char* data;     // inside the archive
    size_t size;
};

// Calls `visit(member, context)` for each regular file of the archive [data, data + size), in
// archive order; `name_buf` (at least 257 bytes) holds the member's name during the call.
// Stops at the end-of-archive block, at the end of the data, or at the first header that is
// not ustar, has a bad checksum or a size running past the end. Returns the number of members
// visited.
size_t tar_for_each(const char* data, size_t size, char* name_buf,
                    void (*visit)(const TarMember& member, void* context), void* context);

} // namespace kernel
