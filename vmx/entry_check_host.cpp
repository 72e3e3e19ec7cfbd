// SDM 27.2.2-27.2.4: the checks on the host-state area (loaded at every VM exit). A failure is
// VMfailValid with VM-instruction error 8.
#include "vmx/entry_check_internal.hpp"

namespace vmx::entry {
namespace {

using namespace vmx::vmcs;
using namespace bits;

constexpr uint64_t kEferDefined = 1 | 1u << 8 | 1u << 10 | 1u << 11;   // SCE LME LMA NXE

void check_cr(Ctx& c, R r, uint32_t enc, FixedCheck f, const char* fixed0)
{
    if (!f.ok)
        hint_fixed(c.add(r, enc), field_name(enc), c[enc], f.must_be_one, f.must_be_zero, fixed0);
}

void check_control_regs(Ctx& c)
{
    check_cr(c, R::host_cr0, HOST_CR0, check_cr0(c.s.caps, c[HOST_CR0]), "IA32_VMX_CR0_FIXED0/1");
    check_cr(c, R::host_cr4, HOST_CR4, check_cr4(c.s.caps, c[HOST_CR4]), "IA32_VMX_CR4_FIXED0/1");
    if (beyond_width(c.s, c[HOST_CR3]))
        c.add(R::host_cr3, HOST_CR3).str("HOST_CR3 ").hex(c[HOST_CR3]).str(" sets bits beyond "
            "the ").dec(phys_width(c.s)).str("-bit physical-address width -- write the PML4 "
            "address the host runs on (read CR3)");
    const uint32_t sysenter[] = {HOST_IA32_SYSENTER_ESP, HOST_IA32_SYSENTER_EIP};
    for (uint32_t enc : sysenter)
        if (!canonical(c.s, c[enc])) {
            c.add(R::host_sysenter, enc).str(field_name(enc)).chr(' ').hex(c[enc])
                .str(" is not canonical -- write 0 or the host's MSR value");
            break;
        }
    unsigned bad = 0;
    if (bit(c.exit, x_load_pat) && !pat_valid(c[HOST_IA32_PAT], &bad))
        c.add(R::host_pat, HOST_IA32_PAT).str("HOST_IA32_PAT ").hex(c[HOST_IA32_PAT])
            .str(" byte ").dec(bad).str(" is not a memory type (2, 3 and 8+ are reserved) -- the "
            "power-on value is 0x0007040600070406");
    if (!bit(c.exit, x_load_efer))
        return;
    uint64_t efer = c[HOST_IA32_EFER];
    bool host64 = bit(c.exit, x_host64);
    if (efer & ~kEferDefined)
        c.add(R::host_efer_reserved, HOST_IA32_EFER).str("HOST_IA32_EFER ").hex(efer)
            .str(" sets reserved bits ").hex(efer & ~kEferDefined).str(" -- write ")
            .hex(efer & kEferDefined);
    else if (bit(efer, 10) != host64 || bit(efer, 8) != host64)
        c.add(R::host_efer_lma, HOST_IA32_EFER, VM_EXIT_CONTROLS).str("HOST_IA32_EFER ").hex(efer)
            .str(" has LME = ").dec(bit(efer, 8)).str(" and LMA = ").dec(bit(efer, 10))
            .str(" but host address-space size (VM_EXIT_CONTROLS bit 9) is ").dec(host64)
            .str(" -- write ").hex(host64 ? efer | 0x500 : efer & ~0x500ull);
}

void check_selectors(Ctx& c)
{
    const uint32_t sels[] = {HOST_ES_SELECTOR, HOST_CS_SELECTOR, HOST_SS_SELECTOR,
                             HOST_DS_SELECTOR, HOST_FS_SELECTOR, HOST_GS_SELECTOR, HOST_TR_SELECTOR};
    for (uint32_t enc : sels)
        if (c[enc] & 7) {
            c.add(R::host_sel_rpl_ti, enc).str(field_name(enc)).chr(' ').hex(c[enc])
                .str(" has RPL ").dec(c[enc] & 3).str(" and TI ").dec((c[enc] >> 2) & 1)
                .str("; the host runs at CPL 0 from the GDT -- write ").hex(c[enc] & ~7ull);
            break;
        }
    if (c[HOST_CS_SELECTOR] == 0)
        c.add(R::host_cs_null, HOST_CS_SELECTOR).str("HOST_CS_SELECTOR is 0 (null) -- write the "
            "host's code selector (read CS)");
    if (c[HOST_TR_SELECTOR] == 0)
        c.add(R::host_tr_null, HOST_TR_SELECTOR).str("HOST_TR_SELECTOR is 0 (null) -- write the "
            "host's task register selector (STR)");
    if (!bit(c.exit, x_host64) && c[HOST_SS_SELECTOR] == 0)
        c.add(R::host_ss_null, HOST_SS_SELECTOR, VM_EXIT_CONTROLS).str("HOST_SS_SELECTOR is 0 "
            "and the host is not 64-bit (VM_EXIT_CONTROLS bit 9 = 0) -- write a data selector");
    const uint32_t bases[] = {HOST_FS_BASE, HOST_GS_BASE, HOST_GDTR_BASE, HOST_IDTR_BASE,
                              HOST_TR_BASE};
    for (uint32_t enc : bases)
        if (!canonical(c.s, c[enc])) {
            c.add(R::host_base, enc).str(field_name(enc)).chr(' ').hex(c[enc]).str(" is not "
                "canonical -- write the host's real base");
            break;
        }
}

void check_address_space(Ctx& c)
{
    bool host64 = bit(c.exit, x_host64), ia32e = bit(c.entry, n_ia32e);
    if (host64 != c.s.host_efer_lma || (!c.s.host_efer_lma && ia32e))
        c.add(R::host_lma, VM_EXIT_CONTROLS, VM_ENTRY_CONTROLS).str("IA32_EFER.LMA is ")
            .dec(c.s.host_efer_lma).str(" at entry but host address-space size (VM_EXIT_CONTROLS "
            "bit 9) is ").dec(host64).str(host64 != c.s.host_efer_lma ? "" : " and IA-32e mode "
            "guest is 1").str(" -- write VM_EXIT_CONTROLS bit 9 = ").dec(c.s.host_efer_lma);
    uint64_t cr4 = c[HOST_CR4], rip = c[HOST_RIP];
    if (host64) {
        if (!bit(cr4, 5))
            c.add(R::host_pae, HOST_CR4).str("HOST_CR4 ").hex(cr4).str(" has PAE = 0 for a 64-bit"
                " host -- write ").hex(cr4 | 0x20);
        if (!canonical(c.s, rip))
            c.add(R::host_rip, HOST_RIP).str("HOST_RIP ").hex(rip).str(" is not canonical -- "
                "write the address of the host's VM-exit handler");
    } else if (bit(cr4, 17) || (rip >> 32)) {
        c.add(R::host_rip, HOST_RIP, HOST_CR4).str("a 32-bit host needs HOST_CR4.PCIDE = 0 "
            "(is ").dec(bit(cr4, 17)).str(") and HOST_RIP bits 63:32 = 0 (HOST_RIP ").hex(rip)
            .chr(')');
    }
}

} // namespace

void check_host(Ctx& c)
{
    check_control_regs(c);
    check_selectors(c);
    check_address_space(c);
}

} // namespace vmx::entry
