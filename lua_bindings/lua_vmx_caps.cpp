// vmx.caps(), vmx.adjust(), vmx.ctl: what the capability MSRs allow (SDM appendix A) and the
// control bits by name (25.6-25.8), so scripts need no magic numbers.
#include "lua_bindings/lua_vmx.hpp"
#include "vmx/caps_format.hpp"
#include "vmx/controls.hpp"
#include "vmx/host.hpp"
#include <stdio.h>
#include <string.h>

namespace bindings::vmxl {
namespace {

constexpr const char* caps_meta = "vmxlab.vmx.caps";

// vmx.ctl's table names: Lua-friendly short ones first, then the catalogue's own.
struct KindName { const char* name; vmx::ControlKind kind; };
constexpr KindName kind_names[] = {
    { "pin", vmx::ControlKind::Pin }, { "cpu", vmx::ControlKind::Primary },
    { "cpu2", vmx::ControlKind::Secondary }, { "cpu3", vmx::ControlKind::Tertiary },
    { "exit", vmx::ControlKind::Exit }, { "exit2", vmx::ControlKind::SecondaryExit },
    { "entry", vmx::ControlKind::Entry }, { "vmfunc", vmx::ControlKind::VmFunc },
    { "primary", vmx::ControlKind::Primary }, { "secondary", vmx::ControlKind::Secondary },
    { "tertiary", vmx::ControlKind::Tertiary }, { "secondary_exit", vmx::ControlKind::SecondaryExit },
    { "proc", vmx::ControlKind::Primary }, { "proc2", vmx::ControlKind::Secondary },
};

void set_int(lua_State* L, const char* k, uint64_t v) { push_u64(L, v); lua_setfield(L, -2, k); }
void set_bool(lua_State* L, const char* k, bool v) { lua_pushboolean(L, v); lua_setfield(L, -2, k); }

void push_report(lua_State* L, const vmx::VmxCaps& caps)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    static char text[4096];            // interrupt-free, single Lua state: one buffer is enough
    uint64_t v = 0;
    if (vmx::caps_msr(caps, vmx::IA32_VMX_BASIC, &v)) {
        vmx::format_basic(v, text, sizeof text);
        luaL_addstring(&b, "IA32_VMX_BASIC: ");
        luaL_addstring(&b, text);
        luaL_addchar(&b, '\n');
    }
    for (size_t i = 0; i < vmx::kControlKindCount; ++i) {
        vmx::describe_controls(vmx::ControlKind(i), caps, text, sizeof text);
        luaL_addstring(&b, text);
    }
    const struct { unsigned cr; uint32_t f0, f1; } crs[] = {
        { 0, vmx::IA32_VMX_CR0_FIXED0, vmx::IA32_VMX_CR0_FIXED1 },
        { 4, vmx::IA32_VMX_CR4_FIXED0, vmx::IA32_VMX_CR4_FIXED1 },
    };
    for (const auto& c : crs) {
        uint64_t f0 = 0, f1 = 0;
        if (vmx::caps_msr(caps, c.f0, &f0) && vmx::caps_msr(caps, c.f1, &f1)) {
            snprintf(text, sizeof text, "CR%u fixed bits: must be 1 = 0x%llx (FIXED0), may be 1 = 0x%llx (FIXED1)\n",
                     c.cr, (unsigned long long)f0, (unsigned long long)f1);
            luaL_addstring(&b, text);
        }
    }
    if (vmx::caps_msr(caps, vmx::IA32_VMX_MISC, &v)) {
        vmx::format_misc(v, text, sizeof text);
        luaL_addstring(&b, "IA32_VMX_MISC: ");
        luaL_addstring(&b, text);
        luaL_addchar(&b, '\n');
    }
    if (vmx::caps_msr(caps, vmx::IA32_VMX_VMCS_ENUM, &v)) {
        snprintf(text, sizeof text, "IA32_VMX_VMCS_ENUM: highest field index %u\n",
                 unsigned(vmx::vmcs_enum_highest_index(v)));
        luaL_addstring(&b, text);
    }
    if (vmx::caps_msr(caps, vmx::IA32_VMX_EPT_VPID_CAP, &v)) {
        vmx::EptVpidCaps e = vmx::decode_ept_vpid(v);
        snprintf(text, sizeof text,
                 "IA32_VMX_EPT_VPID_CAP: 0x%016llx: execute-only %d, 4-level walk %d, WB %d, 2 MiB %d, "
                 "1 GiB %d, INVEPT %d (single %d, all %d), A/D %d, INVVPID %d (address %d, single %d, "
                 "all %d, single keeping globals %d)\n",
                 (unsigned long long)v, e.execute_only, e.walk_length_4, e.memtype_wb, e.pde_2mb,
                 e.pdpte_1gb, e.invept, e.invept_single_context, e.invept_all_context,
                 e.accessed_dirty, e.invvpid, e.invvpid_address, e.invvpid_single_context,
                 e.invvpid_all_context, e.invvpid_single_keep_globals);
        luaL_addstring(&b, text);
    }
    luaL_addstring(&b, "missing (RDMSR #GP):");
    bool any = false;
    for (uint32_t m = vmx::kMsrVmxFirst; m <= vmx::kMsrVmxLast; ++m) {
        if (!vmx::caps_msr(caps, m, nullptr)) {
            snprintf(text, sizeof text, " 0x%X %s", m, vmx::vmx_msr_name(m));
            luaL_addstring(&b, text);
            any = true;
        }
    }
    if (!any)
        luaL_addstring(&b, " none");
    luaL_pushresult(&b);
}

int caps_tostring(lua_State* L)
{
    lua_getfield(L, 1, "report");
    return 1;
}

// The parts of vmx.caps(): each sets one field of the table on top of the stack.

void set_msrs(lua_State* L, const vmx::VmxCaps& caps)   // msr = { [0x480] = value, ... }
{
    lua_newtable(L);
    for (uint32_t m = vmx::kMsrVmxFirst; m <= vmx::kMsrVmxLast; ++m) {
        uint64_t v = 0;
        if (vmx::caps_msr(caps, m, &v)) {
            push_u64(L, v);
            lua_rawseti(L, -2, m);
        }
    }
    lua_setfield(L, -2, "msr");
}

void set_basic(lua_State* L, const vmx::VmxCaps& caps)   // IA32_VMX_BASIC, SDM A.1
{
    uint64_t v = 0;
    vmx::caps_msr(caps, vmx::IA32_VMX_BASIC, &v);
    vmx::VmxBasic basic = vmx::decode_basic(v);
    lua_createtable(L, 0, 8);
    set_int(L, "revision_id", basic.revision_id);
    set_int(L, "region_size", basic.region_size);
    set_int(L, "memory_type", basic.memory_type);
    set_bool(L, "true_controls", basic.true_controls);
    set_bool(L, "ins_outs_info", basic.ins_outs_info);
    set_bool(L, "phys_addr_32bit", basic.phys_addr_32bit);
    set_bool(L, "dual_monitor", basic.dual_monitor);
    set_bool(L, "no_error_code_check", basic.no_error_code_check);
    lua_setfield(L, -2, "basic");
}

void set_misc(lua_State* L, const vmx::VmxCaps& caps)   // IA32_VMX_MISC, SDM A.6
{
    uint64_t v = 0;
    vmx::caps_msr(caps, vmx::IA32_VMX_MISC, &v);
    vmx::VmxMisc misc = vmx::decode_misc(v);
    lua_createtable(L, 0, 8);
    set_int(L, "preemption_timer_rate", misc.preemption_timer_rate);
    set_bool(L, "activity_hlt", misc.activity_hlt);
    set_bool(L, "activity_shutdown", misc.activity_shutdown);
    set_bool(L, "activity_wait_sipi", misc.activity_wait_sipi);
    set_int(L, "cr3_targets", misc.cr3_target_count);
    set_int(L, "max_msr_list", misc.max_msr_list);
    set_bool(L, "vmwrite_exit_info", misc.vmwrite_exit_info);
    set_bool(L, "zero_length_injection", misc.zero_length_injection);
    lua_setfield(L, -2, "misc");
}

void set_controls(lua_State* L, const vmx::VmxCaps& caps)   // SDM A.3-A.5, A.11
{
    lua_newtable(L);
    for (const KindName& k : kind_names) {
        vmx::ControlCaps c = vmx::control_caps(caps, k.kind);
        lua_createtable(L, 0, 4);
        set_bool(L, "available", c.available);
        set_int(L, "msr", c.msr);
        set_int(L, "allowed0", c.allowed0);
        set_int(L, "allowed1", c.allowed1);
        lua_setfield(L, -2, k.name);
    }
    lua_setfield(L, -2, "controls");
}

void set_fixed(lua_State* L, const vmx::VmxCaps& caps)   // SDM A.7, A.8
{
    const struct { const char* name; uint32_t msr; } fixed[] = {
        { "cr0_fixed0", vmx::IA32_VMX_CR0_FIXED0 }, { "cr0_fixed1", vmx::IA32_VMX_CR0_FIXED1 },
        { "cr4_fixed0", vmx::IA32_VMX_CR4_FIXED0 }, { "cr4_fixed1", vmx::IA32_VMX_CR4_FIXED1 },
    };
    uint64_t v = 0;
    for (const auto& f : fixed)
        if (vmx::caps_msr(caps, f.msr, &v))
            set_int(L, f.name, v);
}

void set_ept_vpid(lua_State* L, const vmx::VmxCaps& caps)   // IA32_VMX_EPT_VPID_CAP, SDM A.10
{
    uint64_t v = 0;
    if (!vmx::caps_msr(caps, vmx::IA32_VMX_EPT_VPID_CAP, &v))
        return;
    vmx::EptVpidCaps e = vmx::decode_ept_vpid(v);
    lua_createtable(L, 0, 12);
    set_bool(L, "execute_only", e.execute_only);
    set_bool(L, "walk_length_4", e.walk_length_4);
    set_bool(L, "memtype_wb", e.memtype_wb);
    set_bool(L, "pde_2mb", e.pde_2mb);
    set_bool(L, "pdpte_1gb", e.pdpte_1gb);
    set_bool(L, "invept", e.invept);
    set_bool(L, "invept_single_context", e.invept_single_context);
    set_bool(L, "invept_all_context", e.invept_all_context);
    set_bool(L, "accessed_dirty", e.accessed_dirty);
    set_bool(L, "invvpid", e.invvpid);
    set_bool(L, "invvpid_address", e.invvpid_address);
    set_bool(L, "invvpid_single_context", e.invvpid_single_context);
    set_bool(L, "invvpid_all_context", e.invvpid_all_context);
    lua_setfield(L, -2, "ept_vpid");
}

int l_caps(lua_State* L)
{
    if (!supported())
        return push_unsupported(L);
    const vmx::VmxCaps& caps = vmx::host_caps();
    lua_createtable(L, 0, 12);
    set_msrs(L, caps);
    set_basic(L, caps);
    set_misc(L, caps);
    set_controls(L, caps);
    set_fixed(L, caps);
    set_ept_vpid(L, caps);
    uint64_t pin1 = vmx::control_caps(caps, vmx::ControlKind::Pin).allowed1;
    set_bool(L, "preemption_timer", pin1 & vmx::ctl::pin::PREEMPTION_TIMER);
    push_report(L, caps);
    lua_setfield(L, -2, "report");
    luaL_setmetatable(L, caps_meta);
    return 1;
}

// vmx.adjust(kind, value) -> legal value, forced on, forced off, explanation (SimpleVisor's
// AdjustMsr idea; the TRUE_* MSRs when IA32_VMX_BASIC[55] = 1, SDM A.2).
int l_adjust(lua_State* L)
{
    vmx::ControlKind kind = check_kind(L, 1);
    uint64_t wanted = uint64_t(luaL_optinteger(L, 2, 0));
    if (!supported())
        return push_unsupported(L);
    vmx::Adjusted a = vmx::adjust_controls(kind, wanted, vmx::host_caps());
    char text[600];
    vmx::format_adjusted(kind, wanted, a, text, sizeof text);
    push_u64(L, a.value);
    push_u64(L, a.forced_on);
    push_u64(L, a.forced_off);
    lua_pushstring(L, text);
    return 4;
}

const luaL_Reg funcs[] = { { "caps", l_caps }, { "adjust", l_adjust }, { nullptr, nullptr } };

} // namespace

