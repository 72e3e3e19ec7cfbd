// Tab completion's Lua side: the names that may follow `a.b.` or `s:` (kernel/completion finds the
// word and keeps the matches). Tables are read raw and only __index *tables* are followed, so
// pressing Tab never runs Lua code; the walk runs under lua_pcall in case memory runs out.
#include "lua_bindings/repl.hpp"
#include "kernel/completion.hpp"

extern "C" {
#include "lauxlib.h"
#include "lua.h"
}

namespace {

constexpr int max_index_depth = 8;   // __index chains; also stops cycles

struct Query {
    const char* line;
    const kernel::CompletionWord* word;
    kernel::Candidates* out;
};

// Replaces the value on top with getmetatable(value).__index when that is a table.
bool to_index_table(lua_State* L)
{
    if (!lua_getmetatable(L, -1))
        return false;
    lua_pushliteral(L, "__index");
    if (lua_rawget(L, -2) != LUA_TTABLE) {
        lua_pop(L, 2);
        return false;
    }
    lua_remove(L, -2);
    lua_remove(L, -2);
    return true;
}

// Replaces the value on top with value[key] as Lua would find it through __index tables.
bool field(lua_State* L, const char* key, size_t n)
{
    for (int depth = 0; depth < max_index_depth; depth++) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            lua_pushlstring(L, key, n);
            if (lua_rawget(L, -2) != LUA_TNIL) {
                lua_remove(L, -2);
                return true;
            }
            lua_pop(L, 1);
        }
        if (!to_index_table(L))
            return false;
    }
    return false;
}

bool callable(lua_State* L, int idx)
{
    if (lua_type(L, idx) == LUA_TFUNCTION)
        return true;
    bool call = luaL_getmetafield(L, idx, "__call") != LUA_TNIL;
    if (call)
        lua_pop(L, 1);
    return call;
}

// Every identifier key of the value on top and of its __index tables; only callables after ':'.
void add_fields(lua_State* L, kernel::Candidates& out, bool methods)
{
    for (int depth = 0; depth < max_index_depth; depth++) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                if (lua_type(L, -2) == LUA_TSTRING) {
                    size_t n = 0;
                    const char* key = lua_tolstring(L, -2, &n);   // a string already: no conversion
                    if (kernel::is_identifier(key, n) && (!methods || callable(L, -1)))
                        out.add(key, n);
                }
                lua_pop(L, 1);
            }
        }
        if (!to_index_table(L))
            return;
    }
}

int collect(lua_State* L)
{
    const Query* q = static_cast<const Query*>(lua_touserdata(L, 1));
    const kernel::CompletionWord& w = *q->word;
    lua_pushglobaltable(L);   // REPL chunks run with _ENV = _G
    for (size_t i = 0; i < w.segment_count; i++)
        if (!field(L, q->line + w.segments[i].offset, w.segments[i].length))
            return 0;
    if (w.segment_count == 0)
        kernel::add_lua_keywords(*q->out);
    add_fields(L, *q->out, w.separator == ':');
    return 0;
}

} // namespace

void repl_complete(void* ctx, const char* line, size_t, const kernel::CompletionWord& word,
                   kernel::Candidates& out)
{
    lua_State* L = static_cast<lua_State*>(ctx);
    int top = lua_gettop(L);
    if (!lua_checkstack(L, 2 * max_index_depth + 8))
        return;
    Query q{line, &word, &out};
    lua_pushcfunction(L, collect);
    lua_pushlightuserdata(L, &q);
    lua_pcall(L, 1, 0, 0);
    lua_settop(L, top);
}
