#include "lua_bindings/util.hpp"
#include <stdio.h>

namespace bindings {

uint32_t check_u32(lua_State* L, int arg)
{
    lua_Integer v = luaL_checkinteger(L, arg);
    luaL_argcheck(L, v >= 0 && v <= 0xFFFFFFFFll, arg, "value out of range (0..0xffffffff)");
    return uint32_t(v);
}

uint16_t check_port(lua_State* L, int arg)
{
    lua_Integer v = luaL_checkinteger(L, arg);
    luaL_argcheck(L, v >= 0 && v <= 0xFFFF, arg, "port out of range (0..0xffff)");
    return uint16_t(v);
}

int push_fault(lua_State* L, const char* what, const arch::Fault& f)
{
    char msg[160];
    const char* v = arch::vector_mnemonic(f.vector);
    if (f.vector == 14)
        snprintf(msg, sizeof msg, "%s: #PF(0x%llx) at 0x%llx", what,
                 (unsigned long long)f.error_code, (unsigned long long)f.cr2);
    else if (arch::vector_has_error_code(f.vector))
        snprintf(msg, sizeof msg, "%s: %s(%llu)", what, v, (unsigned long long)f.error_code);
    else
        snprintf(msg, sizeof msg, "%s: %s", what, v);
    lua_pushnil(L);
    lua_pushstring(L, msg);
    lua_pushinteger(L, f.vector);
    return 3;
}

int push_refusal(lua_State* L, const char* what, const char* why)
{
    lua_pushnil(L);
    lua_pushfstring(L, "%s: refused: %s", what, why);
    return 2;
}

} // namespace bindings
