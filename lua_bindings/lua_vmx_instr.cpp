// The VMX instructions, one binding each (SDM 31.3), named as the instructions. Each answers
// true / the value read, or -- when the processor says no -- nil, message[, code] with the
// likely cause added from the tracked lifecycle (lua_vmx.cpp push_failure).
#include "lua_bindings/lua_vmx.hpp"
#include "vmx/caps_format.hpp"
#include "vmx/host.hpp"
#include "vmx/text.hpp"

namespace bindings::vmxl {
namespace {

int push_true(lua_State* L)
{
    lua_pushboolean(L, 1);
    return 1;
}

// Why VMXON may #GP (31.3 VMXON): fixed bits of CR0/CR4, IA32_FEATURE_CONTROL.
void explain_vmxon_gp(char* buf, size_t cap)
{
    vmx::TextBuf out(buf, cap);
    const vmx::VmxCaps& caps = vmx::host_caps();
    char line[240];
    uint64_t cr0 = arch::read_cr0(), cr4 = arch::read_cr4();
    vmx::FixedCheck c0 = vmx::check_cr0(caps, cr0), c4 = vmx::check_cr4(caps, cr4);
    if (!c0.ok) {
        vmx::format_fixed_check(0, cr0, c0, line, sizeof line);
        out.str(line);
    }
    if (!c4.ok) {
        vmx::format_fixed_check(4, cr4, c4, line, sizeof line);
        out.str(out.length() ? "; " : "").str(line);
    }
    uint64_t fc = 0;
    if (vmx::read_feature_control(&fc) && (fc & vmx::kFeatureControlVmxon) != vmx::kFeatureControlVmxon)
        out.str(out.length() ? "; " : "").str("IA32_FEATURE_CONTROL = ").hex(fc)
            .str(": VMXON needs lock (bit 0) and VMX outside SMX (bit 2) set");
    if (!out.length())
        out.str("CR0/CR4 and IA32_FEATURE_CONTROL look right: check CPL and A20M (SDM 31.3 VMXON)");
}

int l_vmxon(lua_State* L)
{
    uint64_t pa = check_u64(L, 1);
    if (!supported())
        return push_unsupported(L);
    vmx::Outcome o = vmx::vmxon(pa);
    if (!o.ok()) {
        char detail[500];
        if (o.status == vmx::Status::fault && o.fault.vector == 13)
            explain_vmxon_gp(detail, sizeof detail);
        return push_failure(L, vmx::Instr::vmxon, o, pa,
                            o.status == vmx::Status::fault && o.fault.vector == 13 ? detail : nullptr);
    }
    tracker().vmxon_succeeded(pa);
    return push_true(L);
}

int l_vmxoff(lua_State* L)
{
    if (!supported())
        return push_unsupported(L);
    vmx::Outcome o = vmx::vmxoff();
    if (!o.ok())
        return push_failure(L, vmx::Instr::vmxoff, o, 0);
    tracker().vmxoff_succeeded();
    return push_true(L);
}

int l_vmclear(lua_State* L)
{
    uint64_t pa = check_u64(L, 1);
    if (!supported())
        return push_unsupported(L);
    vmx::Outcome o = vmx::vmclear(pa);
    if (!o.ok())
        return push_failure(L, vmx::Instr::vmclear, o, pa);
    tracker().vmclear_succeeded(pa);
    return push_true(L);
}

int l_vmptrld(lua_State* L)
{
    uint64_t pa = check_u64(L, 1);
    if (!supported())
        return push_unsupported(L);
    vmx::Outcome o = vmx::vmptrld(pa);
    if (!o.ok())
        return push_failure(L, vmx::Instr::vmptrld, o, pa);
    tracker().vmptrld_succeeded(pa);
    return push_true(L);
}

int l_vmptrst(lua_State* L)
{
    if (!supported())
        return push_unsupported(L);
    uint64_t pa = 0;
    vmx::Outcome o = vmx::vmptrst(&pa);
    if (!o.ok())
        return push_failure(L, vmx::Instr::vmptrst, o, 0);
    push_u64(L, pa);                   // 0xFFFFFFFFFFFFFFFF (-1) when no VMCS is current
    return 1;
}

int l_vmread(lua_State* L)
{
    uint32_t field = check_field(L, 1);
    if (!supported())
        return push_unsupported(L);
    uint64_t v = 0;
    vmx::Outcome o = vmx::vmread(field, &v);
    if (!o.ok())
        return push_failure(L, vmx::Instr::vmread, o, field);
    push_u64(L, v);
    return 1;
}

int l_vmwrite(lua_State* L)
{
    uint32_t field = check_field(L, 1);
    uint64_t v = check_u64(L, 2);
    if (!supported())
        return push_unsupported(L);
    vmx::Outcome o = vmx::vmwrite(field, v);
    if (!o.ok())
        return push_failure(L, vmx::Instr::vmwrite, o, field);
    return push_true(L);
}

// VMfailValid(28) explained from IA32_VMX_EPT_VPID_CAP and the operand (vmx/diagnose.hpp).
const char* inv_detail(const vmx::Outcome& o, vmx::Instr instr, uint64_t type, uint64_t operand, uint64_t la)
{
    static char detail[300];
    uint64_t cap = 0;                  // A.10: no IA32_VMX_EPT_VPID_CAP = neither instruction supported
    if (o.status != vmx::Status::fail_valid || o.error != 28)
        return nullptr;
    vmx::caps_msr(vmx::host_caps(), vmx::IA32_VMX_EPT_VPID_CAP, &cap);
    size_t n = vmx::explain_inv_operand(instr, type, operand, la, cap, vmx::physical_address_width(),
                                        detail, sizeof detail);
    return n ? detail : nullptr;
}

// Types: INVEPT 1 single-context, 2 global; INVVPID 0 individual address, 1 single-context,
// 2 all-context, 3 single-context keeping globals (31.3).
int l_invept(lua_State* L)
{
    uint64_t type = check_u64(L, 1), eptp = uint64_t(luaL_optinteger(L, 2, 0));
    if (!supported())
        return push_unsupported(L);
    vmx::Outcome o = vmx::invept(type, eptp);
    if (!o.ok())
        return push_failure(L, vmx::Instr::invept, o, type, inv_detail(o, vmx::Instr::invept, type, eptp, 0));
    return push_true(L);
}

int l_invvpid(lua_State* L)
{
    uint64_t type = check_u64(L, 1);
    uint64_t vpid = uint64_t(luaL_optinteger(L, 2, 0)), la = uint64_t(luaL_optinteger(L, 3, 0));
    luaL_argcheck(L, vpid <= 0xFFFF, 2, "VPID out of range (0..0xffff)");
    if (!supported())
        return push_unsupported(L);
    vmx::Outcome o = vmx::invvpid(type, vpid, la);
    if (!o.ok())
        return push_failure(L, vmx::Instr::invvpid, o, type, inv_detail(o, vmx::Instr::invvpid, type, vpid, la));
    return push_true(L);
}

const luaL_Reg funcs[] = {
    { "vmxon", l_vmxon }, { "vmxoff", l_vmxoff }, { "vmclear", l_vmclear }, { "vmptrld", l_vmptrld },
    { "vmptrst", l_vmptrst }, { "vmread", l_vmread }, { "vmwrite", l_vmwrite },
    { "invept", l_invept }, { "invvpid", l_invvpid }, { nullptr, nullptr },
};

} // namespace

void add_instr(lua_State* L) { luaL_setfuncs(L, funcs, 0); }

} // namespace bindings::vmxl
