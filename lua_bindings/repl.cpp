// The REPL: lua 5.4's lua.c doREPL/loadline/multiline/addreturn/docall, written for the serial
// console and the kernel's line editor. See repl.hpp for the batch-mode protocol.
#include "lua_bindings/repl.hpp"
#include "lua_bindings/repl_text.hpp"
#include "arch/cpu.hpp"
#include "kernel/console.hpp"
#include "kernel/history.hpp"
#include "kernel/line_editor.hpp"
#include "kernel/modules.hpp"

extern "C" {
#include "lauxlib.h"
#include "lua.h"
}

namespace {

using kernel::LineEditor;

struct Console {
    LineEditor editor;
    kernel::History history;
    repl::PowerOffGuard power_off;
    bool batch = false;
};
constinit Console console;   // ~170 KiB of .bss, no constructor to run

// ---- Running chunks (lua.c: lstop, laction, msghandler, docall) ---------------------------------

lua_State* volatile running = nullptr;   // the state Ctrl-C interrupts; set while a chunk runs

void lstop(lua_State* L, lua_Debug*)
{
    lua_sethook(L, nullptr, 0, 0);
    vmxlab_interrupt_pending = 0;   // delivered: the library loops must not raise it again
    luaL_error(L, "interrupted!");
}

// Called from the COM1 interrupt. Changing a running Lua state is unsafe, but setting a hook is
// what lua_sethook allows asynchronously: the hook then raises the error in the state's own time.
// The flag reaches library loops that call no function (luai_interrupt, luaconf_kernel.h).
void on_break()
{
    if (lua_State* L = running) {
        lua_sethook(L, lstop, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
        vmxlab_interrupt_pending = 1;
    }
}

int msghandler(lua_State* L)
{
    const char* msg = lua_tostring(L, 1);
    if (msg == nullptr) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            return 1;   // the error object's own description, without traceback (as lua.c)
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

void write_text(const char* s, size_t n) { console_write(s, n); }

// lua.c `report`: the message on top (a string from msghandler or the loader), then pop it.
int report(lua_State* L, int status, const char* prefix)
{
    if (status == LUA_OK)
        return status;
    size_t n = 0;
    const char* msg = lua_tolstring(L, -1, &n);
    if (msg == nullptr) {
        msg = "(error object is not a string)";
        n = strlen(msg);
    }
    if (prefix)
        console_puts(prefix);
    write_text(msg, n);
    write_text("\n", 1);
    lua_pop(L, 1);
    return status;
}

// lua.c `l_print`: results go through the global print, so luaL_tolstring rules apply.
void print_results(lua_State* L)
{
    int n = lua_gettop(L);
    if (n == 0)
        return;
    luaL_checkstack(L, LUA_MINSTACK, "too many results to print");
    lua_getglobal(L, "print");
    lua_insert(L, 1);
    if (lua_pcall(L, n, 0, 0) != LUA_OK) {
        const char* msg = lua_pushfstring(L, "error calling 'print' (%s)", lua_tostring(L, -1));
        write_text(msg, strlen(msg));
        write_text("\n", 1);
    }
}

// ---- Reading lines ----------------------------------------------------------------------------

enum class Read { line, eof, cancel, too_long };

void editor_write(void*, const char* s, size_t n) { console_write(s, n); }

int prompt_string(lua_State* L)
{
    bool first = lua_toboolean(L, 1);
    if (lua_getglobal(L, first ? "_PROMPT" : "_PROMPT2") == LUA_TNIL)
        lua_pushstring(L, first ? "> " : ">> ");
    else
        luaL_tolstring(L, -1, nullptr);
    return 1;
}

// lua.c `get_prompt`, protected: a _PROMPT whose __tostring fails gives the default prompt.
const char* push_prompt(lua_State* L, bool first)
{
    lua_pushcfunction(L, prompt_string);
    lua_pushboolean(L, first);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_isstring(L, -1)) {
        lua_pop(L, 1);
        lua_pushstring(L, first ? "> " : ">> ");
    }
    return lua_tostring(L, -1);
}

// lua.c `pushline`: prompt, read one line, push it ("=expr" on a first line as "return expr").
// End of input on a first line is Read::eof only when confirmed (repl::PowerOffGuard).
// Every non-blank line typed goes to the history as it is (one entry per physical line, since
// the editor edits one line at a time).
Read push_line(lua_State* L, bool first)
{
    LineEditor& ed = console.editor;
    const char* prompt = push_prompt(L, first);
    ed.begin(prompt);
    LineEditor::Event e = LineEditor::Event::none;
    while (e == LineEditor::Event::none) {
        int c = console_getc();
        if (c >= 0)
            console.power_off.key(uint8_t(c));
        e = c < 0 ? LineEditor::Event::eof : ed.feed(uint8_t(c));
    }
    lua_pop(L, 1);   // the prompt, kept on the stack while the editor showed it
    if (e == LineEditor::Event::eof) {
        if (console.batch)
            write_text("\n", 1);   // lua.c's newline at end of input (the editor ends its row)
        if (!first || console.power_off.end_of_input())
            return Read::eof;
        console_puts(repl::power_off_hint);
        write_text("\n", 1);
        return Read::cancel;
    }
    if (e == LineEditor::Event::cancel)
        return Read::cancel;
    if (ed.truncated()) {
        char msg[96];
        size_t n = repl::too_long_message(msg, sizeof msg, LineEditor::capacity);
        write_text(msg, n);
        write_text("\n", 1);
        return Read::too_long;
    }
    const char* line = ed.line();
    size_t len = ed.length();
    if (!console.batch)
        console.history.add(line, len);
    long skip = first ? repl::equals_form_skip(line, len) : -1;
    if (skip >= 0) {
        lua_pushliteral(L, "return ");
        lua_pushlstring(L, line + skip, len - size_t(skip));
        lua_concat(L, 2);
    } else
        lua_pushlstring(L, line, len);
    return Read::line;
}

// lua.c `incomplete`: pops the message when the chunk only needs more lines.
bool incomplete(lua_State* L, int status)
{
    if (status != LUA_ERRSYNTAX)
        return false;
    size_t n = 0;
    const char* msg = lua_tolstring(L, -1, &n);
    if (!repl::is_incomplete_message(msg, n))
        return false;
    lua_pop(L, 1);
    return true;
}

// lua.c `addreturn`: the line on top compiled as "return <line>;". On success the function
// replaces the line; otherwise the line stays.
int add_return(lua_State* L)
{
    size_t n = 0;
    const char* line = lua_tolstring(L, -1, &n);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "return ");
    luaL_addlstring(&b, line, n);
    luaL_addchar(&b, ';');
    luaL_pushresult(&b);
    size_t rn = 0;
    const char* ret = lua_tolstring(L, -1, &rn);
    int status = luaL_loadbuffer(L, ret, rn, "=stdin");
    if (status == LUA_OK)
        lua_remove(L, -2);
    else
        lua_pop(L, 2);
    return status;
}

constexpr int no_input = -1, nothing_to_run = -2;

// lua.c `multiline`: add lines while the chunk is incomplete. Ctrl-D on a continuation line gives
// the "<eof>" syntax error (the chunk really did end there); Ctrl-C or a too long line drops it.
int multiline(lua_State* L)
{
    for (;;) {
        size_t len = 0;
        const char* chunk = lua_tolstring(L, 1, &len);
        int status = luaL_loadbuffer(L, chunk, len, "=stdin");
        if (!incomplete(L, status))
            return status;
        Read r = push_line(L, false);
        if (r == Read::eof) {
            chunk = lua_tolstring(L, 1, &len);
            return luaL_loadbuffer(L, chunk, len, "=stdin");
        }
        if (r != Read::line)
            return nothing_to_run;
        lua_pushliteral(L, "\n");
        lua_insert(L, -2);
        lua_concat(L, 3);
    }
}

// lua.c `loadline`: leaves the compiled chunk or an error message alone on the stack.
int load_line(lua_State* L)
{
    lua_settop(L, 0);
    switch (push_line(L, true)) {
    case Read::eof: return no_input;
    case Read::line: break;
    default: return nothing_to_run;
    }
    int status = add_return(L);
    if (status != LUA_OK)
        status = multiline(L);
    if (status == nothing_to_run)
        return status;
    lua_remove(L, 1);
    return status;
}

// lua.c `doREPL`, run inside lua_pcall so that an error outside the chunks themselves (out of
// memory while reading a line) is reported instead of reaching Lua's panic function.
int repl_main(lua_State* L)
{
    int status;
    while ((status = load_line(L)) != no_input) {
        if (status == nothing_to_run)
            continue;
        if (status == LUA_OK)
            status = repl_docall(L, 0, LUA_MULTRET);
        if (status == LUA_OK)
            print_results(L);
        else
            report(L, status, nullptr);
    }
    lua_settop(L, 0);
    return 0;
}

} // namespace

