// SDM 27.3.1.1, 27.3.1.3 and 27.3.1.4: the checks on the guest's control and debug registers,
// MSRs, descriptor-table registers, RIP and RFLAGS. A failure is a VM-entry failure with exit
// reason 33 (invalid guest state).
#include "vmx/entry_check_internal.hpp"

namespace vmx::entry {
namespace {

using namespace vmx::vmcs;
using namespace bits;

constexpr uint64_t kEferDefined = 1 | 1u << 8 | 1u << 10 | 1u << 11;   // SCE LME LMA NXE

void check_crs(Ctx& c)
{
    uint64_t cr0 = c[GUEST_CR0], cr4 = c[GUEST_CR4];
    FixedCheck f0 = check_cr0(c.s.caps, cr0);
    if (bit(c.proc2, s_unrestricted))   // PE and PG may be 0 in an unrestricted guest
        f0.must_be_one &= ~(1ull | 1ull << 31);
    if (f0.must_be_one || f0.must_be_zero)
        hint_fixed(c.add(R::g_cr0, GUEST_CR0), "GUEST_CR0", cr0, f0.must_be_one, f0.must_be_zero,
                   "IA32_VMX_CR0_FIXED0/1");
    if (bit(cr0, 31) && !bit(cr0, 0))
        c.add(R::g_cr0_pg_pe, GUEST_CR0).str("GUEST_CR0 ").hex(cr0).str(" has PG = 1 with PE = 0 "
            "-- paging needs protected mode: write ").hex(cr0 | 1);
    FixedCheck f4 = check_cr4(c.s.caps, cr4);
    if (!f4.ok)
        hint_fixed(c.add(R::g_cr4, GUEST_CR4), "GUEST_CR4", cr4, f4.must_be_one, f4.must_be_zero,
                   "IA32_VMX_CR4_FIXED0/1");
    uint64_t dbg = c[GUEST_IA32_DEBUGCTL];
    if (bit(c.entry, n_load_debug) && (dbg & c.s.debugctl_reserved))
        c.add(R::g_debugctl, GUEST_IA32_DEBUGCTL).str("GUEST_IA32_DEBUGCTL ").hex(dbg)
            .str(" sets reserved bits ").hex(dbg & c.s.debugctl_reserved).str(" -- write ")
            .hex(dbg & ~c.s.debugctl_reserved);
    bool ia32e = bit(c.entry, n_ia32e);
    if (ia32e && !(bit(cr0, 31) && bit(cr4, 5)))
        c.add(R::g_ia32e_paging, GUEST_CR0, GUEST_CR4, VM_ENTRY_CONTROLS).str("an IA-32e mode "
            "guest (VM_ENTRY_CONTROLS bit 9) needs GUEST_CR0.PG = 1 (is ").dec(bit(cr0, 31))
            .str(") and GUEST_CR4.PAE = 1 (is ").dec(bit(cr4, 5)).str(")");
    if (!ia32e && bit(cr4, 17))
        c.add(R::g_pcide, GUEST_CR4, VM_ENTRY_CONTROLS).str("GUEST_CR4 ").hex(cr4).str(" sets "
            "PCIDE (bit 17) outside IA-32e mode -- write ").hex(cr4 & ~(1ull << 17));
    if (beyond_width(c.s, c[GUEST_CR3]))
        c.add(R::g_cr3, GUEST_CR3).str("GUEST_CR3 ").hex(c[GUEST_CR3]).str(" sets bits beyond the ")
            .dec(phys_width(c.s)).str("-bit physical-address width");
    if (bit(c.entry, n_load_debug) && (c[GUEST_DR7] >> 32))
        c.add(R::g_dr7, GUEST_DR7).str("GUEST_DR7 ").hex(c[GUEST_DR7]).str(" sets bits 63:32 -- "
            "write ").hex(c[GUEST_DR7] & 0xFFFFFFFF);
}

void check_msrs(Ctx& c)
{
    const uint32_t sysenter[] = {GUEST_SYSENTER_ESP, GUEST_SYSENTER_EIP};
    for (uint32_t enc : sysenter)
        if (!canonical(c.s, c[enc])) {
            c.add(R::g_sysenter, enc).str(field_name(enc)).chr(' ').hex(c[enc])
                .str(" is not canonical -- write 0 if the guest does not use SYSENTER");
            break;
        }
    unsigned bad = 0;
    if (bit(c.entry, n_load_pat) && !pat_valid(c[GUEST_IA32_PAT], &bad))
        c.add(R::g_pat, GUEST_IA32_PAT).str("GUEST_IA32_PAT ").hex(c[GUEST_IA32_PAT]).str(" byte ")
            .dec(bad).str(" is not a memory type -- the power-on value is 0x0007040600070406");
    if (!bit(c.entry, n_load_efer))
        return;
    uint64_t efer = c[GUEST_IA32_EFER];
    bool ia32e = bit(c.entry, n_ia32e);
    if (efer & ~kEferDefined)
        c.add(R::g_efer_reserved, GUEST_IA32_EFER).str("GUEST_IA32_EFER ").hex(efer)
            .str(" sets reserved bits ").hex(efer & ~kEferDefined).str(" -- write ")
            .hex(efer & kEferDefined);
    else if (bit(efer, 10) != ia32e || (bit(c[GUEST_CR0], 31) && bit(efer, 8) != ia32e))
        c.add(R::g_efer_lma, GUEST_IA32_EFER, VM_ENTRY_CONTROLS).str("GUEST_IA32_EFER ").hex(efer)
            .str(" has LMA = ").dec(bit(efer, 10)).str(", LME = ").dec(bit(efer, 8))
            .str(" but IA-32e mode guest is ").dec(ia32e).str(" -- write ")
            .hex(ia32e ? efer | 0x500 : efer & ~0x500ull);
}

void check_dtrs(Ctx& c)
{
    const uint32_t bases[] = {GUEST_GDTR_BASE, GUEST_IDTR_BASE};
    for (uint32_t enc : bases)
        if (!canonical(c.s, c[enc])) {
            c.add(R::g_dtr_base, enc).str(field_name(enc)).chr(' ').hex(c[enc])
                .str(" is not canonical");
            break;
        }
    const uint32_t limits[] = {GUEST_GDTR_LIMIT, GUEST_IDTR_LIMIT};
    for (uint32_t enc : limits)
        if (c[enc] >> 16) {
            c.add(R::g_dtr_limit, enc).str(field_name(enc)).chr(' ').hex(c[enc])
                .str(" sets bits 31:16; a descriptor-table limit is 16 bits -- write ")
                .hex(c[enc] & 0xFFFF);
            break;
        }
}

void check_rip(Ctx& c)
{
    uint64_t rip = c[GUEST_RIP];
    bool ia32e = bit(c.entry, n_ia32e), cs_l = bit(c[GUEST_CS_AR_BYTES], 13);
    if (!(ia32e && cs_l) && (rip >> 32))
        c.add(R::g_rip_high, GUEST_RIP, GUEST_CS_AR_BYTES).str("GUEST_RIP ").hex(rip)
            .str(" sets bits 63:32 but the guest does not start in 64-bit mode");
    else if (ia32e && cs_l && !canonical(c.s, rip))
        c.add(R::g_rip_canonical, GUEST_RIP).str("GUEST_RIP ").hex(rip).str(" is not canonical "
            "(Bochs 2.7 enters anyway; the SDM and real CPUs do not)");
}

void check_rflags(Ctx& c)
{
    uint64_t fl = c[GUEST_RFLAGS];
    bool ia32e = bit(c.entry, n_ia32e);
    constexpr uint64_t reserved = ~0x3FFFFFull | 1u << 15 | 1u << 5 | 1u << 3;
    if (fl & reserved)
        c.add(R::g_rflags_reserved, GUEST_RFLAGS).str("GUEST_RFLAGS ").hex(fl).str(" sets "
            "reserved bits ").hex(fl & reserved).str(" -- write ").hex((fl & ~reserved) | 2);
    if (!bit(fl, 1))
        c.add(R::g_rflags_bit1, GUEST_RFLAGS).str("GUEST_RFLAGS ").hex(fl).str(" has bit 1 = 0; "
            "it is reserved as 1 -- write ").hex((fl & ~reserved) | 2);
    if (bit(fl, 17) && (ia32e || !bit(c[GUEST_CR0], 0)))
        c.add(R::g_rflags_vm, GUEST_RFLAGS).str("GUEST_RFLAGS ").hex(fl).str(" sets VM (bit 17) "
            "but ").str(ia32e ? "the guest is IA-32e mode" : "GUEST_CR0.PE = 0").str(" -- write ")
            .hex(fl & ~(1ull << 17));
    uint64_t info = c[VM_ENTRY_INTR_INFO_FIELD];
    if (bit(info, 31) && ((info >> 8) & 7) == 0 && !bit(fl, 9))
        c.add(R::g_rflags_if, GUEST_RFLAGS, VM_ENTRY_INTR_INFO_FIELD).str("an external interrupt "
            "is injected (VM_ENTRY_INTR_INFO_FIELD ").hex(info).str(") but GUEST_RFLAGS ").hex(fl)
            .str(" has IF = 0 -- write ").hex(fl | 0x200);
}

} // namespace

void check_guest(Ctx& c)
{
    // 27.3.1: "these checks may be performed in any order". This is Bochs's order (RFLAGS
    // first), so that the first finding names the check Bochs's log names; a VM flag in a
    // 64-bit guest is then reported as such, not as its virtual-8086 segment consequences.
    check_rflags(c);
    check_crs(c);
    check_guest_segments(c);
    check_dtrs(c);
    check_msrs(c);
    check_rip(c);
    check_guest_state(c);
}

} // namespace vmx::entry
