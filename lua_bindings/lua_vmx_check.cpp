// vmx.rules(): its rule table, as data.
// vmx.check([area]): the VM-entry checker (vmx/entry_check.hpp) on the current VMCS, as a list of
// findings -- empty when VM entry should succeed and its first exit should not abort. Each
// finding is a table {id=, section=, rule=, class=, area=, fields={NAME=value,...}, hint=, text=}
// that prints as its text; the list prints one finding a line. Only translates.
#include "lua_bindings/lua_vmx.hpp"
#include "vmx/entry_explain.hpp"
#include "vmx/entry_live.hpp"

namespace bindings::vmxl {
namespace {

constexpr const char* finding_meta = "vmxlab.vmx.finding";
constexpr const char* list_meta = "vmxlab.vmx.findings";
constexpr size_t kMaxFindings = 32;

void set_str(lua_State* L, const char* k, const char* v)
{
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

} // namespace

void push_finding(lua_State* L, const vmx::entry::Finding& f)
{
    lua_createtable(L, 0, 8);
    set_str(L, "id", f.rule->id);
    set_str(L, "section", f.rule->section);
    set_str(L, "rule", f.rule->rule);
    set_str(L, "class", vmx::entry::class_name(f.rule->cls));
    set_str(L, "area", vmx::entry::area_name(f.rule->area));
    set_str(L, "hint", f.hint);
    lua_createtable(L, 0, f.field_count);
    for (size_t i = 0; i < f.field_count && i < vmx::entry::kFindingFieldMax; ++i) {
        push_u64(L, f.fields[i].value);
        lua_setfield(L, -2, f.fields[i].name);
    }
    lua_setfield(L, -2, "fields");
    char text[900];
    vmx::entry::format_finding(f, text, sizeof text);
    set_str(L, "text", text);
    luaL_setmetatable(L, finding_meta);
}

namespace {

int finding_tostring(lua_State* L)
{
    lua_getfield(L, 1, "text");
    return 1;
}

int list_tostring(lua_State* L)
{
    lua_Integer n = luaL_len(L, 1);
    if (n == 0) {
        lua_pushstring(L, "no findings: the checker expects this VM entry to succeed");
        return 1;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_pushfstring(L, "%s%d. ", i > 1 ? "\n" : "", int(i));
        luaL_addvalue(&b);
        lua_geti(L, 1, i);
        lua_getfield(L, -1, "text");
        lua_remove(L, -2);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    return 1;
}

int l_check(lua_State* L)
{
    vmx::entry::AreaMask areas = vmx::entry::kAllAreas;
    if (!lua_isnoneornil(L, 1)) {
        areas = vmx::entry::area_mask_by_name(luaL_checkstring(L, 1));
        if (areas == 0 || lua_gettop(L) > 1)
            return luaL_argerror(L, 1, "area must be controls, host, guest, msr_load, abort or all");
    }
    if (!supported())
        return push_unsupported(L);
    if (tracker().current() == vmx::Tracker::kNone) {
        lua_pushnil(L);
        lua_pushstring(L, "no current VMCS: vmx.vmptrld(vmcs) first");
        return 2;
    }
    static vmx::entry::Finding found[kMaxFindings];
    long n = vmx::entry::check_live(areas, found, kMaxFindings);
    if (n < 0) {
        lua_pushnil(L);
        lua_pushstring(L, "the current VMCS could not be read (VMREAD failed)");
        return 2;
    }
    size_t shown = size_t(n) < kMaxFindings ? size_t(n) : kMaxFindings;
    lua_createtable(L, int(shown), 0);
    for (size_t i = 0; i < shown; ++i) {
        push_finding(L, found[i]);
        lua_rawseti(L, -2, lua_Integer(i + 1));
    }
    luaL_setmetatable(L, list_meta);
    return 1;
}

// vmx.rules() -> the checker's rule table: { {id=, section=, rule=, class=, area=}, ... } in check order.
int l_rules(lua_State* L)
{
    size_t n = 0;
    const vmx::entry::Rule* r = vmx::entry::rules(&n);
    lua_createtable(L, int(n), 0);
    for (size_t i = 0; i < n; ++i) {
        lua_createtable(L, 0, 5);
        set_str(L, "id", r[i].id);
        set_str(L, "section", r[i].section);
        set_str(L, "rule", r[i].rule);
        set_str(L, "class", vmx::entry::class_name(r[i].cls));
        set_str(L, "area", vmx::entry::area_name(r[i].area));
        lua_rawseti(L, -2, lua_Integer(i + 1));
    }
    return 1;
}

const luaL_Reg funcs[] = { { "check", l_check }, { "rules", l_rules }, { nullptr, nullptr } };

} // namespace

void add_check(lua_State* L)
{
    luaL_setfuncs(L, funcs, 0);
    luaL_newmetatable(L, finding_meta);
    lua_pushcfunction(L, finding_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    luaL_newmetatable(L, list_meta);
    lua_pushcfunction(L, list_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
}

// The checker's explanation of a failed entry (VMfailValid 7/8, exit 33/34), read right after it.
bool explain_entry(vmx::entry::Class actual, char* buf, size_t cap)
{
    static vmx::entry::Finding found[8];
    long n = vmx::entry::check_live(vmx::entry::kAllAreas, found, 8);
    if (n < 0) {
        if (cap)
            buf[0] = '\0';
        return false;
    }
    size_t kept = size_t(n) < 8 ? size_t(n) : 8;
    vmx::entry::explain_entry_failure(actual, found, kept, size_t(n), buf, cap);
    for (size_t i = 0; i < kept; ++i)
        if (found[i].rule->cls == actual)
            return true;
    return false;
}

} // namespace bindings::vmxl
