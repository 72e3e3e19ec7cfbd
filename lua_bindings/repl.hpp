// The Lua REPL on the serial console, behaving like lua 5.4's lua.c: prompt "> ", continuation
// ">> " while the chunk is incomplete, `return <line>` tried first (and `=expr`), results printed
// with the global `print`, errors with a traceback, Ctrl-C interrupting a running chunk.
//
// Batch mode (kernel command line `batch`), the protocol a test driver speaks:
//   * No echo and no line editing: each line sent, ended by LF, CR or CRLF, is taken verbatim.
//   * Output is lua.c's without a terminal: "> " when it waits for a statement, ">> " when the
//     chunk so far is incomplete, then what the chunk prints, its results (via print), or the
//     error message and traceback. No newline follows a prompt, so the REPL is idle exactly when
//     output has stopped right after "> " or ">> " (_PROMPT/_PROMPT2 change them). No banner.
//     The console sends every "\n" as "\r\n".
//   * 0x03 (Ctrl-C) interrupts a running chunk ("interrupted!" and a traceback, then "> "); at a
//     prompt it discards the line and any unfinished chunk, and "> " comes again.
//   * 0x04 (Ctrl-D) as the first byte of a "> " line prints "\n" and repl::power_off_hint ("To
//     power off, press Ctrl-D again now, ...") and "> " comes again; only when the very next byte
//     is 0x04 too does the input end: repl_loop prints "\n" and returns (repl_run then powers off
//     with status 0). Any other byte cancels that and counts as typed. No single byte powers off.
//     After ">> ", 0x04 ends the chunk there (its "<eof>" syntax error is reported), then "> ".
//   * A line longer than kernel::LineEditor::capacity bytes is discarded (with the unfinished chunk)
//     with "input line too long (max 4096 bytes); discarded", then "> ".
// Interactive mode adds the line editor, history and Tab completion. The banner is the caller's
// (lua_bindings/shell.cpp), as lua.c's main prints the version before its REPL.
#pragma once
#include <stddef.h>

struct lua_State;

namespace kernel {
struct CompletionWord;
class Candidates;
}

// Reads, evaluates and prints until input ends (Ctrl-D twice in a row on an empty "> " line),
// then returns.
void repl_loop(lua_State* L, bool batch);
// repl_loop, then power off with status 0, as `lua` exits when its REPL reaches end of input.
[[noreturn]] void repl_run(lua_State* L, bool batch);

// Loads and runs the boot module `name` (kmodule_find: exact name or basename), as lua.c runs a
// script: a first line starting with '#' is skipped, errors print "lua: " + message + traceback.
// Returns LUA_OK, or the load/run status (LUA_ERRFILE if there is no such module).
int repl_run_script(lua_State* L, const char* name);

// lua_pcall with lua.c's message handler (traceback; __tostring for error objects) and Ctrl-C
// armed: a Ctrl-C from the serial line makes the running code raise "interrupted!".
int repl_docall(lua_State* L, int narg, int nres);
// A Ctrl-C that was reported another way (a guest's exit record "interrupted by user") must not
// also stop a library loop later: forgets the pending interrupt luai_interrupt would raise. The
// caller puts back the hook it saved itself.
void repl_forget_break();

// Tab completion from Lua (lua_bindings/repl_complete.cpp): globals, keywords, and the fields of
// the table (or __index tables) a `a.b.` / `s:` chain names, read raw so no Lua code runs.
// ctx is the lua_State.
void repl_complete(void* ctx, const char* line, size_t length, const kernel::CompletionWord& word,
                   kernel::Candidates& out);
