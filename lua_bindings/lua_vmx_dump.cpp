// vmx.dump([area]): the current VMCS as the SDM groups it (25.3: guest-state area, host-state
// area, VM-execution, VM-exit and VM-entry control fields, VM-exit information fields), one
// field a line with its name, value and a short decoding. Fields this CPU does not have are
// skipped, decided from the capability MSRs (vmx/field_support.hpp) -- never by a probing VMREAD,
// so VM_INSTRUCTION_ERROR keeps the value the processor set.
#include "lua_bindings/lua_vmx.hpp"
#include "vmx/access_rights.hpp"
#include "vmx/caps_format.hpp"
#include "vmx/errors.hpp"
#include "vmx/exit_qual.hpp"
#include "vmx/exit_reasons.hpp"
#include "vmx/field_decode.hpp"
#include "vmx/field_support.hpp"
#include "vmx/fields.hpp"
#include "vmx/host.hpp"
#include "vmx/intr_info.hpp"
#include "vmx/text.hpp"
#include <stdio.h>
#include <string.h>

namespace bindings::vmxl {
namespace {

enum class Group : uint8_t { guest, host, exec, exit, entry, info };
struct GroupInfo { Group group; const char* title; };
constexpr GroupInfo groups[] = {
    { Group::guest, "Guest-state area" }, { Group::host, "Host-state area" },
    { Group::exec, "VM-execution control fields" }, { Group::exit, "VM-exit control fields" },
    { Group::entry, "VM-entry control fields" }, { Group::info, "VM-exit information fields" },
};

bool starts(const char* s, const char* p) { return strncmp(s, p, strlen(p)) == 0; }

Group group_of(const vmx::FieldInfo& f)
{
    switch (f.type) {
    case vmx::FieldType::Guest: return Group::guest;
    case vmx::FieldType::Host: return Group::host;
    case vmx::FieldType::ReadOnly: return Group::info;
    default: break;
    }
    if (starts(f.name, "VM_EXIT_") || starts(f.name, "SECONDARY_VM_EXIT_"))
        return Group::exit;
    if (starts(f.name, "VM_ENTRY_") || starts(f.name, "INJECTED_EVENT"))
        return Group::entry;
    return Group::exec;
}

bool read(uint32_t field, uint64_t* v) { return vmx::vmread(field, v).ok(); }
bool read_cb(void*, uint32_t field, uint64_t* v) { return read(field, v); }

bool parse_area(const char* s, Group* g, bool* controls)
{
    struct { const char* name; Group g; bool controls; } names[] = {
        { "guest", Group::guest, false }, { "host", Group::host, false },
        { "control", Group::exec, true }, { "controls", Group::exec, true },
        { "exec", Group::exec, false }, { "execution", Group::exec, false },
        { "exit", Group::exit, false }, { "entry", Group::entry, false },
        { "info", Group::info, false }, { "exit_info", Group::info, false },
        { "readonly", Group::info, false },
    };
    for (const auto& n : names)
        if (strcmp(n.name, s) == 0) {
            *g = n.g;
            *controls = n.controls;
            return true;
        }
    return false;
}

int l_dump(lua_State* L)
{
    Group only = Group::guest;
    bool all = lua_isnoneornil(L, 1), controls = false;
    if (!all && !parse_area(luaL_checkstring(L, 1), &only, &controls))
        return luaL_argerror(L, 1, "area must be guest, host, controls, exec, exit, entry or info");
    if (!supported())
        return push_unsupported(L);
    uint64_t error_before = 0;
    vmx::Outcome o = vmx::vmread(vmx::vmcs::VM_INSTRUCTION_ERROR, &error_before);
    if (!o.ok())
        return push_failure(L, vmx::Instr::vmread, o, vmx::vmcs::VM_INSTRUCTION_ERROR);
    int shown = 0, unsupported = 0, failed = 0;
    const vmx::VmxCaps& caps = vmx::host_caps();
    vmx::DecodeContext dctx;
    dctx.read = read_cb;
    dctx.saw_exit = saw_exit(tracker().current());
    dctx.trampoline = vmx::exit_trampoline_address();
    char line[600];
    for (const GroupInfo& g : groups) {
        bool wanted = all || g.group == only
                      || (controls && (g.group == Group::exit || g.group == Group::entry));
        if (!wanted)
            continue;
        print_line(g.title);
        for (size_t i = 0; const vmx::FieldInfo* f = vmx::field_at(i); ++i) {
            if (f->high || group_of(*f) != g.group)
                continue;
            uint64_t v = 0;
            if (!vmx::field_supported(*f, caps)) {
                ++unsupported;
                continue;
            }
            if (f->encoding == vmx::vmcs::VM_INSTRUCTION_ERROR)
                v = error_before;
            else if (!read(f->encoding, &v)) {
                ++failed;                  // the capability MSRs promised it: say so below
                continue;
            }
            char dec[400];
            vmx::decode_field_value(*f, v, dctx, dec, sizeof dec);
            int digits = f->width == vmx::Width::Bits16 ? 4 : f->width == vmx::Width::Bits32 ? 8 : 16;
            snprintf(line, sizeof line, "  %-34s 0x%0*llx%s%s", f->name, digits, (unsigned long long)v,
                     dec[0] ? "  " : "", dec);
            print_line(line);
            ++shown;
        }
    }
    if (unsupported) {
        snprintf(line, sizeof line, "(%d field%s this CPU does not have skipped: IA32_VMX_VMCS_ENUM and the "
                 "capability MSRs say so)", unsupported, unsupported == 1 ? "" : "s");
        print_line(line);
    }
    if (failed) {
        uint64_t error_after = 0;
        vmx::vmread(vmx::vmcs::VM_INSTRUCTION_ERROR, &error_after);
        snprintf(line, sizeof line, "(%d field%s the capability MSRs promised could not be read; that made "
                 "VM_INSTRUCTION_ERROR %llu, it was %llu before the dump)", failed, failed == 1 ? "" : "s",
                 (unsigned long long)error_after, (unsigned long long)error_before);
        print_line(line);
    }
    lua_pushinteger(L, shown);
    return 1;
}

const luaL_Reg funcs[] = { { "dump", l_dump }, { nullptr, nullptr } };

} // namespace

void add_dump(lua_State* L) { luaL_setfuncs(L, funcs, 0); }

} // namespace bindings::vmxl
