#include "lua_bindings/shell.hpp"
#include "lua_bindings/repl.hpp"
#include "lua_bindings/util.hpp"
#include "kernel/console.hpp"
#include "kernel/heap.hpp"
#include "kernel/modules.hpp"
#include "kernel/panic.hpp"
#include <stdio.h>
#include <string.h>
extern "C" {
#include "lualib.h"
}

#define VMXLAB_VERSION "0.1.0"

namespace {

// Lua's allocator over the kernel heap; NULL makes Lua raise "not enough memory".
void* lua_alloc(void*, void* ptr, size_t, size_t nsize)
{
    if (nsize == 0) {
        kheap_free(ptr);
        return nullptr;
    }
    return kheap_realloc(ptr, nsize);
}

int at_panic(lua_State* L)
{
    const char* msg = lua_tostring(L, -1);
    kernel::panic("unprotected Lua error: %s", msg ? msg : "(error object is not a string)");
}

void open_libraries(lua_State* L)
{
    static const luaL_Reg libs[] = {
        { LUA_GNAME, luaopen_base }, { LUA_LOADLIBNAME, luaopen_package },
        { LUA_COLIBNAME, luaopen_coroutine }, { LUA_TABLIBNAME, luaopen_table },
        { LUA_IOLIBNAME, luaopen_io }, { LUA_OSLIBNAME, luaopen_os },
        { LUA_STRLIBNAME, luaopen_string }, { LUA_MATHLIBNAME, luaopen_math },
        { LUA_UTF8LIBNAME, luaopen_utf8 }, { LUA_DBLIBNAME, luaopen_debug },
        { "cpu", bindings::luaopen_cpu }, { "mem", bindings::luaopen_mem },
        { "sys", bindings::luaopen_sys }, { "vmx", bindings::luaopen_vmx },
    };
    bindings::open_help(L);
    for (const luaL_Reg& lib : libs) {
        luaL_requiref(L, lib.name, lib.func, 1);
        lua_pop(L, 1);
    }
}

void print_banner()
{
    char brand[49] = "";
    if (arch::cpuid(0x80000000).eax >= 0x80000004) {
        for (uint32_t i = 0; i < 3; ++i) {
            arch::CpuidResult r = arch::cpuid(0x80000002 + i);
            memcpy(brand + 16 * i, &r, 16);
        }
    }
    const char* b = brand;
    while (*b == ' ')
        ++b;
    bool vmx = arch::cpuid(1).ecx & (1u << 5);
    kheap_stats s = kheap_get_stats();
    printf("vmxlab " VMXLAB_VERSION " - " LUA_RELEASE " on COM1 - help() lists what is here\n");
    printf("CPU: %s, emulator: %s\n", *b ? b : "(no brand string)", arch::emulator_name(arch::emulator()));
    if (vmx)
        printf("VMX: supported (CPUID.1:ECX[5] = 1)\n");
    else
        printf("VMX: not supported by this CPU (CPUID.1:ECX[5] = 0): the vmx module will say so;"
               " run under Bochs (./vmxlab run --bochs) or QEMU+KVM with nested VMX\n");
    printf("Memory: %llu KiB free for Lua\n", (unsigned long long)(s.free_bytes / 1024));
    fflush(stdout);
}

// labs() and lab(n) (scripts/labs.lua) when it is shipped. Compiling labs.lua is the largest part
// of the kernel's boot (about 1.4 M of 3.3 M instructions), so the globals start as stand-ins that
// require 'labs' on first use (labs.lua then sets the real globals) and behave as the real ones:
// labs(...), labs.x, labs.x = v, pairs(labs), lab(...). help(...) loads it first too (see
// lazy_help), so it sees the real functions, also when given a stand-in. A labs.lua error
// surfaces at that first use; help() still works then.
constexpr const char* lazy_labs = R"(
local help0, stub_labs, stub_lab, stub_help = help, {}, nil, nil
local function real()
  local l = require('labs')
  if stub_help ~= nil and rawequal(help, stub_help) then help = help0 end
  return l
end
setmetatable(stub_labs, {
  __index = function(_, k) return real()[k] end,
  __newindex = function(_, k, v) real()[k] = v end,
  __call = function(_, ...) return real()(...) end,
  __pairs = function() return pairs(real()) end,
})
stub_lab = function(...) return real().run(...) end
labs, lab = stub_labs, stub_lab
-- For lazy_help: loads labs, then returns the real help and the arguments with stand-ins replaced.
local function prepare(...)
  local ok, l = pcall(real)
  local args = table.pack(...)
  if ok and rawequal(args[1], stub_labs) then args[1] = l end
  if ok and rawequal(args[1], stub_lab) then args[1] = lab end
  return help0, table.unpack(args, 1, args.n)
end
return help0 ~= nil and prepare or nil, function(f) stub_help = f end
)";

// help's stand-in, a C function as help itself is: errors then carry the caller's line ("stdin:1:
// help: ...") exactly as the real help's do. Upvalue 1: prepare (above).
int lazy_help(lua_State* L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);          // -> help, args...
    if (lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0) != LUA_OK) {
        if (lua_type(L, -1) == LUA_TSTRING) {
            luaL_where(L, 1);
            lua_insert(L, -2);
            lua_concat(L, 2);
        }
        return lua_error(L);
    }
    return lua_gettop(L);
}

void install_lazy_labs(lua_State* L)
{
    if (!kmodule_find("labs.lua"))
        return;
    if (luaL_loadbuffer(L, lazy_labs, strlen(lazy_labs), "lazy labs") != LUA_OK
        || lua_pcall(L, 0, 2, 0) != LUA_OK) {
        lua_pop(L, 1);
        return;
    }
    if (lua_isfunction(L, -2)) {                          // help exists: install its stand-in
        lua_pushvalue(L, -2);
        lua_pushcclosure(L, lazy_help, 1);
        lua_pushvalue(L, -1);
        lua_setglobal(L, "help");
        lua_call(L, 1, 0);                                // tell the chunk which one it is
        lua_pop(L, 1);
        return;
    }
    lua_pop(L, 2);
}

} // namespace

void shell_main(const kernel::Options& options, const char* cmdline)
{
    lua_State* L = lua_newstate(lua_alloc, nullptr);
    if (!L)
        kernel::panic("cannot create the Lua state: out of memory");
    lua_atpanic(L, at_panic);
    bindings::set_cmdline(cmdline);
    console_set_batch(options.batch);
    open_libraries(L);
    lua_gc(L, LUA_GCGEN, 0, 0);           // as lua.c: generational mode
    print_banner();
    install_lazy_labs(L);

    if (options.run[0]) {
        int status = repl_run_script(L, options.run);
        printf("vmxlab: %s finished: %s\n", options.run, status == 0 ? "ok" : "failed");
        fflush(stdout);
        arch::poweroff(status == 0 ? 0 : 1);
    }
    if (options.lab[0])
        repl_run_script(L, options.lab);
    repl_run(L, options.batch);
}
