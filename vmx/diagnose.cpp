#include "vmx/diagnose.hpp"

#include "vmx/text.hpp"

namespace vmx {
namespace {

const char* const kInstrNames[] = {
    "vmxon", "vmxoff", "vmclear", "vmptrld", "vmptrst", "vmread", "vmwrite",
    "vmlaunch", "vmresume", "invept", "invvpid",
};

bool takes_region(Instr i) { return i == Instr::vmxon || i == Instr::vmclear || i == Instr::vmptrld; }

// SDM 31.3 (VMXON, VMCLEAR, VMPTRLD): the operand must be 4 KiB aligned and within the
// processor's physical-address width.
bool bad_address(const FailureFacts& f, TextBuf& out)
{
    if (f.operand & 0xFFF) {
        out.str("address ").hex(f.operand).str(" is not 4 KiB aligned");
        return true;
    }
    if (f.phys_width && f.phys_width < 64 && (f.operand >> f.phys_width)) {
        out.str("address ").hex(f.operand).str(" is beyond the ").dec(f.phys_width)
            .str("-bit physical-address width");
        return true;
    }
    return false;
}

bool bad_revision(const FailureFacts& f, TextBuf& out)
{
    if (!f.region_readable || !f.cpu_revision || f.region_dword == f.cpu_revision)
        return false;
    out.str("the region at ").hex(f.operand).str(" starts with ").hex(f.region_dword, 8)
        .str(" but this CPU's revision identifier is ").hex(f.cpu_revision, 8)
        .str(" (IA32_VMX_BASIC[30:0]; vmx.region() writes it)");
    if (f.region_dword & 0x80000000u)
        out.str("; bit 31 set marks a shadow VMCS");
    return true;
}

bool is_vmxon_region(const FailureFacts& f)
{
    return f.tracker && f.tracker->on() && f.tracker->vmxon_region() == f.operand;
}

void name_field(const FailureFacts& f, TextBuf& out)
{
    if (const FieldInfo* fi = find_field_by_encoding(f.operand))
        out.str(fi->name).str(" (").hex(f.operand, 4).str(")");
    else
        out.hex(f.operand);
}

void explain_fault(const FailureFacts& f, TextBuf& out)
{
    bool on = f.tracker && f.tracker->on();
    if (f.vector == 6) {                                                // #UD
        if (!f.cr4_vmxe)
            out.str("CR4.VMXE = 0: every VMX instruction is #UD until CR4.VMXE is set "
                    "(vmx.enable() does it, or cpu.write_cr4(cpu.cr4() | 0x2000))");
        else if (!on && f.instr != Instr::vmxon)
            out.str("not in VMX operation: only VMXON is defined before VMXON succeeds");
        return;
    }
    if (f.vector == 13 && f.instr == Instr::vmxon) {                    // SDM 31.3 VMXON
        if (f.detail)
            out.str(f.detail);
        else
            out.str("VMXON raises #GP when CR0/CR4 violate IA32_VMX_CR0/CR4_FIXED0/1 or "
                    "IA32_FEATURE_CONTROL is not locked with VMX outside SMX enabled");
        return;
    }
    if (f.vector == 14)
        out.str("the operand's memory is not mapped");
    else if (f.detail)
        out.str(f.detail);
}

void explain_invalid(const FailureFacts& f, TextBuf& out)
{
    const Tracker* t = f.tracker;
    if (f.instr == Instr::vmxon) {
        if (t && t->on())
            out.str("VMX is already on (VMXON region ").hex(t->vmxon_region())
                .str("); with no current VMCS the CPU cannot report error 15");
        else if (!bad_address(f, out) && !bad_revision(f, out))
            out.str("the VMXON region is not usable (alignment, address width or revision id)");
        return;
    }
    if (takes_region(f.instr)) {
        // VMfail with no current VMCS to hold the number (SDM 31.2): guess which check it was.
        out.str("no current VMCS to hold the error number; likely: ");
        if (is_vmxon_region(f))
            out.str("the address is the VMXON region");
        else if (!bad_address(f, out) && !(f.instr == Instr::vmptrld && bad_revision(f, out)))
            out.str("see the checks of ").str(instr_name(f.instr)).str(" in SDM 31.3");
        return;
    }
    if (t && t->current() == Tracker::kNone)
        out.str("no current VMCS: vmx.vmptrld(vmcs) first");
    else if (f.detail)
        out.str(f.detail);
}

void explain_valid(const FailureFacts& f, TextBuf& out)
{
    const Tracker* t = f.tracker;
    uint64_t cur = t ? t->current() : Tracker::kNone;
    switch (f.error) {
    case 1:
        out.str("VMCALL in VMX root operation: this is the host");
        break;
    case 2:
    case 9:
        if (!bad_address(f, out))
            out.str("the address is not a usable physical address");
        break;
    case 3:
    case 10:
        out.str(is_vmxon_region(f) ? "the address is the VMXON region given to vmxon"
                                   : "the address is the VMXON region");
        break;
    case 4:
        out.str("VMCS ").hex(cur).str(" was launched already: vmx.vmresume() continues it, "
                                      "or vmclear + vmptrld it to launch again");
        break;
    case 5:
        if (t) {
            char cause[200];
            t->explain_not_launched(cur, cause, sizeof cause);
            out.str(cause);
        } else {
            out.str("vmlaunch was never run on VMCS ").hex(cur).str(" (as far as vmxlab saw): vmx.vmlaunch() first");
        }
        break;
    case 6:
        out.str("VMXOFF and VMXON happened between vmlaunch and vmresume");
        break;
    case 7:
        out.str(f.detail ? f.detail : "a control field is not allowed by this CPU: vmx.adjust(kind, value)"
                                      " makes it legal, vmx.caps() shows the allowed bits");
        break;
    case 8:
        out.str(f.detail ? f.detail : "the host-state area is not valid: vmx.host_state() fills it "
                                      "from the running kernel");
        break;
    case 11:
        if (!bad_revision(f, out))
            out.str("the region's revision identifier differs from IA32_VMX_BASIC[30:0]");
        break;
    case 12:
        out.str("field ");
        name_field(f, out);
        out.str(find_field_by_encoding(f.operand) ? " is not supported by this CPU"
                                                  : " is not a VMCS field encoding");
        break;
    case 13:
        out.str("field ");
        name_field(f, out);
        out.str(" is read-only");
        if (!f.vmwrite_exit_info)
            out.str(": IA32_VMX_MISC[29] = 0, so VMWRITE may not write VM-exit information fields here");
        break;
    case 15:
        out.str("VMX is already on (VMXON region ").hex(t ? t->vmxon_region() : 0)
            .str("): vmx.vmxoff() leaves VMX operation");
        break;
    case 26:
        out.str("GUEST_INTERRUPTIBILITY_INFO says blocking by MOV SS (bit 1)");
        break;
    case 28:
        out.str("this CPU does not support that ").str(instr_name(f.instr))
            .str(" type (IA32_VMX_EPT_VPID_CAP, vmx.caps())");
        break;
    default:
        if (f.detail)
            out.str(f.detail);
        break;
    }
}

} // namespace

const char* instr_name(Instr instr)
{
    return kInstrNames[static_cast<size_t>(instr)];
}

size_t explain_failure(const FailureFacts& f, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    switch (f.kind) {
    case FailureKind::fault: explain_fault(f, out); break;
    case FailureKind::fail_invalid: explain_invalid(f, out); break;
    case FailureKind::fail_valid: explain_valid(f, out); break;
    }
    return out.length();
}

} // namespace vmx
