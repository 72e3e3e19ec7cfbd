#include "vmx/caps_format.hpp"

#include "vmx/text.hpp"

namespace vmx {
namespace {

const char* yes_no(bool b)
{
    return b ? "yes" : "no";
}

void put_bit_name(TextBuf& out, ControlKind kind, unsigned bit)
{
    if (const ControlBit* b = control_bit_at(kind, bit))
        out.str(b->name);
    else
        out.str("bit ").dec(bit);
}

void put_bit_list(TextBuf& out, ControlKind kind, uint64_t bits)
{
    if (bits == 0) {
        out.str("none");
        return;
    }
    const char* sep = "";
    for (unsigned i = 0; i < 64; ++i) {
        if (!((bits >> i) & 1))
            continue;
        out.str(sep);
        put_bit_name(out, kind, i);
        sep = ", ";
    }
}

void put_cr_bits(TextBuf& out, unsigned cr, uint64_t bits, const char* must, const char*& sep)
{
    for (unsigned i = 0; i < 64; ++i) {
        if (!((bits >> i) & 1))
            continue;
        const char* name = cr == 0 ? cr0_bit_name(i) : cr4_bit_name(i);
        out.str(sep).str("CR").dec(cr);
        if (name)
            out.chr('.').str(name).str(" (bit ").dec(i).chr(')');
        else
            out.str(" bit ").dec(i);
        out.str(" must be ").str(must);
        sep = "; ";
    }
}

} // namespace

size_t format_basic(uint64_t value, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    VmxBasic b = decode_basic(value);
    out.str("revision id ").hex(b.revision_id).str(", VMXON/VMCS region ").dec(b.region_size)
        .str(" bytes, memory type ").dec(b.memory_type)
        .str(b.memory_type == 6 ? " (WB)" : b.memory_type == 0 ? " (UC)" : " (reserved)")
        .str(", addresses limited to 32 bits: ").str(yes_no(b.phys_addr_32bit))
        .str(", dual-monitor SMM: ").str(yes_no(b.dual_monitor))
        .str(", INS/OUTS instruction information: ").str(yes_no(b.ins_outs_info))
        .str(", TRUE control MSRs: ").str(yes_no(b.true_controls))
        .str(", exceptions injectable without error code: ").str(yes_no(b.no_error_code_check));
    return out.length();
}

size_t format_misc(uint64_t value, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    VmxMisc m = decode_misc(value);
    out.str("VMX-preemption timer ticks once per 2^").dec(m.preemption_timer_rate)
        .str(" TSC ticks, EFER.LMA stored on VM exit: ").str(yes_no(m.store_efer_lma))
        .str(", activity states:");
    if (m.activity_hlt)
        out.str(" HLT");
    if (m.activity_shutdown)
        out.str(" shutdown");
    if (m.activity_wait_sipi)
        out.str(" wait-for-SIPI");
    if (!m.activity_hlt && !m.activity_shutdown && !m.activity_wait_sipi)
        out.str(" active only");
    out.str(", CR3-target values: ").dec(m.cr3_target_count)
        .str(", MSR-list maximum: ").dec(m.max_msr_list)
        .str(" entries, VMWRITE to VM-exit information fields: ").str(yes_no(m.vmwrite_exit_info))
        .str(", zero-length instruction injection: ").str(yes_no(m.zero_length_injection))
        .str(", Intel PT in VMX operation: ").str(yes_no(m.pt_in_vmx))
        .str(", MSEG revision ").dec(m.mseg_revision);
    return out.length();
}

size_t describe_controls(ControlKind kind, const VmxCaps& caps, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    const ControlKindInfo& k = control_kind_info(kind);
    ControlCaps c = control_caps(caps, kind);
    out.str(k.sdm_name);
    if (!c.available) {
        out.str(": not available (");
        if (!caps_msr(caps, c.msr, nullptr))
            out.str(vmx_msr_name(c.msr)).str(" could not be read)\n");
        else
            out.str(control_kind_info(k.gate_kind).name).str(" control ")
                .dec(k.gate_bit).str(" may not be 1)\n");
        return out.length();
    }
    int digits = k.is_64bit ? 16 : 8;
    out.str(" from ").str(vmx_msr_name(c.msr)).str(" (").hex(c.msr, 3).str("): allowed-0 ")
        .hex(c.allowed0, digits).str(", allowed-1 ").hex(c.allowed1, digits).chr('\n');
    unsigned bits = k.is_64bit ? 64 : 32;
    for (unsigned i = 0; i < bits; ++i) {
        bool must1 = (c.allowed0 >> i) & 1;
        bool may1 = (c.allowed1 >> i) & 1;
        const ControlBit* named = control_bit_at(kind, i);
        if (!named && !must1 && !may1)
            continue;
        out.str("  bit ").str(i < 10 ? " " : "").dec(i).chr(' ');
        if (named)
            out.str(named->name);
        else
            out.str((k.default1 >> i) & 1 ? "(reserved, default1)" : "(reserved)");
        out.str(must1 ? ": must be 1" : may1 ? ": 0 or 1" : ": must be 0").chr('\n');
    }
    return out.length();
}

size_t format_adjusted(ControlKind kind, uint64_t wanted, const Adjusted& a, char* buf,
                       size_t cap)
{
    TextBuf out(buf, cap);
    const ControlKindInfo& k = control_kind_info(kind);
    int digits = k.is_64bit ? 16 : 8;
    out.str(k.name).str(": wanted ").hex(wanted, digits).str(", legal ").hex(a.value, digits);
    if (!a.caps.available)
        out.str(" (control word not available on this CPU)");
    out.str("; forced on: ");
    put_bit_list(out, kind, a.forced_on);
    out.str("; forced off: ");
    put_bit_list(out, kind, a.forced_off);
    return out.length();
}

const char* cr0_bit_name(unsigned bit)
{
    switch (bit) {
    case 0: return "PE";
    case 1: return "MP";
    case 2: return "EM";
    case 3: return "TS";
    case 4: return "ET";
    case 5: return "NE";
    case 16: return "WP";
    case 18: return "AM";
    case 29: return "NW";
    case 30: return "CD";
    case 31: return "PG";
    default: return nullptr;
    }
}

const char* cr4_bit_name(unsigned bit)
{
    static const char* const kNames[33] = {
        "VME",  "PVI",  "TSD",  "DE",  "PSE",  "PAE",     "MCE",  "PGE",  "PCE",
        "OSFXSR", "OSXMMEXCPT", "UMIP", "LA57", "VMXE", "SMXE", nullptr, "FSGSBASE",
        "PCIDE", "OSXSAVE", "KL", "SMEP", "SMAP", "PKE", "CET", "PKS", "UINTR", nullptr,
        "LASS", "LAM_SUP", nullptr, nullptr, nullptr, "FRED"};
    return bit < 33 ? kNames[bit] : nullptr;
}

size_t format_fixed_check(unsigned cr, uint64_t value, const FixedCheck& check, char* buf,
                          size_t cap)
{
    TextBuf out(buf, cap);
    out.str("CR").dec(cr).chr(' ').hex(value, 8);
    if (check.ok) {
        out.str(" satisfies IA32_VMX_CR").dec(cr).str("_FIXED0/FIXED1");
        return out.length();
    }
    out.str(" violates the VMX fixed bits: ");
    const char* sep = "";
    put_cr_bits(out, cr, check.must_be_one, "1", sep);
    put_cr_bits(out, cr, check.must_be_zero, "0", sep);
    return out.length();
}

} // namespace vmx
