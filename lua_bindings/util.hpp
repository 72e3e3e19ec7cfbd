// Helpers shared by the bindings: 64-bit arguments, fault results, documentation.
#pragma once
#include <stdint.h>
extern "C" {
#include "lua.h"
#include "lauxlib.h"
}
#include "arch/cpu.hpp"

namespace bindings {

// Lua integers are 64-bit; a value with bit 63 set is negative in Lua and means the same bits.
inline uint64_t check_u64(lua_State* L, int arg) { return uint64_t(luaL_checkinteger(L, arg)); }
inline void push_u64(lua_State* L, uint64_t v) { lua_pushinteger(L, lua_Integer(v)); }
uint32_t check_u32(lua_State* L, int arg);   // raises "value out of range" past 32 bits
uint16_t check_port(lua_State* L, int arg);

// The hardware said no: returns 3 values `nil, "<what>: #GP(0)", vector` (docs/lua-api.md).
int push_fault(lua_State* L, const char* what, const arch::Fault& f);
// A request the kernel refuses for its own safety: `nil, "<what>: refused: <why>"`.
int push_refusal(lua_State* L, const char* what, const char* why);

// help(): each module registers one line per function.
struct Doc {
    const char* name;     // "rdmsr"
    const char* usage;    // "cpu.rdmsr(msr) -> value | nil, msg, vector"
    const char* text;     // one or more sentences
};
// Records the docs of the module table at the top of the stack for help() and leaves the table
// there, so luaopen_* returns it (luaL_requiref then makes it global `modname`, as for Lua's own
// libraries). modname "" records docs of global functions and pops the placeholder at the top.
void register_module(lua_State* L, const char* modname, const char* summary, const Doc* docs);
void open_help(lua_State* L);   // help(), hex(), scripts()

int luaopen_cpu(lua_State* L);
int luaopen_mem(lua_State* L);
int luaopen_sys(lua_State* L);
int luaopen_vmx(lua_State* L);
void set_cmdline(const char* cmdline);

} // namespace bindings
