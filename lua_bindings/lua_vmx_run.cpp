// Running guests from Lua: vmx.vmlaunch/vmresume([budget]) return an exit record (built by
// lua_vmx_exit.cpp), vmx.host_state() fills the host-state area, vmx.skip() steps over the
// exiting instruction, vmx.bench_roundtrip(n) measures the C++-only round trip. The run loop
// itself -- Ctrl-C, budget, watchdog -- is vmx/run.cpp.
#include "lua_bindings/lua_vmx.hpp"
#include "lua_bindings/repl.hpp"
#include "vmx/fields.hpp"
#include "vmx/host.hpp"
#include "vmx/exit_reasons.hpp"
#include "vmx/run.hpp"
#include "vmx/text.hpp"
#include "vmx/entry_explain.hpp"
#include "vmx/entry_live.hpp"

namespace bindings::vmxl {
namespace {

// Argument 1: nil, a budget, or {budget = n, allow_abort = true}.
bool parse_entry_args(lua_State* L, vmx::RunRequest* req, bool* allow_abort)
{
    if (lua_istable(L, 1)) {
        lua_getfield(L, 1, "allow_abort");
        *allow_abort = lua_toboolean(L, -1);
        lua_getfield(L, 1, "budget");
        if (!lua_isnil(L, -1)) {
            luaL_argcheck(L, lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0 && lua_tointeger(L, -1) <= 0xFFFFFFFF,
                          1, "budget must be an integer 0..0xffffffff");
            req->budget = uint32_t(lua_tointeger(L, -1));
            req->use_budget = true;
        }
        lua_pop(L, 2);
    } else if (!lua_isnoneornil(L, 1)) {
        req->budget = check_u32(L, 1);
        req->use_budget = true;
    }
    return req->use_budget;
}

// 28.7: a VMX abort leaves the processor in shutdown -- the prompt would be gone. Refuse such a
// VMCS unless the caller insists: nil, the finding (a table like vmx.check()'s), a message.
int refuse_abort(lua_State* L, bool resume)
{
    static vmx::entry::Finding f;
    if (!vmx::entry::would_abort(&f, resume))
        return 0;
    lua_pushnil(L);
    push_finding(L, f);   // prints whole before the message: the message only names its rule
    lua_pushfstring(L, "%s refused: its first VM exit would cause a VMX abort (SDM 28.7), which shuts "
                       "the processor down (rule %s, the finding before this message); pass "
                       "{allow_abort = true} to enter anyway",
                    resume ? "vmresume" : "vmlaunch", f.rule ? f.rule->id : "?");
    return 3;
}

int enter(lua_State* L, bool resume)
{
    vmx::RunRequest req;
    bool allow_abort = false;
    parse_entry_args(L, &req, &allow_abort);
    if (!supported())
        return push_unsupported(L);
    req.resume = resume;
    if (req.use_budget)
        luaL_argcheck(L, req.budget >= vmx::kMinBudget, 1,
                      "budget must be at least 2 VMX-preemption-timer ticks: with 0 the guest exits "
                      "before its first instruction, and Bochs spends 1 tick on the VM entry itself");
    if (!allow_abort && tracker().current() != vmx::Tracker::kNone)
        if (int n = refuse_abort(L, resume))
            return n;
    if (req.use_budget) {
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
    req.vmcs_current = vmcs != vmx::Tracker::kNone;
    // VMLAUNCH only (round trips through VMRESUME stay cheap): what the checker says beforehand, so
    // that an emulator entering against the SDM (Bochs 2.7 and a non-canonical RIP, for one) is
    // not taken for a lesson. The guest-state fields change at the exit, so it has to be now.
    static vmx::entry::Finding expected_failure;
    bool predicted = !resume && req.vmcs_current
                     && vmx::entry::check_live(vmx::entry::kAllAreas, &expected_failure, 1, false) > 0
                     && expected_failure.rule->cls != vmx::entry::Class::Abort;   // the exit, not the entry
    vmx::RunResult r = vmx::run(req, t.regs());
    if (r.entered)
        t.entry_succeeded();
    else if (!resume && r.outcome.status == vmx::Status::fail_valid)
        t.launch_failed(r.outcome.error);
    else if (!resume && r.outcome.ok() && (r.exit.reason & vmx::kExitReasonEntryFailure))
        t.launch_failed(r.exit.reason);
    if (r.outcome.ok() && req.vmcs_current)
        note_exit(vmcs);
    if (!r.outcome.ok())
        return push_failure(L, resume ? vmx::Instr::vmresume : vmx::Instr::vmlaunch, r.outcome, vmcs);
    if (r.exit.interrupted) {
        lua_sethook(L, hook, mask, count);
        repl_forget_break();
        print_line("vmx: guest interrupted by user (Ctrl-C); its state stays loaded: "
                   "vmx.dump() shows it, vmx.vmresume() continues it");
    }
    if (predicted && r.entered && !(r.exit.reason & vmx::kExitReasonEntryFailure)) {
        char finding[700], note[900];
        vmx::entry::format_finding(expected_failure, finding, sizeof finding);
        vmx::TextBuf out(note, sizeof note);
        out.str("the VM entry succeeded although the SDM makes it fail: ").str(finding)
            .str(" (this emulator deviates from the SDM here; docs/entry-checks.md lists the known cases)");
        push_exit(L, r.exit, note);
        return 1;
    }
    push_exit(L, r.exit);
    return 1;
}

int l_vmlaunch(lua_State* L) { return enter(L, false); }
int l_vmresume(lua_State* L) { return enter(L, true); }

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
    // The safe form first unless a VMCS is known current (VMX may be off: #UD), then plain.
    bool current = tracker().current() != vmx::Tracker::kNone;
    vmx::Outcome o = current ? vmx::vmread_plain(vmx::vmcs::GUEST_RIP, &rip)
                             : vmx::vmread(vmx::vmcs::GUEST_RIP, &rip);
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
    add_exit(L);
    add_regs(L);
}

} // namespace bindings::vmxl
