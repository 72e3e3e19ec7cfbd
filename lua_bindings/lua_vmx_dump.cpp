// vmx.dump([area]): the current VMCS as the SDM groups it (24.3: guest-state area, host-state
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

// Named controls that are 1, then the unnamed ones (mostly the default1 reserved bits) as a mask.
void bit_names(vmx::TextBuf& out, vmx::ControlKind kind, uint64_t v)
{
    uint64_t unnamed = 0;
    for (unsigned i = 0; i < 64; ++i) {
        if (!((v >> i) & 1))
            continue;
        if (const vmx::ControlBit* b = vmx::control_bit_at(kind, i))
            out.str(b->name).chr(' ');
        else
            unnamed |= uint64_t(1) << i;
    }
    if (unnamed)
        out.str("+ reserved ").hex(unnamed);
}

void cr_names(vmx::TextBuf& out, unsigned cr, uint64_t v)
{
    for (unsigned i = 0; i < 64; ++i)
        if ((v >> i) & 1) {
            const char* n = cr == 0 ? vmx::cr0_bit_name(i) : vmx::cr4_bit_name(i);
            if (n)
                out.str(n).chr(' ');
        }
}

// The short decoding shown after the value; "" when there is nothing to add.
void decode(const vmx::FieldInfo& f, uint64_t v, vmx::TextBuf& out)
{
    using namespace vmx::vmcs;
    const size_t n = strlen(f.name);
    if (n > 9 && strcmp(f.name + n - 9, "_AR_BYTES") == 0) {
        char b[200];
        vmx::format_access_rights(uint32_t(v), b, sizeof b);
        const char* colon = strchr(b, ':');
        out.str(colon ? colon + 2 : b);
        return;
    }
    uint64_t mask = 0, shadow = 0, reason = 0;
    switch (f.encoding) {
    case GUEST_CR0:
    case GUEST_CR4: {
        unsigned cr = f.encoding == GUEST_CR0 ? 0 : 4;
        cr_names(out, cr, v);
        // 25.3: the guest reads the shadow where the mask is 1 (actual/mask/shadow/apparent).
        if (read(cr == 0 ? CR0_GUEST_HOST_MASK : CR4_GUEST_HOST_MASK, &mask) && mask
            && read(cr == 0 ? CR0_READ_SHADOW : CR4_READ_SHADOW, &shadow))
            out.str("; the guest reads ").hex((v & ~mask) | (shadow & mask));
        return;
    }
    case HOST_CR0: cr_names(out, 0, v); return;
    case HOST_CR4: cr_names(out, 4, v); return;
    case PIN_BASED_VM_EXEC_CONTROL: bit_names(out, vmx::ControlKind::Pin, v); return;
    case CPU_BASED_VM_EXEC_CONTROL: bit_names(out, vmx::ControlKind::Primary, v); return;
    case SECONDARY_VM_EXEC_CONTROL: bit_names(out, vmx::ControlKind::Secondary, v); return;
    case TERTIARY_VM_EXEC_CONTROL: bit_names(out, vmx::ControlKind::Tertiary, v); return;
    case VM_EXIT_CONTROLS: bit_names(out, vmx::ControlKind::Exit, v); return;
    case VM_ENTRY_CONTROLS: bit_names(out, vmx::ControlKind::Entry, v); return;
    case VMCS_LINK_POINTER:
        out.str(v == ~uint64_t(0) ? "none (all ones, as VM entry requires without shadowing)" : "");
        return;
    case GUEST_ACTIVITY_STATE: {
        static const char* const states[] = { "active", "HLT", "shutdown", "wait-for-SIPI" };
        out.str(v < 4 ? states[v] : "reserved");
        return;
    }
    case GUEST_INTERRUPTIBILITY_INFO:
        if (v & 1) out.str("blocking by STI ");
        if (v & 2) out.str("blocking by MOV SS ");
        if (v & 4) out.str("blocking by SMI ");
        if (v & 8) out.str("blocking by NMI ");
        return;
    case GUEST_RFLAGS:
        if (!(v & 2)) out.str("bit 1 is 0: VM entry fails (26.3.1.4) ");
        if (v & (1u << 9)) out.str("IF ");
        if (v & (1u << 17)) out.str("VM ");
        return;
    case VM_INSTRUCTION_ERROR:
        if (v) {
            char b[240];
            vmx::format_vm_instruction_error(v, b, sizeof b);
            out.str(strchr(b, ':') ? strchr(b, ':') + 2 : b);
        }
        return;
    case VM_EXIT_REASON: {
        if (v == 0 && !saw_exit(tracker().current())) {
            out.str("no VM exit yet");
            return;
        }
        char b[240];
        vmx::format_exit_reason(uint32_t(v), b, sizeof b);
        out.str(strchr(b, ':') ? strchr(b, ':') + 2 : b);
        return;
    }
    case EXIT_QUALIFICATION:
        if (read(VM_EXIT_REASON, &reason)) {
            uint16_t basic = uint16_t(reason);
            if (basic == 28 || basic == 29 || basic == 30 || basic == 48) {
                char b[240];
                vmx::format_exit_qualification(basic, v, b, sizeof b);
                out.str(b);
            }
        }
        return;
    case VM_EXIT_INTR_INFO:
    case IDT_VECTORING_INFO_FIELD:
    case VM_ENTRY_INTR_INFO_FIELD: {
        if (!(v & vmx::kIntrInfoValid))
            return;
        char b[240];
        vmx::IntrInfoField which = f.encoding == VM_EXIT_INTR_INFO ? vmx::IntrInfoField::VmExit
                                 : f.encoding == IDT_VECTORING_INFO_FIELD ? vmx::IntrInfoField::IdtVectoring
                                                                         : vmx::IntrInfoField::VmEntry;
        vmx::format_intr_info(uint32_t(v), which, b, sizeof b);
        out.str(strchr(b, ':') ? strchr(b, ':') + 2 : b);
        return;
    }
    case HOST_RIP:
        if (v == vmx::exit_trampoline_address())
            out.str("vmxlab's exit trampoline");
        return;
    default:
        return;
    }
}

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
            vmx::TextBuf d(dec, sizeof dec);
            decode(*f, v, d);
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
