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

// The length of text's first sentence: up to the first ". " that does not end "e.g." or "i.e.".
int first_sentence(const char* text)
{
    for (const char* p = text; (p = strstr(p, ". ")) != nullptr; ++p) {
        bool abbreviation = p - text >= 3 && (!strncmp(p - 3, "e.g", 3) || !strncmp(p - 3, "i.e", 3));
        if (!abbreviation)
            return int(p - text + 1);
    }
    return int(strlen(text));
}

constexpr int kColumns = 120;        // help() fits a 120-column terminal
constexpr int kUsageWidth = 44;
constexpr int kTextColumn = 4 + kUsageWidth + 1;

// Prints n characters of text from column `indent` on, broken between words at kColumns.
void print_wrapped(lua_State* L, int indent, const char* text, int n)
{
    char line[kColumns + 8];
    while (n > 0) {
        int take = n;
        if (indent + take > kColumns) {
            take = kColumns - indent;
            while (take > 0 && text[take] != ' ')
                --take;
            if (take == 0)
                take = kColumns - indent;   // one word longer than the line
        }
        snprintf(line, sizeof line, "%*s%.*s", indent, "", take, text);
        print_line(L, line);
        while (take < n && text[take] == ' ')
            ++take;
        text += take;
        n -= take;
    }
}

// Prints "usage" padded, then the first sentence of text, whole: when both do not fit on one
// line the sentence goes on the next, in the same column (never cut).
void print_summary(lua_State* L, int entry)
{
    lua_getfield(L, entry, "usage");
    lua_getfield(L, entry, "text");
    const char* usage = lua_tostring(L, -2);
    const char* text = lua_tostring(L, -1);
    int n = first_sentence(text);
    char line[kColumns + 8];
    int used = snprintf(line, sizeof line, "    %-*s ", kUsageWidth, usage);
    if (used + n <= kColumns) {
        snprintf(line + used, sizeof line - size_t(used), "%.*s", n, text);
        print_line(L, line);
    } else {
        snprintf(line, sizeof line, "    %s", usage);
        print_line(L, line);
        print_wrapped(L, kTextColumn, text, n);
    }
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
    size_t n;
    const char* text = lua_tolstring(L, -1, &n);
    print_wrapped(L, 2, text, int(n));
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

// The globals' entries (labs, lab, ...) may name values set after open_help ran (scripts/labs.lua):
// finds the entry whose global is rawequal to the value at `arg`, or (by_name) whose name is the
// string there. Pushes it and returns true, or pushes nothing.
bool find_global_doc(lua_State* L, int modules, int arg, bool by_name)
{
    if (!find_module(L, modules, "globals", 7))
        return false;
    lua_getfield(L, -1, "funcs");
    lua_remove(L, -2);
    for (lua_Integer i = 1; lua_geti(L, -1, i) == LUA_TTABLE; ++i) {
        lua_getfield(L, -1, "name");
        bool same;
        if (by_name) {
            same = lua_rawequal(L, -1, arg);
        } else {
            lua_getglobal(L, lua_tostring(L, -1));
            same = !lua_isnil(L, -1) && lua_rawequal(L, -1, arg);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        if (same) {
            lua_remove(L, -2);
            return true;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
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
        if (lua_rawget(L, byfunc) == LUA_TTABLE || find_global_doc(L, modules, 1, false)) {
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
        if (find_global_doc(L, modules, 1, false)) {
            print_entry(L, lua_gettop(L));
            return 0;
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
        if (lua_rawget(L, byfunc) == LUA_TTABLE || find_global_doc(L, modules, 1, true)) {
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

// scripts(): prints the scripts shipped on the ISO (boot modules); scripts(true) returns their
// names as a list instead, printing nothing.
int l_scripts(lua_State* L)
{
    bool quiet = lua_toboolean(L, 1);
    size_t n = kmodule_count();
    if (!quiet) {
        for (size_t i = 0; i < n; ++i) {
            const kmodule* m = kmodule_at(i);
            char line[160];
            snprintf(line, sizeof line, "  %-32s %6zu bytes", m->name, m->size);
            print_line(L, line);
        }
        return 0;
    }
    lua_createtable(L, int(n), 0);
    for (size_t i = 0; i < n; ++i) {
        lua_pushstring(L, kmodule_at(i)->name);
        lua_rawseti(L, -2, lua_Integer(i + 1));
    }
    return 1;
}

const Doc global_docs[] = {
    { "help", "help([name | function | module])", "Lists everything here, one line each. help(cpu.rdmsr) or help(\"cpu.rdmsr\") explains one thing, help(\"cpu\") one module." },
    { "hex", "hex(v [, digits]) -> string", "Formats a 64-bit integer as unsigned hexadecimal. hex(-1) is \"0xffffffffffffffff\", hex(0x2b, 8) is \"0x0000002b\"." },
    { "scripts", "scripts([quiet]) -> nothing | list", "Prints the Lua scripts shipped on the ISO (boot modules). scripts(true) returns their names as a list instead, printing nothing. dofile(name), loadfile(name) and require(name) find them." },
    { "labs", "labs()", "Lists the lecture's seven labs, one line each. labs.try(n [, i]) runs lab n's try-this exercises and checks each outcome; labs.use(n) puts back the globals lab n left; docs/labs.md is the guide." },
    { "lab", "lab(n | name) -> true | false, failed", "Runs lab n of the lecture (1-7, or its name). It prints each step and fact, a try-this list and a last line \"vmxlab-lab: n=N name=FILE result=pass|fail\"; returns true when every fact held, else false and the failed facts." },
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
    if (*modname) {
        lua_pushvalue(L, t);
        lua_setglobal(L, modname);
    }
    lua_settop(L, t - 1);
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
