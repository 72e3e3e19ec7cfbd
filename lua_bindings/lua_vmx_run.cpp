// Running guests from Lua: vmx.vmlaunch/vmresume([budget]) return an exit record (SDM 27.2
// exit information, decoded), vmx.regs reads and writes the guest's registers between exits,
// vmx.host_state() fills the host-state area, vmx.skip() steps over the exiting instruction,
// vmx.bench_roundtrip(n) measures the C++-only round trip. The run loop itself is vmx/run.cpp.
#include "lua_bindings/lua_vmx.hpp"
#include "vmx/exit_qual.hpp"
#include "vmx/exit_reasons.hpp"
#include "vmx/fields.hpp"
#include "vmx/host.hpp"
#include "vmx/intr_info.hpp"
#include "vmx/run.hpp"
#include "vmx/text.hpp"
#include <string.h>

namespace bindings::vmxl {
namespace {

constexpr const char* exit_meta = "vmxlab.vmx.exit";
constexpr const char* regs_meta = "vmxlab.vmx.regs";

// An exit record is a small userdata holding the exit information as read (one allocation: a VMM
// loop in Lua gets one per exit). Its fields read like a table's (e.reason, e.rip, ...), pairs()
// lists them, tostring() gives the decoded line.
enum class Key : uint8_t {
    reason = 1, name, entry_failure, exit_reason, qualification, rip, len, instruction_info,
    intr_info, intr_error, idt_vectoring_info, idt_vectoring_error, guest_linear, guest_physical,
    interrupted, budget, host_interrupts, text,
};
constexpr const char* key_names[] = {
    nullptr, "reason", "name", "entry_failure", "exit_reason", "qualification", "rip", "len",
    "instruction_info", "intr_info", "intr_error", "idt_vectoring_info", "idt_vectoring_error",
    "guest_linear", "guest_physical", "interrupted", "budget", "host_interrupts", "text",
};
constexpr int key_count = int(Key::text);

int exit_meta_ref = LUA_NOREF;         // the metatable, by reference: no name lookup per exit

void push_exit(lua_State* L, const vmx::ExitRecord& e)
{
    auto* u = static_cast<vmx::ExitRecord*>(lua_newuserdatauv(L, sizeof(vmx::ExitRecord), 0));
    *u = e;
    lua_rawgeti(L, LUA_REGISTRYINDEX, exit_meta_ref);
    lua_setmetatable(L, -2);
}

// One decoded line: "VM exit 10 CPUID at RIP 0x..., instruction length 2" plus what decodes.
size_t format_exit(const vmx::ExitRecord& e, char* buf, size_t cap)
{
    vmx::ExitReasonField reason = vmx::decode_exit_reason(e.reason);
    const vmx::ExitReasonInfo* info = vmx::find_exit_reason(reason.basic);
    uint64_t qual = e.qualification;
    char part[300];
    vmx::TextBuf out(buf, cap);
    if (reason.entry_failure) {
        out.str("VM-entry failure, exit reason ").dec(reason.basic).chr(' ').str(info ? info->name : "?");
        if (info)
            out.str(" (").str(info->description).chr(')');
        if (reason.basic == 34)
            out.str(": entry ").dec(qual).str(" of the VM-entry MSR-load area failed");
        else if (reason.basic == 33) {
            // 27.8: the exit qualification of a guest-state failure.
            static const char* const why[] = { "not further specified", "not further specified",
                                               "PDPTE loading failed", "NMI injection failed",
                                               "invalid VMCS link pointer" };
            out.str(": ");
            if (qual < 5)
                out.str(why[qual]);
            else
                out.str("qualification ").hex(qual);
            out.str(" (Bochs's log names the failed check)");
        }
    } else {
        out.str("VM exit ").dec(reason.basic).chr(' ').str(info ? info->name : "?")
            .str(" at RIP ").hex(e.guest_rip).str(", instruction length ").dec(e.instruction_length);
        if (reason.basic == 28 || reason.basic == 29 || reason.basic == 30 || reason.basic == 48) {
            vmx::format_exit_qualification(reason.basic, qual, part, sizeof part);
            out.str(": ").str(part);
            if (reason.basic == 48)
                out.str(", guest-physical ").hex(e.guest_physical);
        } else if (qual) {
            out.str(", qualification ").hex(qual);
        }
        if (e.intr_info & vmx::kIntrInfoValid) {
            vmx::format_intr_info(e.intr_info, vmx::IntrInfoField::VmExit, part, sizeof part);
            out.str("; interruption ").str(part);
            if (e.intr_info & (1u << 11))
                out.str(", error code ").hex(e.intr_error);
        }
        if (e.idt_vectoring_info & vmx::kIntrInfoValid) {
            vmx::format_intr_info(e.idt_vectoring_info, vmx::IntrInfoField::IdtVectoring, part, sizeof part);
            out.str("; while delivering ").str(part);
        }
    }
    if (e.interrupted)
        out.str(" -- interrupted by user (Ctrl-C)");
    if (e.budget_expired)
        out.str(" -- budget used up");
    return out.length();
}

void push_field(lua_State* L, const vmx::ExitRecord& e, Key k)
{
    vmx::ExitReasonField reason = vmx::decode_exit_reason(e.reason);
    switch (k) {
    case Key::reason: lua_pushinteger(L, reason.basic); return;
    case Key::name: {
        const vmx::ExitReasonInfo* info = vmx::find_exit_reason(reason.basic);
        lua_pushstring(L, info ? info->name : "?");
        return;
    }
    case Key::entry_failure: lua_pushboolean(L, reason.entry_failure); return;
    case Key::exit_reason: push_u64(L, e.reason); return;
    case Key::qualification: push_u64(L, e.qualification); return;
    case Key::rip: push_u64(L, e.guest_rip); return;
    case Key::len: push_u64(L, e.instruction_length); return;
    case Key::instruction_info: push_u64(L, e.instruction_info); return;
    case Key::intr_info: push_u64(L, e.intr_info); return;
    case Key::intr_error: push_u64(L, e.intr_error); return;
    case Key::idt_vectoring_info: push_u64(L, e.idt_vectoring_info); return;
    case Key::idt_vectoring_error: push_u64(L, e.idt_vectoring_error); return;
    case Key::guest_linear: push_u64(L, e.guest_linear); return;
    case Key::guest_physical: push_u64(L, e.guest_physical); return;
    case Key::interrupted: lua_pushboolean(L, e.interrupted); return;
    case Key::budget: lua_pushboolean(L, e.budget_expired); return;
    case Key::host_interrupts: push_u64(L, e.host_interrupts); return;
    case Key::text: {
        char buf[900];
        format_exit(e, buf, sizeof buf);
        lua_pushstring(L, buf);
        return;
    }
    }
    lua_pushnil(L);
}

// __index, with upvalue 1 = { name -> Key } (one hash lookup per access). The metatable is
// protected (__metatable), so only exit records reach this: no type check on the hot path.
int exit_index(lua_State* L)
{
    const auto* e = static_cast<const vmx::ExitRecord*>(lua_touserdata(L, 1));
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNUMBER) {
        lua_pushnil(L);                 // like a table: unknown keys are nil
        return 1;
    }
    push_field(L, *e, Key(lua_tointeger(L, -1)));
    return 1;
}

int exit_tostring(lua_State* L)
{
    const auto* e = static_cast<const vmx::ExitRecord*>(luaL_checkudata(L, 1, exit_meta));
    char buf[900];
    format_exit(*e, buf, sizeof buf);
    lua_pushstring(L, buf);
    return 1;
}

int exit_pairs(lua_State* L)
{
    const auto* e = static_cast<const vmx::ExitRecord*>(luaL_checkudata(L, 1, exit_meta));
    lua_getglobal(L, "next");
    lua_createtable(L, 0, key_count);
    for (int k = 1; k <= key_count; ++k) {
        push_field(L, *e, Key(k));
        lua_setfield(L, -2, key_names[k]);
    }
    lua_pushnil(L);
    return 3;
}

int enter(lua_State* L, bool resume)
{
    if (!supported())
        return push_unsupported(L);
    vmx::RunRequest req;
    req.resume = resume;
    if (!lua_isnoneornil(L, 1)) {
        req.budget = check_u32(L, 1);
        req.use_budget = true;
        if (!vmx::has_preemption_timer()) {
            lua_pushnil(L);
            lua_pushstring(L, "a budget needs the VMX-preemption timer, which this CPU does not have "
                              "(IA32_VMX_PINBASED_CTLS allowed-1 bit 6 = 0): run without one, Ctrl-C stops the guest");
            return 2;
        }
    }
    // A Ctrl-C while the guest runs makes the REPL's break handler arm its "interrupted!" hook;
    // here the interruption is reported as an exit record instead, so the hook is put back.
    lua_Hook hook = lua_gethook(L);
    int mask = lua_gethookmask(L), count = lua_gethookcount(L);
    vmx::Tracker& t = tracker();
    uint64_t vmcs = t.current();
    vmx::RunResult r = vmx::run(req, t.regs());
    if (r.entered)
        t.entry_succeeded();
    if (!r.outcome.ok())
        return push_failure(L, resume ? vmx::Instr::vmresume : vmx::Instr::vmlaunch, r.outcome, vmcs);
    if (r.exit.interrupted) {
        lua_sethook(L, hook, mask, count);
        print_line("vmx: guest interrupted by user (Ctrl-C); its state stays loaded: "
                   "vmx.dump() shows it, vmx.vmresume() continues it");
    }
    push_exit(L, r.exit);
    return 1;
}

int l_vmlaunch(lua_State* L) { return enter(L, false); }
int l_vmresume(lua_State* L) { return enter(L, true); }

// ---- vmx.regs ------------------------------------------------------------------------------

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

// ---- host state, skip, benchmark ------------------------------------------------------------

int l_host_state(lua_State* L)
{
    if (!supported())
        return push_unsupported(L);
    uint32_t field = 0;
    vmx::Outcome o = vmx::write_host_state(&field);
    if (!o.ok())
        return push_failure(L, vmx::Instr::vmwrite, o, field);
    lua_pushboolean(L, 1);
    return 1;
}

int l_skip(lua_State* L)
{
    if (!supported())
        return push_unsupported(L);
    uint64_t rip = 0, len = 0;
    // Safe forms for the first access (VMX may be off: #UD), plain ones after it succeeded.
    vmx::Outcome o = vmx::vmread(vmx::vmcs::GUEST_RIP, &rip);
    if (!o.ok())
        return push_failure(L, vmx::Instr::vmread, o, vmx::vmcs::GUEST_RIP);
    o = vmx::vmread_plain(vmx::vmcs::VM_EXIT_INSTRUCTION_LEN, &len);
    if (!o.ok())
        return push_failure(L, vmx::Instr::vmread, o, vmx::vmcs::VM_EXIT_INSTRUCTION_LEN);
    o = vmx::vmwrite_plain(vmx::vmcs::GUEST_RIP, rip + len);
    if (!o.ok())
        return push_failure(L, vmx::Instr::vmwrite, o, vmx::vmcs::GUEST_RIP);
    push_u64(L, rip + len);
    return 1;
}

int l_bench_roundtrip(lua_State* L)
{
    lua_Integer n = luaL_checkinteger(L, 1);
    luaL_argcheck(L, n > 0, 1, "count must be > 0");
    if (!supported())
        return push_unsupported(L);
    if (tracker().launch_state(tracker().current()) != vmx::LaunchState::launched) {
        lua_pushnil(L);
        lua_pushstring(L, "bench_roundtrip: the current VMCS must be launched with the cpuid_loop guest "
                          "(vmx.vmlaunch() it once first)");
        return 2;
    }
    vmx::BenchResult b = vmx::bench_roundtrip(uint64_t(n), tracker().regs());
    if (!b.outcome.ok())
        return push_failure(L, vmx::Instr::vmresume, b.outcome, tracker().current());
    if (b.done < uint64_t(n)) {
        lua_pushnil(L);
        lua_pushfstring(L, "bench_roundtrip: exit reason %d after %d round trips: the guest must exit "
                           "with CPUID (10) only, like cpuid_loop", int(b.reason), int(b.done));
        return 2;
    }
    lua_pushnumber(L, lua_Number(b.ticks) / lua_Number(b.done));
    lua_pushinteger(L, lua_Integer(b.ticks));
    return 2;
}

const luaL_Reg funcs[] = {
    { "vmlaunch", l_vmlaunch }, { "vmresume", l_vmresume }, { "host_state", l_host_state },
    { "skip", l_skip }, { "bench_roundtrip", l_bench_roundtrip }, { nullptr, nullptr },
};

} // namespace

void add_run(lua_State* L)
{
    luaL_setfuncs(L, funcs, 0);
    if (luaL_newmetatable(L, exit_meta)) {
        lua_createtable(L, 0, key_count);
        for (int k = 1; k <= key_count; ++k) {
            lua_pushinteger(L, k);
            lua_setfield(L, -2, key_names[k]);
        }
        lua_pushcclosure(L, exit_index, 1);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, exit_tostring);
        lua_setfield(L, -2, "__tostring");
        lua_pushcfunction(L, exit_pairs);
        lua_setfield(L, -2, "__pairs");
        lua_pushliteral(L, "vmx exit");
        lua_setfield(L, -2, "__name");
        lua_pushliteral(L, "vmx exit record");
        lua_setfield(L, -2, "__metatable");
    }
    exit_meta_ref = luaL_ref(L, LUA_REGISTRYINDEX);
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
