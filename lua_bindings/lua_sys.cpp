// The `sys` module: the machine as a whole — leaving it, what booted it, where it runs.
#include "lua_bindings/util.hpp"

namespace bindings {
namespace {

const char* kernel_cmdline = "";

int l_exit(lua_State* L)
{
    lua_Integer code = luaL_optinteger(L, 1, 0);
    luaL_argcheck(L, code >= 0 && code <= 255, 1, "exit code must be 0..255");
    lua_writestringerror("%s\n", lua_pushfstring(L, "vmxlab: exit(%d)", int(code)));
    arch::poweroff(int(code));
}

int l_reboot(lua_State*) { arch::reboot(); }
int l_cmdline(lua_State* L) { lua_pushstring(L, kernel_cmdline); return 1; }
int l_emulator(lua_State* L) { lua_pushstring(L, arch::emulator_name(arch::emulator())); return 1; }
int l_ticks(lua_State* L) { lua_pushinteger(L, lua_Integer(arch::ms_since_boot())); return 1; }

const luaL_Reg sys_funcs[] = {
    { "exit", l_exit }, { "reboot", l_reboot }, { "cmdline", l_cmdline },
    { "emulator", l_emulator }, { "ticks", l_ticks }, { nullptr, nullptr },
};

const Doc sys_docs[] = {
    { "exit", "sys.exit([code])", "Powers the machine off, ending the session. QEMU (isa-debug-exit) exits with status code*2+1, Bochs with status 1; real hardware goes off through ACPI." },
    { "reboot", "sys.reboot()", "Resets the machine (keyboard controller, then a triple fault)." },
    { "cmdline", "sys.cmdline() -> string", "The kernel command line that GRUB (or qemu -append) passed. Example: \"batch test\"." },
    { "emulator", "sys.emulator() -> \"qemu\" | \"bochs\" | \"unknown\"", "Where vmxlab runs; \"unknown\" on real hardware. It tells from CPUID's hypervisor leaf and the BIOS's name." },
    { "ticks", "sys.ticks() -> ms", "Milliseconds since boot, from the TSC (in Bochs: emulated time)." },
    { nullptr, nullptr, nullptr },
};

} // namespace

void set_cmdline(const char* s) { kernel_cmdline = s ? s : ""; }

int luaopen_sys(lua_State* L)
{
    luaL_newlib(L, sys_funcs);
    register_module(L, "sys", "the machine: exit, reboot, command line, emulator, ticks", sys_docs);
    lua_getglobal(L, "sys");
    return 1;
}

} // namespace bindings
