// vmx.guests and vmx.load_guest(): the tiny guests of guests/*.asm, linked into the kernel as
// flat binaries (guests/guests_data.asm), made loadable from Lua. Without EPT guest-physical is
// host-physical, so a guest runs wherever it is copied to.
#include "lua_bindings/lua_vmx.hpp"
#include <string.h>

struct VmxlabGuestImage {
    const char* name;
    const uint8_t* start;
    const uint8_t* end;
    uint64_t entry;          // offset of the first instruction
    const char* text;
};
extern "C" const VmxlabGuestImage vmxlab_guests[];   // guests_data.asm; ends with a zero row

namespace bindings::vmxl {
namespace {

const VmxlabGuestImage* find_guest(const char* name)
{
    for (const VmxlabGuestImage* g = vmxlab_guests; g->name; ++g)
        if (strcmp(g->name, name) == 0)
            return g;
    return nullptr;
}

// vmx.load_guest(name [, pa]) -> { name=, code=, entry=, size=, stack= }: the image copied into a
// fresh mem.alloc block (or to pa), and a 4 KiB stack block (stack = its top, 16-byte aligned).
int l_load_guest(lua_State* L)
{
    const char* name = luaL_checkstring(L, 1);
    const VmxlabGuestImage* g = find_guest(name);
    if (!g) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        for (const VmxlabGuestImage* i = vmxlab_guests; i->name; ++i) {
            luaL_addstring(&b, i == vmxlab_guests ? "" : ", ");
            luaL_addstring(&b, i->name);
        }
        luaL_pushresult(&b);
        return luaL_argerror(L, 1, lua_pushfstring(L, "unknown guest '%s' (%s)", name, lua_tostring(L, -1)));
    }
    size_t size = size_t(g->end - g->start);
    uint64_t code = 0;
    if (!lua_isnoneornil(L, 2)) {
        // At a chosen (guest-)physical address, e.g. below 1 MiB for a real-mode or V86 guest:
        // copied by mem.write, so the same rule applies (no writes into the kernel's own RAM).
        code = check_u64(L, 2);
        if (int n = mem_write_bytes(L, code, g->start, size))
            return n;                                   // nil, "write(0x...): refused: ..."
    } else {
        code = mem_alloc(L, (size + 4095) & ~size_t(4095), 4096);
        if (!code) {
            lua_pushnil(L);
            lua_insert(L, -2);
            return 2;
        }
    }
    uint64_t stack = mem_alloc(L, 4096, 4096);
    if (!stack) {
        lua_pushnil(L);
        lua_insert(L, -2);
        return 2;
    }
    if (lua_isnoneornil(L, 2))
        memcpy(reinterpret_cast<void*>(code), g->start, size);
    lua_createtable(L, 0, 5);
    lua_pushstring(L, g->name);
    lua_setfield(L, -2, "name");
    push_u64(L, code);
    lua_setfield(L, -2, "code");
    push_u64(L, code + g->entry);
    lua_setfield(L, -2, "entry");
    lua_pushinteger(L, lua_Integer(size));
    lua_setfield(L, -2, "size");
    push_u64(L, stack + 4096);
    lua_setfield(L, -2, "stack");
    return 1;
}

const luaL_Reg funcs[] = { { "load_guest", l_load_guest }, { nullptr, nullptr } };

} // namespace

void add_guests(lua_State* L)
{
    luaL_setfuncs(L, funcs, 0);
    lua_newtable(L);
    for (const VmxlabGuestImage* g = vmxlab_guests; g->name; ++g) {
        lua_createtable(L, 0, 4);
        lua_pushlstring(L, reinterpret_cast<const char*>(g->start), size_t(g->end - g->start));
        lua_setfield(L, -2, "image");
        lua_pushinteger(L, lua_Integer(g->entry));
        lua_setfield(L, -2, "entry");
        lua_pushinteger(L, lua_Integer(g->end - g->start));
        lua_setfield(L, -2, "size");
        lua_pushstring(L, g->text);
        lua_setfield(L, -2, "text");
        lua_setfield(L, -2, g->name);
    }
    lua_setfield(L, -2, "guests");
}

} // namespace bindings::vmxl
