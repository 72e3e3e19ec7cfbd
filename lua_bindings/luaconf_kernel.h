/* Kernel configuration of Lua 5.4. lua.h includes this file right after luaconf.h (Lua's own
 * LUA_USER_H hook, defined by the lua_headers target), so Lua itself, the bindings and anything
 * else that includes lua.h see the same values. It only changes what luaconf.h/lauxlib.h/
 * liolib.c leave configurable, undefining luaconf.h's unconditional macros first. */
#ifndef VMXLAB_LUACONF_KERNEL_H
#define VMXLAB_LUACONF_KERNEL_H

#include <stdio.h>
#include "kernel/console.hpp"

/* print() goes straight to COM1. stdout and stderr are unbuffered FILEs on the same console
 * (kernel/libc/stdio.c), so io.write, print and error messages come out in program order.
 * lua_writestringerror keeps lauxlib.h's default: fprintf to stderr. */
#define lua_writestring(s, l)   console_write((s), (l))
#define lua_writeline()         console_write("\n", 1)

/* Only the "C" locale exists: number formatting and parsing use '.', with no localeconv(). */
#undef lua_getlocaledecpoint
#define lua_getlocaledecpoint() '.'

/* 100000 slots (1.6 MB of Lua stack, plus CallInfos) instead of 1000000: infinite recursion in
 * Lua then ends in "stack overflow" while the kernel heap still has room, rather than in
 * "not enough memory". C recursion stays bounded by LUAI_MAXCCALLS (200), which needs < 512 KiB
 * of C stack. */
#undef LUAI_MAXSTACK
#define LUAI_MAXSTACK 100000

/* io: there is one thread, so reading a character needs no FILE lock. */
#define l_getc(f)        getc_unlocked(f)
#define l_lockfile(f)    ((void)0)
#define l_unlockfile(f)  ((void)0)

/* require: scripts are boot modules, which fopen() finds by name or basename
 * (kernel/modules.hpp). "?/init.lua" is left out: by basename it would match any init.lua.
 * There are no C modules to load. */
#undef LUA_PATH_DEFAULT
#define LUA_PATH_DEFAULT  "?.lua"
#undef LUA_CPATH_DEFAULT
#define LUA_CPATH_DEFAULT ""

/* Ctrl-C inside library loops that a hook cannot reach (the pattern matcher's backtracking,
 * string.rep, table.move/concat/sort): tools/patches/lua-interrupt.patch makes them poll
 * luai_interrupt(L). The REPL's Ctrl-C handler sets vmxlab_interrupt_pending while a chunk runs
 * (lua_bindings/repl.cpp); vmxlab_interrupt then raises "interrupted!", as lua.c's hook would. */
#ifdef __cplusplus
extern "C" {
#endif
struct lua_State;
extern volatile int vmxlab_interrupt_pending;
void vmxlab_interrupt(struct lua_State *L);
#ifdef __cplusplus
}
#endif
#define luai_interrupt(L) \
    do { if (vmxlab_interrupt_pending) vmxlab_interrupt(L); } while (0)

#endif
