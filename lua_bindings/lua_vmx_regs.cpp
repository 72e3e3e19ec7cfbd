// vmx.regs: the guest's registers between exits. rax..r15 live in vmxlab's copy for the current
// VMCS (vmx/tracker.hpp), loaded at each entry and saved at each exit by vmx/entry.asm, since VM
// entry and exit do not switch them (SDM 28.3, 28.5); rip, rsp and rflags are the VMCS's GUEST_RIP,
// GUEST_RSP and GUEST_RFLAGS. pairs() walks them, tostring() prints them all.
#include "lua_bindings/lua_vmx.hpp"
#include "vmx/fields.hpp"
#include "vmx/text.hpp"
#include <string.h>

namespace bindings::vmxl {
namespace {

constexpr const char* regs_meta = "vmxlab.vmx.regs";

struct VmcsReg { const char* name; uint32_t field; };
constexpr VmcsReg vmcs_regs[] = {
    { "rip", vmx::vmcs::GUEST_RIP }, { "rsp", vmx::vmcs::GUEST_RSP }, { "rflags", vmx::vmcs::GUEST_RFLAGS },
};

int gpr_index(const char* name)
{
    for (unsigned i = 0; i < vmx::kGuestRegCount; ++i)
        if (strcmp(name, vmx::kGuestRegNames[i]) == 0)
            return int(i);
    return -1;
}

const VmcsReg* vmcs_reg(const char* name)
{
    for (const VmcsReg& r : vmcs_regs)
        if (strcmp(name, r.name) == 0)
            return &r;
    return nullptr;
}

// With a current VMCS (tracked) the plain VMREAD cannot fault; otherwise the safe form.
bool read_vmcs_reg(uint32_t field, uint64_t* v)
{
    if (!supported())
        return false;
    if (tracker().current() != vmx::Tracker::kNone)
        return vmx::vmread_plain(field, v).ok();
    return vmx::vmread(field, v).ok();
}

const char* check_reg(lua_State* L, int arg)
{
    const char* k = luaL_checkstring(L, arg);
    if (gpr_index(k) < 0 && !vmcs_reg(k))
        luaL_error(L, "vmx.regs: unknown guest register '%s' (rax..r15, rip, rsp, rflags)", k);
    return k;
}

int regs_index(lua_State* L)
{
    const char* k = check_reg(L, 2);
    int i = gpr_index(k);
    if (i >= 0) {
        push_u64(L, *vmx::guest_reg_slot(tracker().regs(), unsigned(i)));
        return 1;
    }
    uint64_t v = 0;
    if (read_vmcs_reg(vmcs_reg(k)->field, &v))
        push_u64(L, v);
    else
        lua_pushnil(L);            // no current VMCS: no RIP/RSP/RFLAGS to show
    return 1;
}

int regs_newindex(lua_State* L)
{
    const char* k = check_reg(L, 2);
    uint64_t v = check_u64(L, 3);
    int i = gpr_index(k);
    if (i >= 0) {
        *vmx::guest_reg_slot(tracker().regs(), unsigned(i)) = v;
        return 0;
    }
    if (!supported())
        return luaL_error(L, "vmx.regs.%s: %s", k, kUnsupported);
    vmx::Outcome o = tracker().current() != vmx::Tracker::kNone ? vmx::vmwrite_plain(vmcs_reg(k)->field, v)
                                                                 : vmx::vmwrite(vmcs_reg(k)->field, v);
    if (!o.ok()) {
        push_failure(L, vmx::Instr::vmwrite, o, vmcs_reg(k)->field);
        return luaL_error(L, "vmx.regs.%s: %s", k, lua_tostring(L, -2));
    }
    return 0;
}

// A snapshot table: what pairs() walks and tostring() prints.
void push_snapshot(lua_State* L)
{
    lua_createtable(L, 0, 18);
    for (unsigned i = 0; i < vmx::kGuestRegCount; ++i) {
        push_u64(L, *vmx::guest_reg_slot(tracker().regs(), i));
        lua_setfield(L, -2, vmx::kGuestRegNames[i]);
    }
    for (const VmcsReg& r : vmcs_regs) {
        uint64_t v = 0;
        if (supported() && vmx::vmread(r.field, &v).ok()) {
            push_u64(L, v);
            lua_setfield(L, -2, r.name);
        }
    }
}

int regs_pairs(lua_State* L)
{
    lua_getglobal(L, "next");
    push_snapshot(L);
    lua_pushnil(L);
    return 3;
}

int regs_tostring(lua_State* L)
{
    char buf[800];
    vmx::TextBuf out(buf, sizeof buf);
    vmx::GuestRegs& g = tracker().regs();
    for (unsigned i = 0; i < vmx::kGuestRegCount; ++i) {
        const char* n = vmx::kGuestRegNames[i];
        out.str(strlen(n) == 2 ? " " : "").str(n).str(" = ").hex(*vmx::guest_reg_slot(g, i), 16)
            .str(i % 3 == 2 ? "\n" : "  ");
    }
    for (const VmcsReg& r : vmcs_regs) {
        uint64_t v = 0;
        out.str(r.name).str(" = ");
        if (supported() && vmx::vmread(r.field, &v).ok())
            out.hex(v, 16);
        else
            out.str("(no current VMCS)");
        out.str(&r == &vmcs_regs[2] ? "" : "  ");
    }
    lua_pushstring(L, buf);
    return 1;
}

} // namespace

void add_regs(lua_State* L)
{
    lua_newtable(L);                      // vmx.regs: an empty proxy
    if (luaL_newmetatable(L, regs_meta)) {
        const luaL_Reg m[] = { { "__index", regs_index }, { "__newindex", regs_newindex },
                               { "__pairs", regs_pairs }, { "__tostring", regs_tostring },
                               { nullptr, nullptr } };
        luaL_setfuncs(L, m, 0);
    }
    lua_setmetatable(L, -2);
    lua_setfield(L, -2, "regs");
}

} // namespace bindings::vmxl
