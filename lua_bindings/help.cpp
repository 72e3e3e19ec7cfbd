// help(), hex() and scripts(): the prompt's own documentation and small conveniences.
// Docs live in a registry table: HELP.modules = { {name=, summary=, funcs={...}} ... } and
// HELP.byfunc[function] = entry, so help(cpu.rdmsr) finds its entry from the function value.
#include "lua_bindings/util.hpp"
#include "kernel/modules.hpp"
#include <stdio.h>
#include <string.h>

namespace bindings {
namespace {

constexpr const char* help_key = "vmxlab.help";

void get_help_table(lua_State* L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, help_key) == LUA_TTABLE)
        return;
    lua_pop(L, 1);
    lua_createtable(L, 0, 2);
    lua_newtable(L);
    lua_setfield(L, -2, "modules");
    lua_newtable(L);
    lua_setfield(L, -2, "byfunc");
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, help_key);
}

void print_line(lua_State* L, const char* s)
{
    lua_writestring(s, strlen(s));
    lua_writeline();
    (void)L;
}

// Prints "usage" padded, then the first sentence of text.
void print_summary(lua_State* L, int entry)
{
    lua_getfield(L, entry, "usage");
    lua_getfield(L, entry, "text");
    const char* usage = lua_tostring(L, -2);
    const char* text = lua_tostring(L, -1);
    const char* dot = strstr(text, ". ");
    int n = dot ? int(dot - text + 1) : int(strlen(text));
    // One line each: the first sentence, cut to fit a 120-column terminal (help(f) has it all).
    int room = 120 - 4 - (strlen(usage) > 44 ? int(strlen(usage)) : 44) - 1;
    if (room < 20)
        room = 20;
    bool cut = n > room;
    char line[320];
    snprintf(line, sizeof line, "    %-44s %.*s%s", usage, cut ? room - 3 : n, text, cut ? "..." : "");
    print_line(L, line);
    lua_pop(L, 2);
}

