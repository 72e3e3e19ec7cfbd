// The `mem` module's blocks and write rules for the other bindings (vmx.enable's VMXON region,
// vmx.load_guest): the same bookkeeping as mem.alloc / mem.free / mem.write, reached from C++
// rather than through the global `mem`, which the user may reassign.
#pragma once
#include <stddef.h>
#include <stdint.h>

struct lua_State;

namespace bindings {

// mem.alloc: a zeroed block of `size` bytes aligned to `align` (at least 4 KiB) that mem.write and
// mem.free accept. 0 if out of memory.
uint64_t mem_alloc_block(lua_State* L, uint64_t size, uint64_t align);
// mem.free: false (and nothing freed) if `addr` is not a block from mem_alloc_block / mem.alloc.
bool mem_free_block(lua_State* L, uint64_t addr);
// mem.write: copies `len` bytes to `addr` under the same rules. Returns 0 on success; otherwise
// pushes `nil, message[, vector]` and returns how many values it pushed.
int mem_write_bytes(lua_State* L, uint64_t addr, const void* src, size_t len);

} // namespace bindings
