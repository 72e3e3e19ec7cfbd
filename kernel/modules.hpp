// Scripts shipped on the ISO arrive as boot modules: one ustar archive (scripts.tar; the test ISO's
// also holds tests/lua/*.lua) or, on QEMU's -kernel path, one module per script.
// dofile/loadfile/require and scripts() find them here by name; an archive's members are modules.
#pragma once
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif
struct kmodule { const char* name; const char* data; size_t size; };
// Exact name first; otherwise the first module whose name's last path component equals the
// query's ("lab1.lua", "scripts/lab1.lua" and "/x/lab1.lua" all find a module named "lab1.lua"
// or "scripts/lab1.lua"). NULL if none.
const struct kmodule* kmodule_find(const char* name);
size_t kmodule_count(void);
const struct kmodule* kmodule_at(size_t i);          // NULL past the end; in boot order
#ifdef __cplusplus
}

#include "kernel/boot_info.hpp"
namespace kernel {
// Replaces the registry with these modules (names copied; contents stay where the loader put
// them, reserved by memory_init). A module whose name ends in ".tar" is replaced by the regular
// files of that ustar archive, in archive order (at most 256 entries in all). Called once at
// boot; tests call it again.
void register_modules(const BootModule* modules, size_t count);
} // namespace kernel
#endif
