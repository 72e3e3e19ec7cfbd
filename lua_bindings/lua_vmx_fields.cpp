// vmx.fields, vmx.field(), vmx.error(), vmx.reason(): the VMCS field catalogue (SDM appendix B),
// the VM-instruction errors (31.4) and exit reasons (appendix C) -- knowledge that needs no VMX
// hardware, so these work on any CPU. Also check_field(), the field argument of every binding.
#include "lua_bindings/lua_vmx.hpp"
#include "vmx/encoding.hpp"
#include "vmx/errors.hpp"
#include "vmx/exit_reasons.hpp"
#include "vmx/fields.hpp"
#include <ctype.h>
#include <string.h>

namespace bindings::vmxl {
namespace {

constexpr const char* field_meta = "vmxlab.vmx.field";
int field_index_ref = LUA_NOREF;       // registry: name -> encoding, not reachable from Lua

// Levenshtein distance, case-insensitive, capped: enough to suggest GUEST_CR0 for GUEST_CRO.
size_t distance(const char* a, const char* b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 64;
    size_t row[64];
    for (size_t j = 0; j <= lb; ++j)
        row[j] = j;
    for (size_t i = 1; i <= la; ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; ++j) {
            size_t up = row[j];
            bool same = toupper((unsigned char)a[i - 1]) == toupper((unsigned char)b[j - 1]);
            size_t best = diag + (same ? 0 : 1);
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            if (up + 1 < best)
                best = up + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char* closest_field(const char* name)
{
    const char* best = nullptr;
    size_t best_d = strlen(name) / 3 + 1;
    for (size_t i = 0; const vmx::FieldInfo* f = vmx::field_at(i); ++i) {
        size_t d = distance(name, f->name);
        if (d < best_d) {
            best = f->name;
            best_d = d;
        }
    }
    return best;
}

int field_tostring(lua_State* L)
{
    lua_getfield(L, 1, "text");
    return 1;
}

// vmx.field(x): a table describing the field, printed as describe_field()'s paragraph.
int l_field(lua_State* L)
{
    uint32_t enc = check_field(L, 1);
    const vmx::FieldInfo* f = vmx::find_field_by_encoding(enc);
    vmx::EncodingParts p = vmx::decode_encoding(enc);
    char text[700];
    vmx::describe_field(enc, text, sizeof text);
    lua_createtable(L, 0, 10);
    lua_pushinteger(L, enc);
    lua_setfield(L, -2, "encoding");
    if (f) {
        lua_pushstring(L, f->name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, f->sdm_name);
        lua_setfield(L, -2, "sdm_name");
        char alias[96];
        if (vmx::field_alias(*f, alias, sizeof alias)) {
            lua_pushstring(L, alias);
            lua_setfield(L, -2, "alias");
        }
    }
    static const int bits[] = { 16, 64, 32, 64 };
    lua_pushstring(L, vmx::width_name(p.width));
    lua_setfield(L, -2, "width");
    lua_pushinteger(L, p.high ? 32 : bits[int(p.width)]);
    lua_setfield(L, -2, "bits");
    lua_pushstring(L, vmx::type_name(p.type));
    lua_setfield(L, -2, "type");
    lua_pushboolean(L, p.type == vmx::FieldType::ReadOnly);
    lua_setfield(L, -2, "readonly");
    lua_pushboolean(L, p.high);
    lua_setfield(L, -2, "high");
    lua_pushinteger(L, p.index);
    lua_setfield(L, -2, "index");
    lua_pushstring(L, text);
    lua_setfield(L, -2, "text");
    luaL_setmetatable(L, field_meta);
    return 1;
}

int l_error(lua_State* L)
{
    lua_Integer n = luaL_checkinteger(L, 1);
    char text[240];
    vmx::format_vm_instruction_error(uint64_t(n), text, sizeof text);
    lua_pushstring(L, text);
    return 1;
}

int l_reason(lua_State* L)
{
    lua_Integer n = luaL_checkinteger(L, 1);
    const vmx::ExitReasonInfo* r = vmx::find_exit_reason(uint64_t(n) & 0xFFFF);
    if (!r) {
        lua_pushnil(L);
        lua_pushfstring(L, "%d is not a basic exit reason the SDM defines", int(n & 0xFFFF));
        return 2;
    }
    lua_pushstring(L, r->name);
    lua_pushstring(L, r->description);
    return 2;
}

const luaL_Reg funcs[] = {
    { "field", l_field }, { "error", l_error }, { "reason", l_reason }, { nullptr, nullptr },
};

} // namespace

uint32_t check_field(lua_State* L, int arg)
{
    if (lua_type(L, arg) == LUA_TNUMBER) {
        lua_Integer v = luaL_checkinteger(L, arg);
        luaL_argcheck(L, v >= 0 && v <= 0xFFFFFFFFll, arg, "field encoding out of range (0..0xffffffff)");
        return uint32_t(v);
    }
    const char* name = luaL_checkstring(L, arg);
    // Linux names through a private Lua table (one hash lookup); aliases through the catalogue.
    lua_rawgeti(L, LUA_REGISTRYINDEX, field_index_ref);
    lua_pushvalue(L, arg);
    if (lua_rawget(L, -2) == LUA_TNUMBER) {
        uint32_t enc = uint32_t(lua_tointeger(L, -1));
        lua_pop(L, 2);
        return enc;
    }
    lua_pop(L, 2);
    if (const vmx::FieldInfo* f = vmx::find_field_by_name(name))
        return f->encoding;
    const char* near = closest_field(name);
    const char* msg = near ? lua_pushfstring(L, "unknown VMCS field '%s' (did you mean %s?)", name, near)
                           : lua_pushfstring(L, "unknown VMCS field '%s' (vmx.fields lists them)", name);
    luaL_argerror(L, arg, msg);
    return 0;
}

void add_fields(lua_State* L)
{
    luaL_setfuncs(L, funcs, 0);
    lua_createtable(L, 0, int(vmx::field_count()));
    for (size_t i = 0; const vmx::FieldInfo* f = vmx::field_at(i); ++i) {
        lua_pushinteger(L, f->encoding);
        lua_setfield(L, -2, f->name);
    }
    lua_createtable(L, 0, int(vmx::field_count()));
    lua_pushnil(L);
    while (lua_next(L, -3)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    field_index_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_setfield(L, -2, "fields");
    if (luaL_newmetatable(L, field_meta)) {
        lua_pushcfunction(L, field_tostring);
        lua_setfield(L, -2, "__tostring");
    }
    lua_pop(L, 1);
}

} // namespace bindings::vmxl