volatile int vmxlab_interrupt_pending = 0;

// luai_interrupt's error, raised inside a library loop. The hook is dropped when it sits on this
// very state; in a coroutine it stays on the main state, so the chunk as a whole stops too.
void vmxlab_interrupt(lua_State* L)
{
    vmxlab_interrupt_pending = 0;
    if (L == running && lua_gethook(L) == lstop)
        lua_sethook(L, nullptr, 0, 0);
    luaL_error(L, "interrupted!");
}

void repl_forget_break()
{
    vmxlab_interrupt_pending = 0;
}

int repl_docall(lua_State* L, int narg, int nres)
{
    int base = lua_gettop(L) - narg;
    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    lua_State* outer = running;   // repl_docall may nest (a binding running a script)
    running = L;
    arch::set_break_handler(on_break);
    int status = lua_pcall(L, narg, nres, base);
    if (!outer)
        arch::set_break_handler(nullptr);
    running = outer;
    if (!outer && lua_gethook(L) == lstop)
        lua_sethook(L, nullptr, 0, 0);   // Ctrl-C came as the chunk ended: don't hit the next one
    if (!outer)
        vmxlab_interrupt_pending = 0;
    lua_remove(L, base);
    return status;
}

void repl_loop(lua_State* L, bool batch)
{
    console.batch = batch;
    LineEditor& ed = console.editor;
    ed.set_output(editor_write, nullptr);
    ed.set_mode(batch ? LineEditor::Mode::raw : LineEditor::Mode::interactive);
    ed.set_history(&console.history);
    ed.set_completer(batch ? nullptr : repl_complete, L);
    for (;;) {
        lua_settop(L, 0);
        lua_pushcfunction(L, repl_main);
        int status = lua_pcall(L, 0, 0, 0);
        if (status == LUA_OK)
            break;
        report(L, status, "lua: ");
        lua_gc(L, LUA_GCCOLLECT);
    }
    lua_settop(L, 0);
}

void repl_run(lua_State* L, bool batch)
{
    repl_loop(L, batch);
    arch::poweroff(0);
}

int repl_run_script(lua_State* L, const char* name)
{
    const kmodule* m = kmodule_find(name);
    if (m == nullptr) {
        lua_pushfstring(L, "cannot open %s (no such boot module)", name);
        return report(L, LUA_ERRFILE, "lua: ");
    }
    const char* data = m->data;
    size_t size = m->size;
    if (size > 0 && data[0] == '#') {   // "#!..." line: skipped, its newline kept for line numbers
        while (size > 0 && data[0] != '\n') {
            data++;
            size--;
        }
    }
    lua_pushfstring(L, "@%s", m->name);
    int status = luaL_loadbufferx(L, data, size, lua_tostring(L, -1), nullptr);
    lua_remove(L, -2);
    if (status == LUA_OK)
        status = repl_docall(L, 0, 0);
    return report(L, status, "lua: ");
}
