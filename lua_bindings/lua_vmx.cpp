// The `vmx` module: Intel VMX from the Lua prompt. This file holds what the parts share (the
// lifecycle tracker, failure messages) and luaopen_vmx; see lua_vmx.hpp for the parts.
#include "lua_bindings/lua_vmx.hpp"
#include "kernel/console.hpp"
#include "vmx/caps_format.hpp"
#include "vmx/controls.hpp"
#include "vmx/errors.hpp"
#include "vmx/fields.hpp"
#include "vmx/host.hpp"
#include "vmx/text.hpp"
#include <stdio.h>
#include <string.h>

namespace bindings::vmxl {
namespace {

vmx::Tracker the_tracker;
uint64_t exited[vmx::Tracker::kMaxVmcs];  // a ring: the oldest is forgotten first
size_t exited_next = 0;

void append(vmx::TextBuf& out, const char* s)
{
    if (*s)
        out.str(out.length() ? "; " : "").str(s);
}

} // namespace

vmx::Tracker& tracker() { return the_tracker; }

void note_exit(uint64_t vmcs)
{
    if (!saw_exit(vmcs)) {
        exited[exited_next] = vmcs + 1;                // +1: 0 marks an empty slot
        exited_next = (exited_next + 1) % vmx::Tracker::kMaxVmcs;
    }
}

bool saw_exit(uint64_t vmcs)
{
    for (uint64_t e : exited)
        if (e && e == vmcs + 1)
            return true;
    return false;
}

bool supported() { return vmx::cpu_has_vmx(); }

int push_unsupported(lua_State* L)
{
    lua_pushnil(L);
    lua_pushstring(L, kUnsupported);
    return 2;
}

void print_line(const char* s)
{
    console_write(s, strlen(s));
    console_write("\n", 1);
}

void explain_controls(char* buf, size_t cap)
{
    vmx::TextBuf out(buf, cap);
    const vmx::VmxCaps& caps = vmx::host_caps();
    uint64_t primary = 0;
    vmx::vmread(vmx::vmcs::CPU_BASED_VM_EXEC_CONTROL, &primary);
    // 27.2.1.1-27.2.1.3: each control word within its allowed-0/allowed-1 settings.
    static const vmx::ControlKind kinds[] = { vmx::ControlKind::Pin, vmx::ControlKind::Primary,
                                              vmx::ControlKind::Secondary, vmx::ControlKind::Exit,
                                              vmx::ControlKind::Entry };
    for (vmx::ControlKind kind : kinds) {
        const vmx::ControlKindInfo& k = vmx::control_kind_info(kind);
        bool secondary_on = primary & vmx::ctl::primary::ACTIVATE_SECONDARY_CONTROLS;
        if (kind == vmx::ControlKind::Secondary && !secondary_on)
            continue;                   // ignored unless "activate secondary controls"
        uint64_t value = 0;
        if (!vmx::vmread(k.field, &value).ok())
            continue;
        vmx::Adjusted a = vmx::adjust_controls(kind, value, caps);
        char line[500];
        if (vmx::describe_control_violation(kind, value, a, line, sizeof line))
            append(out, line);
    }
    uint64_t cr3_targets = 0;
    if (vmx::vmread(vmx::vmcs::CR3_TARGET_COUNT, &cr3_targets).ok() && cr3_targets) {
        uint64_t misc = 0;
        vmx::caps_msr(caps, vmx::IA32_VMX_MISC, &misc);
        if (cr3_targets > vmx::decode_misc(misc).cr3_target_count)
            append(out, "CR3_TARGET_COUNT exceeds IA32_VMX_MISC[24:16]");
    }
}

void explain_host_state(char* buf, size_t cap)
{
    vmx::TextBuf out(buf, cap);
    const vmx::VmxCaps& caps = vmx::host_caps();
    uint64_t cr0 = 0, cr4 = 0, cs = 0, tr = 0, exit_controls = 0;
    char line[200];
    // 27.2.2: host CR0/CR4 within the fixed bits; 27.2.3: CS and TR selectors not 0.
    if (vmx::vmread(vmx::vmcs::HOST_CR0, &cr0).ok()) {
        vmx::FixedCheck c = vmx::check_cr0(caps, cr0);
        if (!c.ok) {
            vmx::format_fixed_check(0, cr0, c, line, sizeof line);
            append(out, "HOST_CR0: ");
            out.str(line);
        }
    }
    if (vmx::vmread(vmx::vmcs::HOST_CR4, &cr4).ok()) {
        vmx::FixedCheck c = vmx::check_cr4(caps, cr4);
        if (!c.ok) {
            vmx::format_fixed_check(4, cr4, c, line, sizeof line);
            append(out, "HOST_CR4: ");
            out.str(line);
        }
    }
    if (vmx::vmread(vmx::vmcs::HOST_CS_SELECTOR, &cs).ok() && cs == 0)
        append(out, "HOST_CS_SELECTOR is 0");
    if (vmx::vmread(vmx::vmcs::HOST_TR_SELECTOR, &tr).ok() && tr == 0)
        append(out, "HOST_TR_SELECTOR is 0");
    // 27.2.4: a host in 64-bit mode needs "host address-space size".
    if (vmx::vmread(vmx::vmcs::VM_EXIT_CONTROLS, &exit_controls).ok()
        && !(exit_controls & vmx::ctl::exit::HOST_ADDR_SPACE_SIZE))
        append(out, "VM_EXIT_CONTROLS lacks HOST_ADDR_SPACE_SIZE (vmx.ctl.exit.HOST_ADDR_SPACE_SIZE), "
                    "which a 64-bit host needs");
}

int push_failure(lua_State* L, vmx::Instr instr, const vmx::Outcome& o, uint64_t operand,
                 const char* detail)
{
    const vmx::VmxCaps& caps = vmx::host_caps();
    vmx::FailureFacts f { instr, vmx::FailureKind::fault };
    f.kind = o.status == vmx::Status::fail_invalid ? vmx::FailureKind::fail_invalid
           : o.status == vmx::Status::fail_valid   ? vmx::FailureKind::fail_valid
                                                   : vmx::FailureKind::fault;
    f.error = o.error;
    f.vector = o.fault.vector;
    f.operand = operand;
    f.tracker = &tracker();
    f.cr4_vmxe = arch::read_cr4() & (1u << 13);
    if (instr == vmx::Instr::vmxon || instr == vmx::Instr::vmclear || instr == vmx::Instr::vmptrld) {
        arch::Fault fault;
        f.region_readable = arch::try_run(
            [&] { f.region_dword = *reinterpret_cast<volatile uint32_t*>(operand); }, &fault);
    }
    uint64_t v = 0;
    if (vmx::caps_msr(caps, vmx::IA32_VMX_BASIC, &v))
        f.cpu_revision = vmx::decode_basic(v).revision_id;
    if (vmx::caps_msr(caps, vmx::IA32_VMX_MISC, &v))
        f.vmwrite_exit_info = vmx::decode_misc(v).vmwrite_exit_info;
    f.phys_width = vmx::physical_address_width();
    char found[900] = "";
    bool entry = instr == vmx::Instr::vmlaunch || instr == vmx::Instr::vmresume;
    if (!detail && entry && f.kind == vmx::FailureKind::fail_valid && (f.error == 7 || f.error == 8)
        && !explain_entry(f.error == 7 ? vmx::entry::Class::Controls : vmx::entry::Class::Host, found, sizeof found)) {
        char quick[600];
        if (f.error == 7)
            explain_controls(quick, sizeof quick);
        else
            explain_host_state(quick, sizeof quick);
        if (quick[0])
            snprintf(found, sizeof found, "%s", quick);
    }
    f.detail = detail ? detail : found[0] ? found : nullptr;
    char cause[900];
    vmx::explain_failure(f, cause, sizeof cause);

    char head[240];
    int code = -1;
    if (o.status == vmx::Status::fail_invalid) {
        snprintf(head, sizeof head, "VMfailInvalid");
    } else if (o.status == vmx::Status::fail_valid) {
        char text[200];
        vmx::format_vm_instruction_error(o.error, text, sizeof text);   // "VM-instruction error 12: ..."
        const char* colon = strchr(text, ':');
        snprintf(head, sizeof head, "VMfailValid(%u)%s", unsigned(o.error), colon ? colon : "");
        code = int(o.error);
    } else {
        int n = push_fault(L, vmx::instr_name(instr), o.fault);   // "vmxon: #GP(0)"
        snprintf(head, sizeof head, "%s", lua_tostring(L, -2));
        lua_pop(L, n);
        code = o.fault.vector;
    }
    lua_pushnil(L);
    lua_pushfstring(L, "%s%s%s", head, cause[0] ? " -- " : "", cause);
    if (code < 0)
        return 2;
    lua_pushinteger(L, code);
    return 3;
}

uint64_t mem_alloc(lua_State* L, uint64_t size, uint64_t align)
{
    uint64_t a = mem_alloc_block(L, size, align);
    if (!a)
        lua_pushfstring(L, "alloc(%I): out of memory", lua_Integer(size));
    return a;
}

} // namespace bindings::vmxl

namespace bindings {

int luaopen_vmx(lua_State* L)
{
    lua_newtable(L);
    vmxl::add_instr(L);
    vmxl::add_fields(L);
    vmxl::add_caps(L);
    vmxl::add_run(L);
    vmxl::add_dump(L);
    vmxl::add_enable(L);
    vmxl::add_guests(L);
    vmxl::add_check(L);
    register_module(L, "vmx", "Intel VMX: instructions, VMCS fields, capabilities, guests and VM exits",
                    vmxl::docs);
    return 1;
}

} // namespace bindings
