#include "vmx/guest_check.hpp"

#include "vmx/caps_format.hpp"
#include "vmx/controls.hpp"
#include "vmx/text.hpp"

namespace vmx {
namespace {

constexpr uint64_t cr0_pe = 1, cr0_pg = 1ull << 31, cr4_pae = 1u << 5, cr4_pcide = 1u << 17;
constexpr uint64_t rflags_vm = 1u << 17;
constexpr uint32_t ar_unusable = 1u << 16;

struct Findings {
    TextBuf& out;
    void add(const char* text)
    {
        out.str(out.length() ? "; " : "").str(text);
    }
    TextBuf& start()
    {
        out.str(out.length() ? "; " : "");
        return out;
    }
};

bool canonical(uint64_t a) { return (uint64_t)((int64_t)(a << 16) >> 16) == a; }

void check_crs(const GuestStateFields& g, const VmxCaps& caps, Findings& f)
{
    char line[240];
    FixedCheck c0 = check_cr0(caps, g.cr0);
    // 27.3.1.1: with "unrestricted guest", PE and PG are exempt from CR0's fixed bits.
    if (g.secondary_controls & ctl::secondary::UNRESTRICTED_GUEST)
        c0.must_be_one &= ~(cr0_pe | cr0_pg);
    if (c0.must_be_one || c0.must_be_zero) {
        c0.ok = false;
        format_fixed_check(0, g.cr0, c0, line, sizeof line);
        f.start().str("GUEST_CR0: ").str(line);
    }
    FixedCheck c4 = check_cr4(caps, g.cr4);
    if (!c4.ok) {
        format_fixed_check(4, g.cr4, c4, line, sizeof line);
        f.start().str("GUEST_CR4: ").str(line);
    }
    if ((g.cr0 & cr0_pg) && !(g.cr0 & cr0_pe))
        f.add("GUEST_CR0 has PG = 1 with PE = 0");
    if (g.entry_controls & ctl::entry::IA32E_MODE) {
        if (!(g.cr0 & cr0_pg))
            f.add("VM_ENTRY_CONTROLS.IA32E_MODE needs GUEST_CR0.PG = 1");
        if (!(g.cr4 & cr4_pae))
            f.add("VM_ENTRY_CONTROLS.IA32E_MODE needs GUEST_CR4.PAE = 1");
    } else if (g.cr4 & cr4_pcide) {
        f.add("GUEST_CR4.PCIDE = 1 needs VM_ENTRY_CONTROLS.IA32E_MODE");
    }
    if ((g.entry_controls & ctl::entry::LOAD_DEBUG_CONTROLS) && (g.dr7 >> 32))
        f.add("GUEST_DR7 bits 63:32 must be 0");
}

void check_rflags_rip(const GuestStateFields& g, Findings& f)
{
    // 27.3.1.4: RFLAGS bit 1 is 1; bits 63:22, 15, 5, 3 are 0; VM = 0 in IA-32e mode.
    if (!(g.rflags & 2))
        f.add("GUEST_RFLAGS bit 1 is 0 (it is reserved as 1, 27.3.1.4)");
    if (g.rflags & (~uint64_t(0x3FFFFF) | (1u << 15) | (1u << 5) | (1u << 3)))
        f.start().str("GUEST_RFLAGS ").hex(g.rflags).str(" has reserved bits set");
    bool ia32e = g.entry_controls & ctl::entry::IA32E_MODE;
    if (ia32e && (g.rflags & (1u << 17)))
        f.add("GUEST_RFLAGS.VM = 1 in IA-32e mode");
    bool cs_l = (g.cs_ar >> 13) & 1;
    if (!(ia32e && cs_l) && (g.rip >> 32))
        f.add("GUEST_RIP bits 63:32 must be 0 outside 64-bit mode");
    else if (!canonical(g.rip))
        f.add("GUEST_RIP is not canonical");
}

void check_segments(const GuestStateFields& g, Findings& f)
{
    bool ia32e = g.entry_controls & ctl::entry::IA32E_MODE;
    bool unrestricted = g.secondary_controls & ctl::secondary::UNRESTRICTED_GUEST;
    // 27.3.1.2: in virtual-8086 mode every segment is base = selector * 16, limit 0xFFFF and
    // access rights 0xF3; the code-segment and DPL rules below do not apply.
    if ((g.rflags & rflags_vm) && !ia32e) {
        if (g.cs_ar != 0xF3)
            f.add("GUEST_CS_AR_BYTES must be 0xF3 in virtual-8086 mode (RFLAGS.VM = 1)");
        if (g.ss_ar != 0xF3)
            f.add("GUEST_SS_AR_BYTES must be 0xF3 in virtual-8086 mode (RFLAGS.VM = 1)");
    } else if (g.cs_ar & ar_unusable)
        f.add("GUEST_CS_AR_BYTES marks CS unusable");
    else if (!((g.cs_ar >> 4) & 1) || !((g.cs_ar >> 3) & 1))
        f.add("GUEST_CS_AR_BYTES is not a code segment (S = 1, type bit 3 = 1)");
    if (ia32e && ((g.cs_ar >> 13) & 1) && ((g.cs_ar >> 14) & 1))
        f.add("GUEST_CS_AR_BYTES has L = 1 and D/B = 1");
    bool v86 = (g.rflags & rflags_vm) && !ia32e;
    if (!v86 && !(g.cs_ar & ar_unusable) && !((g.cs_ar >> 7) & 1))
        f.add("GUEST_CS_AR_BYTES has P = 0");
    if (!v86 && !unrestricted && !(g.ss_ar & ar_unusable) && ((g.ss_ar >> 5) & 3) != ((g.cs_ar >> 5) & 3))
        f.add("SS.DPL differs from CS.DPL (GUEST_SS_AR_BYTES, GUEST_CS_AR_BYTES)");
    // TR: usable, S = 0, present, busy TSS (type 11; type 3 also outside IA-32e mode).
    unsigned tr_type = g.tr_ar & 0xF;
    if (g.tr_ar & ar_unusable)
        f.add("GUEST_TR_AR_BYTES marks TR unusable");
    else if (((g.tr_ar >> 4) & 1) || !((g.tr_ar >> 7) & 1) || !(tr_type == 11 || (!ia32e && tr_type == 3)))
        f.add(ia32e ? "GUEST_TR_AR_BYTES must be a present busy 64-bit TSS (0x008B)"
                    : "GUEST_TR_AR_BYTES must be a present busy TSS (type 3 or 11, S = 0, P = 1)");
    if (!(g.ldtr_ar & ar_unusable) && (((g.ldtr_ar & 0xF) != 2) || ((g.ldtr_ar >> 4) & 1)))
        f.add("GUEST_LDTR_AR_BYTES: a usable LDTR must be type 2 with S = 0 (or mark it unusable, 0x10000)");
}

} // namespace

size_t check_guest_state(const GuestStateFields& g, const VmxCaps& caps, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    Findings f { out };
    check_crs(g, caps, f);
    check_rflags_rip(g, f);
    check_segments(g, f);
    // 27.3.1.5: the activity state must be one the CPU supports; the link pointer all ones
    // unless VMCS shadowing is in use.
    if (g.activity_state > 3)
        f.add("GUEST_ACTIVITY_STATE is not 0-3");
    if (g.link_pointer != ~uint64_t(0) && !(g.secondary_controls & ctl::secondary::SHADOW_VMCS))
        f.add("VMCS_LINK_POINTER must be 0xffffffffffffffff (no VMCS shadowing)");
    if (g.interruptibility & ~uint64_t(0x1F))
        f.add("GUEST_INTERRUPTIBILITY_INFO has reserved bits set");
    if ((g.interruptibility & 3) == 3)
        f.add("GUEST_INTERRUPTIBILITY_INFO blocks by STI and by MOV SS at once");
    return out.length();
}

} // namespace vmx
