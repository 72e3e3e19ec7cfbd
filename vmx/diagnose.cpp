#include "vmx/diagnose.hpp"

#include "vmx/caps.hpp"
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

// VM-instruction errors 4-6: VMLAUNCH/VMRESUME in the wrong launch state of the current VMCS.
void explain_launch_state(const FailureFacts& f, uint64_t cur, TextBuf& out)
{
    const Tracker* t = f.tracker;
    if (f.error == 4) {
        out.str("VMCS ").hex(cur).str(" was launched already: vmx.vmresume() continues it, "
                                      "or vmclear + vmptrld it to launch again");
    } else if (f.error == 5 && t) {
        char cause[200];
        t->explain_not_launched(cur, cause, sizeof cause);
        out.str(cause);
    } else if (f.error == 5) {
        out.str("vmlaunch was never run on VMCS ").hex(cur).str(" (as far as vmxlab saw): vmx.vmlaunch() first");
    } else {
        out.str("VMXOFF and VMXON happened between vmlaunch and vmresume");
    }
}

// VM-instruction errors 12 (unsupported component) and 13 (VMWRITE to a read-only component).
void explain_field_error(const FailureFacts& f, TextBuf& out)
{
    out.str("field ");
    name_field(f, out);
    if (f.error == 12) {
        out.str(find_field_by_encoding(f.operand) ? " is not supported by this CPU"
                                                  : " is not a VMCS field encoding");
        return;
    }
    out.str(" is read-only");
    if (!f.vmwrite_exit_info)
        out.str(": IA32_VMX_MISC[29] = 0, so VMWRITE may not write VM-exit information fields here");
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
    case 5:
    case 6:
        explain_launch_state(f, cur, out);
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
    case 13:
        explain_field_error(f, out);
        break;
    case 15:
        out.str("VMX is already on (VMXON region ").hex(t ? t->vmxon_region() : 0)
            .str("): vmx.vmxoff() leaves VMX operation");
        break;
    case 26:
        out.str("GUEST_INTERRUPTIBILITY_INFO says blocking by MOV SS (bit 1)");
        break;
    case 28:
        if (f.detail)
            out.str(f.detail);
        else
            out.str("this CPU does not support that ").str(instr_name(f.instr))
                .str(" type (IA32_VMX_EPT_VPID_CAP, vmx.caps())");
        break;
    default:
        if (f.detail)
            out.str(f.detail);
        break;
    }
}

bool canonical48(uint64_t a) { return (uint64_t(int64_t(a << 16) >> 16)) == a; }

// The EPTP checks of 27.2.1.1 that INVEPT single-context repeats.
bool bad_eptp(uint64_t eptp, const EptVpidCaps& c, uint8_t phys_width, TextBuf& out)
{
    unsigned type = eptp & 7, walk = ((eptp >> 3) & 7) + 1;
    bool type_ok = (type == 0 && c.memtype_uc) || (type == 6 && c.memtype_wb);
    bool walk_ok = (walk == 4 && c.walk_length_4) || (walk == 5 && c.walk_length_5);
    bool ad_bad = (eptp & (1u << 6)) && !c.accessed_dirty;
    bool width_bad = phys_width && phys_width < 64 && (eptp >> phys_width);
    if (type_ok && walk_ok && !ad_bad && !(eptp & 0xF80) && !width_bad)
        return false;
    out.str("EPTP ").hex(eptp).str(" is invalid: ");
    if (!type_ok)
        out.str("memory type ").dec(type).str(" (bits 2:0) is not one IA32_VMX_EPT_VPID_CAP allows (UC 0: ")
            .str(c.memtype_uc ? "yes" : "no").str(", WB 6: ").str(c.memtype_wb ? "yes" : "no").str(")");
    else if (!walk_ok)
        out.str("page-walk length ").dec(walk).str(" (bits 5:3 = length - 1) is not supported (4 levels: 3)");
    else if (ad_bad)
        out.str("bit 6 (accessed/dirty flags) is set but IA32_VMX_EPT_VPID_CAP[21] = 0");
    else if (eptp & 0xF80)
        out.str("reserved bits 11:7 are not 0");
    else
        out.str("bits above the ").dec(phys_width).str("-bit physical-address width are set");
    out.str(" (SDM 27.2.1.1; INVEPT single-context checks it as VM entry would)");
    return true;
}