const vmx::ControlKindInfo* find_kind(const char* name)
{
    for (const KindName& k : kind_names)
        if (strcmp(k.name, name) == 0)
            return &vmx::control_kind_info(k.kind);
    return vmx::find_control_kind(name);
}

vmx::ControlKind check_kind(lua_State* L, int arg)
{
    const char* name = luaL_checkstring(L, arg);
    const vmx::ControlKindInfo* k = find_kind(name);
    if (!k)
        luaL_argerror(L, arg, lua_pushfstring(L, "unknown control kind '%s' (pin, cpu, cpu2, cpu3, exit, "
                                                 "exit2, entry, vmfunc)", name));
    return k->kind;
}

void add_caps(lua_State* L)
{
    luaL_setfuncs(L, funcs, 0);
    // vmx.ctl.<kind>.<BIT> = the bit's mask. Aliases share one table.
    lua_newtable(L);
    for (const KindName& k : kind_names) {
        const vmx::ControlKindInfo& info = vmx::control_kind_info(k.kind);
        if (lua_getfield(L, -1, info.name) != LUA_TTABLE) {
            lua_pop(L, 1);
            lua_createtable(L, 0, int(info.bit_count));
            for (size_t i = 0; i < info.bit_count; ++i) {
                push_u64(L, uint64_t(1) << info.bits[i].bit);
                lua_setfield(L, -2, info.bits[i].name);
            }
            lua_pushvalue(L, -1);
            lua_setfield(L, -3, info.name);
        }
        lua_setfield(L, -2, k.name);
    }
    lua_setfield(L, -2, "ctl");
    if (luaL_newmetatable(L, caps_meta)) {
        lua_pushcfunction(L, caps_tostring);
        lua_setfield(L, -2, "__tostring");
    }
    lua_pop(L, 1);
}

} // namespace bindings::vmxl
