// vmx.enable() / vmx.disable(): the whole of "pre-VMX operation" in one call each (SDM 24.7
// "Enabling and Entering VMX Operation", 24.8 "Restrictions on VMX Operation"), reporting each
// step; vmx.region() for VMXON regions and VMCSs; vmx.state() for where the lifecycle stands.
#include "lua_bindings/lua_vmx.hpp"
#include "vmx/caps_format.hpp"
#include "vmx/host.hpp"
#include <stdio.h>

namespace bindings::vmxl {
namespace {

constexpr uint64_t cr4_vmxe = 1u << 13;

struct Steps {
    bool quiet;
    int n = 0;
    void ok(const char* what)
    {
        ++n;
        if (!quiet) {
            char line[300];
            snprintf(line, sizeof line, "vmx.enable: %d. %s", n, what);
            print_line(line);
        }
    }
};

// nil, "vmx.enable: step N (what) failed: why"
int fail(lua_State* L, const Steps& s, const char* what, const char* why)
{
    lua_pushnil(L);
    lua_pushfstring(L, "vmx.enable: step %d (%s) failed: %s", s.n + 1, what, why);
    return 2;
}

uint32_t revision_id()
{
    uint64_t basic = 0;
    vmx::caps_msr(vmx::host_caps(), vmx::IA32_VMX_BASIC, &basic);
    return vmx::decode_basic(basic).revision_id;
}

uint32_t region_size()
{
    uint64_t basic = 0;
    vmx::caps_msr(vmx::host_caps(), vmx::IA32_VMX_BASIC, &basic);
    uint32_t size = vmx::decode_basic(basic).region_size;
    return size ? size : 4096;
}

// vmx.region([size]): zeroed, 4 KiB aligned, revision id in its first dword (25.2, 25.11.5).
uint64_t new_region(lua_State* L, uint64_t size)
{
    uint64_t pa = mem_alloc(L, size, 4096);
    if (pa)
        *reinterpret_cast<volatile uint32_t*>(pa) = revision_id();
    return pa;
}

// The VMXON region vmx.enable() allocated itself: vmx.disable() gives it back after VMXOFF, so
// labs that enable and disable again and again do not leak a page each time.
uint64_t enable_region;

void free_enable_region(lua_State* L)
{
    if (!enable_region)
        return;
    mem_free_block(L, enable_region);   // false if the user freed it already: nothing to do
    enable_region = 0;
}

int l_region(lua_State* L)
{
    lua_Integer size = luaL_optinteger(L, 1, 0);
    luaL_argcheck(L, size >= 0, 1, "size must be >= 0");
    if (!supported())
        return push_unsupported(L);
    uint64_t pa = new_region(L, size ? uint64_t(size) : region_size());
    if (!pa) {
        lua_pushnil(L);
        lua_insert(L, -2);
        return 2;
    }
    push_u64(L, pa);
    return 1;
}

// The steps of vmx.enable(). Each returns 0 to go on, or the count of results it pushed (the
// failure, or the VMXON region when it is done).

int step_already_on(lua_State* L, Steps& s)
{
    char line[100];
    snprintf(line, sizeof line, "already in VMX operation (VMXON region 0x%llx)",
             (unsigned long long)tracker().vmxon_region());
    s.ok(line);
    push_u64(L, tracker().vmxon_region());
    return 1;
}

// 24.7: IA32_FEATURE_CONTROL must be locked with "VMX outside SMX" enabled, else VMXON #GPs.
int step_feature_control(lua_State* L, Steps& s)
{
    char line[400];
    uint64_t fc = 0;
    arch::Fault f;
    if (!vmx::read_feature_control(&fc))
        return fail(L, s, "IA32_FEATURE_CONTROL", "RDMSR 0x3A raised an exception");
    if (!(fc & vmx::kFeatureControlLock)) {
        uint64_t v = fc | vmx::kFeatureControlVmxon;
        if (!arch::wrmsr_safe(vmx::kMsrFeatureControl, v, &f))
            return fail(L, s, "IA32_FEATURE_CONTROL", "WRMSR 0x3A raised an exception");
        snprintf(line, sizeof line, "IA32_FEATURE_CONTROL was 0x%llx (unlocked): set VMX outside SMX and locked it: 0x%llx",
                 (unsigned long long)fc, (unsigned long long)v);
    } else if (!(fc & vmx::kFeatureControlVmxOutsideSmx)) {
        snprintf(line, sizeof line, "IA32_FEATURE_CONTROL = 0x%llx is locked with VMX outside SMX disabled "
                 "(the firmware's choice; only a reset unlocks it): VMXON would #GP", (unsigned long long)fc);
        return fail(L, s, "IA32_FEATURE_CONTROL", line);
    } else {
        snprintf(line, sizeof line, "IA32_FEATURE_CONTROL = 0x%llx: locked, VMX outside SMX enabled",
                 (unsigned long long)fc);
    }
    s.ok(line);
    return 0;
}

// 24.8: CRn within IA32_VMX_CRn_FIXED0/1 (CR4.VMXE is one of CR4's fixed-1 bits); cr is 0 or 4.
int step_fixed_bits(lua_State* L, Steps& s, unsigned cr)
{
    char line[400];
    const vmx::VmxCaps& caps = vmx::host_caps();
    uint64_t f0 = 0, f1 = ~uint64_t(0);
    vmx::caps_msr(caps, cr == 0 ? vmx::IA32_VMX_CR0_FIXED0 : vmx::IA32_VMX_CR4_FIXED0, &f0);
    vmx::caps_msr(caps, cr == 0 ? vmx::IA32_VMX_CR0_FIXED1 : vmx::IA32_VMX_CR4_FIXED1, &f1);
    uint64_t old = cr == 0 ? arch::read_cr0() : arch::read_cr4();
    uint64_t want = vmx::apply_fixed_bits(cr == 4 ? old | cr4_vmxe : old, f0, f1);
    if (want != old) {
        arch::Fault f;
        bool ok = cr == 0 ? arch::write_cr0_safe(want, &f) : arch::write_cr4_safe(want, &f);
        snprintf(line, sizeof line, "CR%u 0x%llx -> 0x%llx (IA32_VMX_CR%u_FIXED0 0x%llx, FIXED1 0x%llx)%s",
                 cr, (unsigned long long)old, (unsigned long long)want, cr, (unsigned long long)f0,
                 (unsigned long long)f1, cr == 4 ? ": CR4.VMXE set" : "");
        if (!ok)
            return fail(L, s, cr == 0 ? "CR0" : "CR4", line);
    } else {
        snprintf(line, sizeof line, "CR%u = 0x%llx already satisfies IA32_VMX_CR%u_FIXED0/1%s", cr,
                 (unsigned long long)old, cr, cr == 4 ? " (VMXE set)" : "");
    }
    s.ok(line);
    return 0;
}

// A VMXON region, then VMXON; pushes the region's address when in VMX root operation.
int step_vmxon(lua_State* L, Steps& s)
{
    char line[200];
    uint64_t region = new_region(L, region_size());
    if (!region)
        return fail(L, s, "VMXON region", lua_tostring(L, -1));
    snprintf(line, sizeof line, "VMXON region at 0x%llx: %u bytes, revision id 0x%x written (IA32_VMX_BASIC)",
             (unsigned long long)region, unsigned(region_size()), unsigned(revision_id()));
    s.ok(line);

    vmx::Outcome o = vmx::vmxon(region);
    enable_region = region;
    if (!o.ok()) {
        free_enable_region(L);
        push_failure(L, vmx::Instr::vmxon, o, region);
        return fail(L, s, "VMXON", lua_tostring(L, -2));
    }
    tracker().vmxon_succeeded(region);
    s.ok("VMXON succeeded: VMX root operation");
    push_u64(L, region);
    return 1;
}

int l_enable(lua_State* L)
{
    Steps s { false };
    if (lua_istable(L, 1)) {
        lua_getfield(L, 1, "quiet");
        s.quiet = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    if (!supported())
        return fail(L, s, "CPUID", kUnsupported);
    s.ok("CPUID.1:ECX[5] = 1: this CPU has VMX");
    if (tracker().on())
        return step_already_on(L, s);
    if (int r = step_feature_control(L, s))
        return r;
    static const unsigned crs[] = { 0, 4 };
    for (unsigned cr : crs)
        if (int r = step_fixed_bits(L, s, cr))
            return r;
    return step_vmxon(L, s);
}

int l_disable(lua_State* L)
{
    if (!supported())
        return push_unsupported(L);
    if (tracker().on()) {
        uint64_t region = tracker().vmxon_region();
        vmx::Outcome o = vmx::vmxoff();
        if (!o.ok())
            return push_failure(L, vmx::Instr::vmxoff, o, 0);
        tracker().vmxoff_succeeded();
        if (region == enable_region)
            free_enable_region(L);
    }
    uint64_t cr4 = arch::read_cr4();
    arch::Fault f;
    if ((cr4 & cr4_vmxe) && !arch::write_cr4_safe(cr4 & ~cr4_vmxe, &f))
        return push_fault(L, "vmx.disable: clearing CR4.VMXE", f);   // #GP: still in VMX operation
    lua_pushboolean(L, 1);
    return 1;
}

int l_state(lua_State* L)
{
    if (!supported()) {
        lua_pushliteral(L, "unsupported");
        lua_pushstring(L, kUnsupported);
        return 2;
    }
    char line[300];
    tracker().describe(line, sizeof line);
    lua_pushstring(L, tracker().state_name());
    lua_pushstring(L, line);
    return 2;
}

const luaL_Reg funcs[] = {
    { "enable", l_enable }, { "disable", l_disable }, { "region", l_region }, { "state", l_state },
    { nullptr, nullptr },
};

} // namespace

void add_enable(lua_State* L) { luaL_setfuncs(L, funcs, 0); }

} // namespace bindings::vmxl
