// Exit records: what vmx.vmlaunch/vmresume return (SDM 28.2, "Recording VM-Exit Information").
// A record is a small userdata holding the exit information as read right after the exit -- one
// allocation per exit, so a Lua VMM loop stays cheap (./vmxlab bench). Its fields read like a
// table's (e.reason, e.rip, ...), pairs() lists them, tostring() gives one decoded line; an entry
// failure with reason 33 carries vmxlab's guess at the failed guest-state check (e.hint).
#include "lua_bindings/lua_vmx.hpp"
#include "vmx/controls.hpp"
#include "vmx/exit_qual.hpp"
#include "vmx/exit_reasons.hpp"
#include "vmx/fields.hpp"
#include "vmx/guest_exception.hpp"
#include "vmx/host.hpp"
#include "vmx/intr_info.hpp"
#include "vmx/text.hpp"

namespace bindings::vmxl {
namespace {

constexpr const char* exit_meta = "vmxlab.vmx.exit";

enum class Key : uint8_t {
    reason = 1, name, entry_failure, exit_reason, qualification, rip, len, instruction_info,
    intr_info, intr_error, idt_vectoring_info, idt_vectoring_error, guest_linear, guest_physical,
    interrupted, budget, host_interrupts, text, hint, exception,
};
constexpr const char* key_names[] = {
    nullptr, "reason", "name", "entry_failure", "exit_reason", "qualification", "rip", "len",
    "instruction_info", "intr_info", "intr_error", "idt_vectoring_info", "idt_vectoring_error",
    "guest_linear", "guest_physical", "interrupted", "budget", "host_interrupts", "text", "hint",
    "exception",
};
constexpr int key_count = int(Key::exception);

int exit_meta_ref = LUA_NOREF;         // the metatable, by reference: no name lookup per exit

} // namespace

// Exit reasons 33/34: the VM-entry checker's finding of that class, else its honest "found no
// broken rule" (explain_entry wrote it); empty when the VMCS could not be read.
static bool entry_failure_hint(uint16_t basic, char* buf, size_t cap)
{
    explain_entry(basic == 33 ? vmx::entry::Class::Guest : vmx::entry::Class::MsrLoad, buf, cap);
    return buf[0] != '\0';
}

void push_exit(lua_State* L, const vmx::ExitRecord& e, const char* note)
{
    char hint[900];
    uint16_t basic = uint16_t(e.reason);
    bool hinted = (e.reason & vmx::kExitReasonEntryFailure) && (basic == 33 || basic == 34)
                  && entry_failure_hint(basic, hint, sizeof hint);
    if (!hinted && note && note[0] && !(e.reason & vmx::kExitReasonEntryFailure)) {
        vmx::TextBuf out(hint, sizeof hint);
        out.str(note);
        hinted = true;
    }
    auto* u = static_cast<vmx::ExitRecord*>(lua_newuserdatauv(L, sizeof(vmx::ExitRecord), hinted ? 1 : 0));
    *u = e;
    if (hinted) {
        lua_pushstring(L, hint);
        lua_setiuservalue(L, -2, 1);
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, exit_meta_ref);
    lua_setmetatable(L, -2);
}

namespace {

// One decoded line: "VM exit 10 CPUID at RIP 0x..., instruction length 2" plus what decodes.
size_t format_exit(const vmx::ExitRecord& e, const char* hint, char* buf, size_t cap)
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
        if (reason.basic == 34) {
            out.str(": entry ").dec(qual).str(" of the VM-entry MSR-load area failed");
            if (hint)
                out.str(" -- ").str(hint);
        } else if (reason.basic == 33) {
            // 27.8: the exit qualification of a guest-state failure.
            static const char* const why[] = { "not further specified", "not further specified",
                                               "PDPTE loading failed", "NMI injection failed",
                                               "invalid VMCS link pointer" };
            out.str(": ");
            if (qual < 5)
                out.str(why[qual]);
            else
                out.str("qualification ").hex(qual);
            if (hint)
                out.str(" -- ").str(hint);
            else
                out.str(" (the current VMCS could not be read for the checker)");
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
            if (e.intr_info & vmx::kIntrInfoErrorCodeValid)
                out.str(", error code ").hex(e.intr_error);
        }
        if (e.idt_vectoring_info & vmx::kIntrInfoValid) {
            vmx::format_intr_info(e.idt_vectoring_info, vmx::IntrInfoField::IdtVectoring, part, sizeof part);
            out.str("; while delivering ").str(part);
        }
    }
    if (e.guest_exception.valid) {
        vmx::format_guest_exception(e.guest_exception, part, sizeof part);
        out.str(" -- ").str(part);
    }
    if (e.interrupted)
        out.str(" -- interrupted by user (Ctrl-C)");
    if (e.budget_expired)
        out.str(" -- budget used up");
    if (!reason.entry_failure && hint)
        out.str(" -- ").str(hint);   // the entry succeeded although the checker had a finding
    return out.length();
}

// The record at stack index `ud` carries a hint as its user value (entry failures, and an entry
// that succeeded although the checker expected it to fail).
const char* hint_of(lua_State* L, int ud)
{
    if (lua_getiuservalue(L, ud, 1) != LUA_TSTRING) {
        lua_pop(L, 1);
        return nullptr;
    }
    const char* h = lua_tostring(L, -1);   // stays valid: the user value keeps the string
    lua_pop(L, 1);
    return h;
}

void push_field(lua_State* L, int ud, const vmx::ExitRecord& e, Key k)
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
        char buf[1200];
        format_exit(e, hint_of(L, ud), buf, sizeof buf);
        lua_pushstring(L, buf);
        return;
    }
    case Key::exception: {   // {vector=, name=, error_code=, rip=, cr2=} or nil
        const vmx::GuestException& x = e.guest_exception;
        if (!x.valid) {
            lua_pushnil(L);
            return;
        }
        lua_createtable(L, 0, 5);
        lua_pushinteger(L, x.vector);
        lua_setfield(L, -2, "vector");
        const char* name = vmx::exception_mnemonic(x.vector);
        lua_pushstring(L, name ? name : "?");
        lua_setfield(L, -2, "name");
        push_u64(L, x.error_code);
        lua_setfield(L, -2, "error_code");
        push_u64(L, x.rip);
        lua_setfield(L, -2, "rip");
        push_u64(L, x.cr2);
        lua_setfield(L, -2, "cr2");
        return;
    }
    case Key::hint: {
        const char* h = hint_of(L, ud);
        if (h)
            lua_pushstring(L, h);
        else
            lua_pushnil(L);
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
    push_field(L, 1, *e, Key(lua_tointeger(L, -1)));
    return 1;
}

int exit_tostring(lua_State* L)
{
    const auto* e = static_cast<const vmx::ExitRecord*>(luaL_checkudata(L, 1, exit_meta));
    char buf[1200];
    format_exit(*e, hint_of(L, 1), buf, sizeof buf);
    lua_pushstring(L, buf);
    return 1;
}

int exit_pairs(lua_State* L)
{
    const auto* e = static_cast<const vmx::ExitRecord*>(luaL_checkudata(L, 1, exit_meta));
    lua_getglobal(L, "next");
    lua_createtable(L, 0, key_count);
    for (int k = 1; k <= key_count; ++k) {
        push_field(L, 1, *e, Key(k));
        lua_setfield(L, -2, key_names[k]);
    }
    lua_pushnil(L);
    return 3;
}

} // namespace

void add_exit(lua_State* L)
{
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
}

} // namespace bindings::vmxl
