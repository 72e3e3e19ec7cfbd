// SDM 27.2.1.1: the checks VM entry makes on the VM-execution control fields. A failure is
// VMfailValid with VM-instruction error 7.
#include "vmx/entry_check_internal.hpp"

namespace vmx::entry {
namespace {

using namespace vmx::vmcs;
using namespace bits;

void check_words(Ctx& c)
{
    check_control_word(c, R::ctl_pin, ControlKind::Pin, PIN_BASED_VM_EXEC_CONTROL, c.pin);
    check_control_word(c, R::ctl_proc, ControlKind::Primary, CPU_BASED_VM_EXEC_CONTROL, c.proc);
    // 25.6.2: without "activate secondary/tertiary controls" those words count as 0.
    if (bit(c.proc, p_secondary))
        check_control_word(c, R::ctl_proc2, ControlKind::Secondary, SECONDARY_VM_EXEC_CONTROL,
                           c.proc2);
    if (bit(c.proc, p_tertiary))
        check_control_word(c, R::ctl_proc3, ControlKind::Tertiary, TERTIARY_VM_EXEC_CONTROL,
                           c.proc3);
    uint64_t misc = 0;
    caps_msr(c.s.caps, IA32_VMX_MISC, &misc);
    unsigned max_targets = decode_misc(misc).cr3_target_count;
    if (c[CR3_TARGET_COUNT] > max_targets)
        c.add(R::ctl_cr3_count, CR3_TARGET_COUNT).str("CR3_TARGET_COUNT ").dec(c[CR3_TARGET_COUNT])
            .str(" exceeds the ").dec(max_targets).str(" CR3-target values IA32_VMX_MISC[24:16] "
            "reports -- write at most ").dec(max_targets);
}

void check_bitmaps(Ctx& c)
{
    if (bit(c.proc, p_io_bitmaps) && check_address(c, R::ctl_io_bitmaps, IO_BITMAP_A, 4096, "4-KByte"))
        check_address(c, R::ctl_io_bitmaps, IO_BITMAP_B, 4096, "4-KByte");
    if (bit(c.proc, p_msr_bitmaps))
        check_address(c, R::ctl_msr_bitmap, MSR_BITMAP, 4096, "4-KByte");
}

void check_tpr(Ctx& c)
{
    bool vid = bit(c.proc2, s_vid);
    if (!bit(c.proc, p_tpr_shadow)) {
        if (bit(c.proc2, s_x2apic) || bit(c.proc2, s_apic_reg) || vid)
            c.add(R::ctl_no_tpr_shadow, CPU_BASED_VM_EXEC_CONTROL, SECONDARY_VM_EXEC_CONTROL)
                .str("SECONDARY_VM_EXEC_CONTROL ").hex(c.proc2).str(" sets virtualize x2APIC mode "
                "(bit 4), APIC-register virtualization (bit 8) or virtual-interrupt delivery "
                "(bit 9), which need CPU_BASED_TPR_SHADOW (bit 21) -- clear them or set bit 21");
        return;
    }
    if (!check_address(c, R::ctl_vapic_addr, VIRTUAL_APIC_PAGE_ADDR, 4096, "4-KByte") || vid)
        return;
    uint64_t tpr = c[TPR_THRESHOLD];
    if (tpr >> 4) {
        c.add(R::ctl_tpr_reserved, TPR_THRESHOLD).str("TPR_THRESHOLD ").hex(tpr)
            .str(" sets bits 31:4 -- write ").hex(tpr & 0xF);
        return;
    }
    uint8_t vtpr = 0;
    if (bit(c.proc2, s_apic_access) || !c.s.read ||
        !c.s.read(c.s.read_ctx, c[VIRTUAL_APIC_PAGE_ADDR] + 0x80, &vtpr, 1))
        return;
    if ((tpr & 0xF) > (vtpr >> 4u))
        c.add(R::ctl_tpr_vtpr, TPR_THRESHOLD, VIRTUAL_APIC_PAGE_ADDR).str("TPR_THRESHOLD ")
            .dec(tpr).str(" exceeds VTPR[7:4] = ").dec(vtpr >> 4u).str(" (byte 0x80 of the "
            "virtual-APIC page holds ").hex(vtpr).str(") -- write TPR_THRESHOLD ").dec(vtpr >> 4u)
            .str(" or less");
}

void check_nmi_apic(Ctx& c)
{
    if (!bit(c.pin, pin_nmi) && bit(c.pin, pin_vnmi))
        c.add(R::ctl_virtual_nmis, PIN_BASED_VM_EXEC_CONTROL).str("PIN_BASED_VM_EXEC_CONTROL ")
            .hex(c.pin).str(" sets PIN_BASED_VIRTUAL_NMIS (bit 5) without PIN_BASED_NMI_EXITING "
            "(bit 3) -- write ").hex(c.pin | 8);
    if (!bit(c.pin, pin_vnmi) && bit(c.proc, p_nmi_window))
        c.add(R::ctl_nmi_window, PIN_BASED_VM_EXEC_CONTROL, CPU_BASED_VM_EXEC_CONTROL)
            .str("CPU_BASED_VM_EXEC_CONTROL ").hex(c.proc).str(" sets CPU_BASED_NMI_WINDOW_EXITING"
            " (bit 22) without PIN_BASED_VIRTUAL_NMIS -- write ").hex(c.proc & ~(1ull << 22));
    if (bit(c.proc2, s_apic_access))
        check_address(c, R::ctl_apic_access, APIC_ACCESS_ADDR, 4096, "4-KByte");
    if (bit(c.proc2, s_x2apic) && bit(c.proc2, s_apic_access))
        c.add(R::ctl_x2apic, SECONDARY_VM_EXEC_CONTROL).str("SECONDARY_VM_EXEC_CONTROL ")
            .hex(c.proc2).str(" sets both virtualize x2APIC mode (bit 4) and virtualize APIC "
            "accesses (bit 0) -- clear one");
    if (bit(c.proc2, s_vid) && !bit(c.pin, pin_ext_intr))
        c.add(R::ctl_vid, PIN_BASED_VM_EXEC_CONTROL, SECONDARY_VM_EXEC_CONTROL)
            .str("virtual-interrupt delivery (SECONDARY_VM_EXEC_CONTROL bit 9) needs external-"
            "interrupt exiting -- write PIN_BASED_VM_EXEC_CONTROL ").hex(c.pin | 1);
}

void check_posted(Ctx& c)
{
    if (!bit(c.pin, pin_posted))
        return;
    if (!bit(c.proc2, s_vid) || !bit(c.exit, x_ack))
        c.add(R::ctl_posted, PIN_BASED_VM_EXEC_CONTROL, SECONDARY_VM_EXEC_CONTROL, VM_EXIT_CONTROLS)
            .str("PIN_BASED_POSTED_INTR (bit 7) needs virtual-interrupt delivery "
            "(SECONDARY_VM_EXEC_CONTROL bit 9, now ").dec(bit(c.proc2, s_vid)).str(") and "
            "VM_EXIT_ACK_INTR_ON_EXIT (VM_EXIT_CONTROLS bit 15, now ").dec(bit(c.exit, x_ack))
            .str(") -- set both, or write PIN_BASED_VM_EXEC_CONTROL ").hex(c.pin & ~0x80ull);
    uint64_t nv = c[POSTED_INTR_NV];
    if (nv >> 8)
        c.add(R::ctl_posted_nv, POSTED_INTR_NV).str("POSTED_INTR_NV ").hex(nv)
            .str(" sets bits 15:8 -- a vector is 0-255: write ").hex(nv & 0xFF);
    check_address(c, R::ctl_posted_desc, POSTED_INTR_DESC_ADDR, 64, "64-byte");
}

void check_ept(Ctx& c)
{
    uint64_t eptp = c[EPT_POINTER];
    uint64_t capv = 0;
    caps_msr(c.s.caps, IA32_VMX_EPT_VPID_CAP, &capv);
    EptVpidCaps cap = decode_ept_vpid(capv);
    unsigned mt = eptp & 7, walk = (eptp >> 3) & 7;
    uint64_t good_mt = cap.memtype_wb ? 6 : 0;
    if (!((mt == 0 && cap.memtype_uc) || (mt == 6 && cap.memtype_wb)))
        c.add(R::ctl_ept_memtype, EPT_POINTER).str("EPT_POINTER ").hex(eptp).str(" has memory "
            "type ").dec(mt).str("; this CPU supports").str(cap.memtype_uc ? " 0 (UC)" : "")
            .str(cap.memtype_wb ? " 6 (WB)" : "").str(" -- write ").hex((eptp & ~7ull) | good_mt);
    if (!((walk == 3 && cap.walk_length_4) || (walk == 4 && cap.walk_length_5)))
        c.add(R::ctl_ept_walk, EPT_POINTER).str("EPT_POINTER ").hex(eptp).str(" has bits 5:3 = ")
            .dec(walk).str(" (page-walk length ").dec(walk + 1).str("); a 4-level walk needs 3 "
            "-- write ").hex((eptp & ~0x38ull) | 0x18);
    if (bit(eptp, 6) && !cap.accessed_dirty)
        c.add(R::ctl_ept_ad, EPT_POINTER).str("EPT_POINTER ").hex(eptp).str(" sets bit 6 "
            "(accessed/dirty flags) but IA32_VMX_EPT_VPID_CAP[21] is 0 -- write ")
            .hex(eptp & ~0x40ull);
    uint64_t reserved = c.s.cet_ss ? 0xF00 : 0xF80;   // bit 7: supervisor shadow-stack control
    if ((eptp & reserved) || beyond_width(c.s, eptp))
        c.add(R::ctl_ept_reserved, EPT_POINTER).str("EPT_POINTER ").hex(eptp).str(" sets "
            "reserved bits (11:8, 7 without CET shadow stacks, or beyond the ").dec(phys_width(c.s))
            .str("-bit physical-address width) -- the PML4 table address goes in bits ")
            .dec(phys_width(c.s) - 1).str(":12");
}

void check_secondary(Ctx& c)
{
    if (bit(c.proc2, s_vpid) && c[VIRTUAL_PROCESSOR_ID] == 0)
        c.add(R::ctl_vpid, VIRTUAL_PROCESSOR_ID).str("VIRTUAL_PROCESSOR_ID is 0 with enable VPID "
            "(SECONDARY_VM_EXEC_CONTROL bit 5); VPID 0 is the host's -- write 1");
    if (bit(c.proc2, s_ept))
        check_ept(c);
    if (bit(c.proc2, s_pml)) {
        if (!bit(c.proc2, s_ept))
            c.add(R::ctl_pml, SECONDARY_VM_EXEC_CONTROL).str("enable PML (bit 17) needs enable "
                "EPT (bit 1) in SECONDARY_VM_EXEC_CONTROL ").hex(c.proc2);
        else
            check_address(c, R::ctl_pml, PML_ADDRESS, 4096, "4-KByte");
    }
    if (bit(c.proc2, s_unrestricted) && !bit(c.proc2, s_ept))
        c.add(R::ctl_unrestricted, SECONDARY_VM_EXEC_CONTROL).str("SECONDARY_VM_EXEC_CONTROL ")
            .hex(c.proc2).str(" sets unrestricted guest (bit 7) without enable EPT (bit 1) -- "
            "set up EPT and write ").hex(c.proc2 | 2);
    if (bit(c.proc2, s_mbec) && !bit(c.proc2, s_ept))
        c.add(R::ctl_mbec, SECONDARY_VM_EXEC_CONTROL).str("SECONDARY_VM_EXEC_CONTROL ").hex(c.proc2)
            .str(" sets mode-based execute control (bit 22) without enable EPT (bit 1) -- write ")
            .hex(c.proc2 & ~(1ull << 22)).str(" or set up EPT");
    if (bit(c.proc2, s_vmfunc)) {
        uint64_t allowed = 0, vmf = c[VM_FUNCTION_CONTROL];
        caps_msr(c.s.caps, 0x491, &allowed);
        if (vmf & ~allowed)
            c.add(R::ctl_vmfunc, VM_FUNCTION_CONTROL).str("VM_FUNCTION_CONTROL ").hex(vmf)
                .str(" sets bits ").hex(vmf & ~allowed).str(" IA32_VMX_VMFUNC does not allow -- "
                "write ").hex(vmf & allowed);
        else if (bit(vmf, 0) && !bit(c.proc2, s_ept))
            c.add(R::ctl_eptp_list, SECONDARY_VM_EXEC_CONTROL, VM_FUNCTION_CONTROL)
                .str("EPTP switching (VM_FUNCTION_CONTROL bit 0) needs enable EPT");
        else if (bit(vmf, 0))
            check_address(c, R::ctl_eptp_list, EPTP_LIST_ADDRESS, 4096, "4-KByte");
    }
    if (bit(c.proc2, s_shadow) && check_address(c, R::ctl_shadow_vmcs, VMREAD_BITMAP, 4096, "4-KByte"))
        check_address(c, R::ctl_shadow_vmcs, VMWRITE_BITMAP, 4096, "4-KByte");
    if (bit(c.proc2, s_ve))
        check_address(c, R::ctl_ve, VE_INFORMATION_ADDRESS, 4096, "4-KByte");
}

} // namespace

void check_controls(Ctx& c)
{
    check_words(c);
    check_bitmaps(c);
    check_tpr(c);
    check_nmi_apic(c);
    check_posted(c);
    check_secondary(c);
    check_entry_controls(c);
}

} // namespace vmx::entry