void print_module(lua_State* L, int mod, bool with_funcs)
{
    lua_getfield(L, mod, "name");
    lua_getfield(L, mod, "summary");
    char line[256];
    snprintf(line, sizeof line, "  %-8s %s", lua_tostring(L, -2), lua_tostring(L, -1));
    print_line(L, line);
    lua_pop(L, 2);
    if (!with_funcs)
        return;
    lua_getfield(L, mod, "funcs");
    for (lua_Integer i = 1; lua_geti(L, -1, i) == LUA_TTABLE; ++i) {
        print_summary(L, lua_gettop(L));
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
}

void print_entry(lua_State* L, int entry)
{
    lua_getfield(L, entry, "usage");
    lua_getfield(L, entry, "text");
    print_line(L, lua_tostring(L, -2));
    lua_pushliteral(L, "  ");
    lua_insert(L, -2);
    lua_concat(L, 2);
    print_line(L, lua_tostring(L, -1));
    lua_pop(L, 2);
}

// Finds the module entry called `name` in HELP.modules (at index `modules`); pushes it or nil.
bool find_module(lua_State* L, int modules, const char* name, size_t len)
{
    for (lua_Integer i = 1; lua_geti(L, modules, i) == LUA_TTABLE; ++i) {
        lua_getfield(L, -1, "name");
        size_t n;
        const char* s = lua_tolstring(L, -1, &n);
        lua_pop(L, 1);
        if (n == len && !memcmp(s, name, n))
            return true;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return false;
}

int l_help(lua_State* L)
{
    lua_settop(L, 1);                 // argument 1, or nil: the tables below go above it
    get_help_table(L);
    int help = lua_gettop(L);
    lua_getfield(L, help, "modules");
    int modules = lua_gettop(L);
    lua_getfield(L, help, "byfunc");
    int byfunc = lua_gettop(L);

    if (lua_isnoneornil(L, 1)) {
        print_line(L, "vmxlab: Lua 5.4 on COM1. help(name) or help(function) explains one thing.");
        for (lua_Integer i = 1; lua_geti(L, modules, i) == LUA_TTABLE; ++i) {
            print_module(L, lua_gettop(L), true);
            lua_pop(L, 1);
        }
        print_line(L, "  Also Lua's own: string table math utf8 coroutine io os (see docs/lua-api.md).");
        return 0;
    }
    if (lua_type(L, 1) == LUA_TFUNCTION) {
        lua_pushvalue(L, 1);
        if (lua_rawget(L, byfunc) == LUA_TTABLE) {
            print_entry(L, lua_gettop(L));
            return 0;
        }
        return luaL_error(L, "help: no documentation for this function (a Lua built-in? see the Lua 5.4 manual)");
    }
    if (lua_type(L, 1) == LUA_TTABLE) {     // a module table: find which
        for (lua_Integer i = 1; lua_geti(L, modules, i) == LUA_TTABLE; ++i) {
            lua_getfield(L, -1, "name");
            lua_getglobal(L, lua_tostring(L, -1));
            bool same = lua_rawequal(L, -1, 1);
            lua_pop(L, 2);
            if (same) {
                print_module(L, lua_gettop(L), true);
                return 0;
            }
            lua_pop(L, 1);
        }
        return luaL_error(L, "help: this table is not a vmxlab module");
    }
    size_t len;
    const char* name = luaL_checklstring(L, 1, &len);
    const char* dot = strchr(name, '.');
    size_t modlen = dot ? size_t(dot - name) : len;
    if (!find_module(L, modules, name, modlen)) {
        if (dot)
            return luaL_error(L, "help: no module '%s'", lua_pushlstring(L, name, modlen));
        // A global function such as "hex": look among the globals' docs.
        lua_getglobal(L, name);
        if (lua_rawget(L, byfunc) == LUA_TTABLE) {
            print_entry(L, lua_gettop(L));
            return 0;
        }
        return luaL_error(L, "help: nothing called '%s'", name);
    }
    if (!dot) {
        print_module(L, lua_gettop(L), true);
        return 0;
    }
    lua_getfield(L, -1, "funcs");
    for (lua_Integer i = 1; lua_geti(L, -1, i) == LUA_TTABLE; ++i) {
        lua_getfield(L, -1, "name");
        bool same = !strcmp(lua_tostring(L, -1), dot + 1);
        lua_pop(L, 1);
        if (same) {
            print_entry(L, lua_gettop(L));
            return 0;
        }
        lua_pop(L, 1);
    }
    return luaL_error(L, "help: module has no function '%s'", dot + 1);
}

// hex(v [, digits]): the 64-bit value shown unsigned, e.g. hex(-1) == "0xffffffffffffffff".
int l_hex(lua_State* L)
{
    uint64_t v = check_u64(L, 1);
    int digits = int(luaL_optinteger(L, 2, 0));
    luaL_argcheck(L, digits >= 0 && digits <= 16, 2, "digits must be 0..16");
    char buf[24];
    snprintf(buf, sizeof buf, "0x%0*llx", digits, (unsigned long long)v);
    lua_pushstring(L, buf);
    return 1;
}

// scripts(): the scripts shipped on the ISO (boot modules), printed and returned as a list.
int l_scripts(lua_State* L)
{
    size_t n = kmodule_count();
    lua_createtable(L, int(n), 0);
    for (size_t i = 0; i < n; ++i) {
        const kmodule* m = kmodule_at(i);
        lua_pushstring(L, m->name);
        lua_rawseti(L, -2, lua_Integer(i + 1));
        if (!lua_toboolean(L, 1)) {
            char line[160];
            snprintf(line, sizeof line, "  %-32s %6zu bytes", m->name, m->size);
            print_line(L, line);
        }
    }
    return 1;
}

const Doc global_docs[] = {
    { "help", "help([name | function | module])", "Lists the modules and their functions with one line each; help(cpu.rdmsr) or help(\"cpu.rdmsr\") explains one." },
    { "hex", "hex(v [, digits]) -> string", "Formats a 64-bit integer as unsigned hexadecimal: hex(-1) is \"0xffffffffffffffff\", hex(0x2b, 8) is \"0x0000002b\"." },
    { "scripts", "scripts([quiet]) -> list", "Lists the Lua scripts shipped on the ISO (boot modules). dofile(name), loadfile(name) and require(name) find them." },
    { nullptr, nullptr, nullptr },
};

} // namespace

void register_module(lua_State* L, const char* modname, const char* summary, const Doc* docs)
{
    int t = lua_gettop(L);
    get_help_table(L);
    int help = lua_gettop(L);
    lua_getfield(L, help, "modules");
    lua_getfield(L, help, "byfunc");
    int modules = help + 1, byfunc = help + 2;

    lua_createtable(L, 0, 3);
    int mod = lua_gettop(L);
    lua_pushstring(L, *modname ? modname : "globals");
    lua_setfield(L, mod, "name");
    lua_pushstring(L, summary);
    lua_setfield(L, mod, "summary");
    lua_newtable(L);
    int funcs = lua_gettop(L);
    for (lua_Integer i = 1; docs && docs->name; ++docs, ++i) {
        lua_createtable(L, 0, 3);
        lua_pushstring(L, docs->name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, docs->usage);
        lua_setfield(L, -2, "usage");
        lua_pushstring(L, docs->text);
        lua_setfield(L, -2, "text");
        if (*modname)
            lua_getfield(L, t, docs->name);
        else
            lua_getglobal(L, docs->name);
        if (lua_isfunction(L, -1)) {
            lua_pushvalue(L, -2);
            lua_rawset(L, byfunc);
        } else {
            lua_pop(L, 1);
        }
        lua_rawseti(L, funcs, i);
    }
    lua_setfield(L, mod, "funcs");
    lua_rawseti(L, modules, lua_Integer(lua_rawlen(L, modules) + 1));
    lua_settop(L, *modname ? t : t - 1);   // a module's table stays for its luaopen_* to return
}

void open_help(lua_State* L)
{
    lua_register(L, "help", l_help);
    lua_register(L, "hex", l_hex);
    lua_register(L, "scripts", l_scripts);
    lua_pushnil(L);                       // placeholder "module table" for globals
    register_module(L, "", "functions of the prompt itself", global_docs);
}

} // namespace bindings