// "NMI_EXITING, reserved bits 1, 2" -- named controls first, then the unnamed ones.
void control_bits(TextBuf& out, ControlKind kind, uint64_t bits)
{
    const ControlKindInfo& k = control_kind_info(kind);
    bool first = true;
    for (unsigned i = 0; i < 64; ++i)
        if (((bits >> i) & 1) && control_bit_at(kind, i)) {
            out.str(first ? "" : ", ").str(k.prefix).str(control_bit_at(kind, i)->name)
                .str(" (bit ").dec(i).chr(')');
            first = false;
        }
    uint64_t unnamed = 0;
    for (unsigned i = 0; i < 64; ++i)
        if (((bits >> i) & 1) && !control_bit_at(kind, i))
            unnamed |= uint64_t(1) << i;
    if (!unnamed)
        return;
    out.str(first ? "" : ", ").str(__builtin_popcountll(unnamed) > 1 ? "reserved bits " : "reserved bit ");
    first = true;
    for (unsigned i = 0; i < 64; ++i)
        if ((unnamed >> i) & 1) {
            out.str(first ? "" : ", ").dec(i);
            first = false;
        }
}

} // namespace

size_t describe_control_violation(ControlKind kind, uint64_t value, const Adjusted& a, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    uint64_t must_be_one = a.caps.allowed0 & ~value, must_be_zero = value & ~a.caps.allowed1;
    if (!must_be_one && !must_be_zero)
        return 0;
    const ControlKindInfo& k = control_kind_info(kind);
    const FieldInfo* f = find_field_by_encoding(k.field);
    const char* msr = vmx_msr_name(a.caps.msr);
    out.str(f ? f->name : k.name).str(" = ").hex(value, k.is_64bit ? 16 : 8).str(" (").str(k.sdm_name).str(")");
    if (!a.caps.available)
        out.str(": this control word does not exist on this CPU, so every bit must be 0: ");
    if (must_be_one) {
        out.str(": must be 1: ");
        control_bits(out, kind, must_be_one);
        bool reserved = must_be_one & k.default1;
        out.str(reserved ? " (reserved bits are \"default1\": " : " (").str(msr ? msr : "the capability MSR")
            .str(" allowed-0 = ").hex(a.caps.allowed0, k.is_64bit ? 16 : 8).chr(')');
    }
    if (must_be_zero) {
        out.str(must_be_one ? "; must be 0: " : ": must be 0: ");
        control_bits(out, kind, must_be_zero);
        out.str(" (").str(msr ? msr : "the capability MSR").str(" allowed-1 = ")
            .hex(a.caps.allowed1, k.is_64bit ? 16 : 8).chr(')');
    }
    out.str(" -- SDM 27.2.1; vmx.adjust(\"").str(k.name).str("\", value) makes it legal");
    return out.length();
}

size_t explain_inv_operand(Instr instr, uint64_t type, uint64_t operand, uint64_t linear,
                           uint64_t ept_vpid_cap, uint8_t phys_width, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    EptVpidCaps c = decode_ept_vpid(ept_vpid_cap);
    if (instr == Instr::invept) {
        bool ok = (type == 1 && c.invept_single_context) || (type == 2 && c.invept_all_context);
        if (type != 1 && type != 2)
            out.str("INVEPT type ").dec(type).str(" does not exist: the types are 1 (single-context) and 2 (all-context)");
        else if (!c.invept || !ok)
            out.str("this CPU does not support INVEPT type ").dec(type)
                .str(" (IA32_VMX_EPT_VPID_CAP bits 20, 25 single-context, 26 all-context)");
        else if (type == 1)
            bad_eptp(operand, c, phys_width, out);
        return out.length();
    }
    bool ok = (type == 0 && c.invvpid_address) || (type == 1 && c.invvpid_single_context)
              || (type == 2 && c.invvpid_all_context) || (type == 3 && c.invvpid_single_keep_globals);
    if (type > 3)
        out.str("INVVPID type ").dec(type).str(" does not exist: the types are 0 (individual address), 1 (single-context), "
                                                "2 (all-context) and 3 (single-context keeping globals)");
    else if (!c.invvpid || !ok)
        out.str("this CPU does not support INVVPID type ").dec(type)
            .str(" (IA32_VMX_EPT_VPID_CAP bits 32, 40 address, 41 single, 42 all, 43 single keeping globals)");
    else if (operand >> 16)
        out.str("the descriptor's bits 63:16 must be 0 (VPID ").hex(operand).str(")");
    else if (type != 2 && operand == 0)
        out.str("VPID 0 is invalid for INVVPID type ").dec(type)
            .str(": only all-context (type 2) accepts it -- VPID 0 is the host's");
    else if (type == 0 && !canonical48(linear))
        out.str("linear address ").hex(linear).str(" is not canonical");
    return out.length();
}

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
