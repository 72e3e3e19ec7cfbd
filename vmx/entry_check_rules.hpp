// The rule table of the VM-entry checker as one X-macro list, so that the enum the checks use,
// the table rules() returns and docs/entry-checks.md are one list. Internal to vmx/entry_check*.
// Row: X(enumerator, "id", "SDM section", Area, "the rule in words")
// Sections: Intel SDM order number 325462-080US (June 2023), see docs/sdm.md. Rows are in the
// order the processor checks (chapter 27: controls 27.2.1, host state 27.2.2-27.2.4, guest state
// 27.3.1, MSR loading 27.4), then the VM-exit conditions that end in a VMX abort (28.4, 28.6, 28.7).
#pragma once

#define VMXLAB_ENTRY_RULES_CONTROLS(X) \
    X(ctl_pin, "controls.pin", "27.2.1.1", Controls, "PIN_BASED_VM_EXEC_CONTROL has every bit IA32_VMX_(TRUE_)PINBASED_CTLS requires and none it forbids") \
    X(ctl_proc, "controls.proc", "27.2.1.1", Controls, "CPU_BASED_VM_EXEC_CONTROL has every bit IA32_VMX_(TRUE_)PROCBASED_CTLS requires and none it forbids") \
    X(ctl_proc2, "controls.proc2", "27.2.1.1", Controls, "when activated, SECONDARY_VM_EXEC_CONTROL sets only bits IA32_VMX_PROCBASED_CTLS2 allows") \
    X(ctl_proc3, "controls.proc3", "27.2.1.1", Controls, "when activated, TERTIARY_VM_EXEC_CONTROL sets only bits IA32_VMX_PROCBASED_CTLS3 allows") \
    X(ctl_cr3_count, "controls.cr3_target_count", "27.2.1.1", Controls, "CR3_TARGET_COUNT is at most IA32_VMX_MISC[24:16]") \
    X(ctl_io_bitmaps, "controls.io_bitmaps", "27.2.1.1", Controls, "with \"use I/O bitmaps\", IO_BITMAP_A and IO_BITMAP_B are 4-KByte aligned and within the physical-address width") \
    X(ctl_msr_bitmap, "controls.msr_bitmap", "27.2.1.1", Controls, "with \"use MSR bitmaps\", MSR_BITMAP is 4-KByte aligned and within the physical-address width") \
    X(ctl_vapic_addr, "controls.tpr_shadow.address", "27.2.1.1", Controls, "with \"use TPR shadow\", VIRTUAL_APIC_PAGE_ADDR is 4-KByte aligned and within the physical-address width") \
    X(ctl_tpr_reserved, "controls.tpr_shadow.threshold", "27.2.1.1", Controls, "with \"use TPR shadow\" and without \"virtual-interrupt delivery\", TPR_THRESHOLD bits 31:4 are 0") \
    X(ctl_tpr_vtpr, "controls.tpr_shadow.vtpr", "27.2.1.1", Controls, "with \"use TPR shadow\", without \"virtualize APIC accesses\" and \"virtual-interrupt delivery\", TPR_THRESHOLD[3:0] is at most VTPR[7:4] (byte 0x80 of the virtual-APIC page)") \
    X(ctl_no_tpr_shadow, "controls.tpr_shadow.needed", "27.2.1.1", Controls, "without \"use TPR shadow\", \"virtualize x2APIC mode\", \"APIC-register virtualization\" and \"virtual-interrupt delivery\" are 0") \
    X(ctl_virtual_nmis, "controls.virtual_nmis", "27.2.1.1", Controls, "without \"NMI exiting\", \"virtual NMIs\" is 0") \
    X(ctl_nmi_window, "controls.nmi_window", "27.2.1.1", Controls, "without \"virtual NMIs\", \"NMI-window exiting\" is 0") \
    X(ctl_apic_access, "controls.apic_access.address", "27.2.1.1", Controls, "with \"virtualize APIC accesses\", APIC_ACCESS_ADDR is 4-KByte aligned and within the physical-address width") \
    X(ctl_x2apic, "controls.x2apic", "27.2.1.1", Controls, "with \"virtualize x2APIC mode\", \"virtualize APIC accesses\" is 0") \
    X(ctl_vid, "controls.virtual_intr_delivery", "27.2.1.1", Controls, "with \"virtual-interrupt delivery\", \"external-interrupt exiting\" is 1") \
    X(ctl_posted, "controls.posted_intr", "27.2.1.1", Controls, "with \"process posted interrupts\", \"virtual-interrupt delivery\" and the VM-exit control \"acknowledge interrupt on exit\" are 1") \
    X(ctl_posted_nv, "controls.posted_intr.vector", "27.2.1.1", Controls, "with \"process posted interrupts\", POSTED_INTR_NV bits 15:8 are 0") \
    X(ctl_posted_desc, "controls.posted_intr.descriptor", "27.2.1.1", Controls, "with \"process posted interrupts\", POSTED_INTR_DESC_ADDR is 64-byte aligned and within the physical-address width") \
    X(ctl_vpid, "controls.vpid", "27.2.1.1", Controls, "with \"enable VPID\", VIRTUAL_PROCESSOR_ID is not 0") \
    X(ctl_ept_memtype, "controls.eptp.memory_type", "27.2.1.1", Controls, "with \"enable EPT\", EPT_POINTER bits 2:0 are a memory type IA32_VMX_EPT_VPID_CAP supports (0 UC: bit 8, 6 WB: bit 14)") \
    X(ctl_ept_walk, "controls.eptp.walk_length", "27.2.1.1", Controls, "with \"enable EPT\", EPT_POINTER bits 5:3 are 3 (4 levels, IA32_VMX_EPT_VPID_CAP[6]) or 4 (5 levels, bit 7)") \
    X(ctl_ept_ad, "controls.eptp.accessed_dirty", "27.2.1.1", Controls, "with \"enable EPT\", EPT_POINTER bit 6 is 0 unless IA32_VMX_EPT_VPID_CAP[21] reports accessed/dirty flags") \
    X(ctl_ept_reserved, "controls.eptp.reserved", "27.2.1.1", Controls, "with \"enable EPT\", EPT_POINTER bits 11:8, bit 7 (unless the CPU has CET shadow stacks) and the bits beyond the physical-address width are 0") \
    X(ctl_pml, "controls.pml", "27.2.1.1", Controls, "with \"enable PML\", \"enable EPT\" is 1 and PML_ADDRESS is 4-KByte aligned and within the physical-address width") \
    X(ctl_unrestricted, "controls.unrestricted_guest", "27.2.1.1", Controls, "with \"unrestricted guest\", \"enable EPT\" is 1") \
    X(ctl_mbec, "controls.mode_based_ept", "27.2.1.1", Controls, "with \"mode-based execute control for EPT\", \"enable EPT\" is 1") \
    X(ctl_vmfunc, "controls.vmfunc", "27.2.1.1", Controls, "with \"enable VM functions\", VM_FUNCTION_CONTROL sets only bits IA32_VMX_VMFUNC allows") \
    X(ctl_eptp_list, "controls.vmfunc.eptp_list", "27.2.1.1", Controls, "with EPTP switching, \"enable EPT\" is 1 and EPTP_LIST_ADDRESS is 4-KByte aligned and within the physical-address width") \
    X(ctl_shadow_vmcs, "controls.vmcs_shadowing", "27.2.1.1", Controls, "with \"VMCS shadowing\", VMREAD_BITMAP and VMWRITE_BITMAP are 4-KByte aligned and within the physical-address width") \
    X(ctl_ve, "controls.ept_violation_ve", "27.2.1.1", Controls, "with \"EPT-violation #VE\", VE_INFORMATION_ADDRESS is 4-KByte aligned and within the physical-address width") \
    X(ctl_exit, "controls.exit", "27.2.1.2", Controls, "VM_EXIT_CONTROLS has every bit IA32_VMX_(TRUE_)EXIT_CTLS requires and none it forbids") \
    X(ctl_exit_timer, "controls.exit.save_preemption_timer", "27.2.1.2", Controls, "without \"activate VMX-preemption timer\", \"save VMX-preemption timer value\" is 0") \
    X(ctl_exit_store, "controls.exit.msr_store", "27.2.1.2", Controls, "with VM_EXIT_MSR_STORE_COUNT > 0, VM_EXIT_MSR_STORE_ADDR is 16-byte aligned and the area lies within the physical-address width") \
    X(ctl_exit_load, "controls.exit.msr_load", "27.2.1.2", Controls, "with VM_EXIT_MSR_LOAD_COUNT > 0, VM_EXIT_MSR_LOAD_ADDR is 16-byte aligned and the area lies within the physical-address width") \
    X(ctl_entry, "controls.entry", "27.2.1.3", Controls, "VM_ENTRY_CONTROLS has every bit IA32_VMX_(TRUE_)ENTRY_CTLS requires and none it forbids") \
    X(ctl_inj_type, "controls.entry.inject.type", "27.2.1.3", Controls, "a valid VM_ENTRY_INTR_INFO_FIELD has type 0, 2-6, or 7 only if the CPU supports the monitor trap flag") \
    X(ctl_inj_vector, "controls.entry.inject.vector", "27.2.1.3", Controls, "an injected NMI has vector 2, a hardware exception vector 0-31, an \"other event\" vector 0") \
    X(ctl_inj_ec, "controls.entry.inject.deliver_error_code", "27.2.1.3", Controls, "deliver-error-code (bit 11) is 1 exactly for hardware exceptions 8, 10-14, 17 (and 21 with CET), unless an unrestricted guest has CR0.PE = 0 (then never); with IA32_VMX_BASIC[56] any hardware exception may have one") \
    X(ctl_inj_ec_bits, "controls.entry.inject.error_code", "27.2.1.3", Controls, "when an error code is delivered, VM_ENTRY_EXCEPTION_ERROR_CODE bits 31:16 are 0") \
    X(ctl_inj_reserved, "controls.entry.inject.reserved", "27.2.1.3", Controls, "a valid VM_ENTRY_INTR_INFO_FIELD has bits 30:12 clear") \
    X(ctl_inj_length, "controls.entry.inject.length", "27.2.1.3", Controls, "a software interrupt or (privileged) software exception has VM_ENTRY_INSTRUCTION_LEN 1-15 (0 allowed only if IA32_VMX_MISC[30])") \
    X(ctl_entry_load, "controls.entry.msr_load", "27.2.1.3", Controls, "with VM_ENTRY_MSR_LOAD_COUNT > 0, VM_ENTRY_MSR_LOAD_ADDR is 16-byte aligned and the area lies within the physical-address width") \
    X(ctl_entry_smm, "controls.entry.smm", "27.2.1.3", Controls, "outside SMM, \"entry to SMM\" and \"deactivate dual-monitor treatment\" are 0")

#define VMXLAB_ENTRY_RULES_HOST(X) \
    X(host_cr0, "host.cr0.fixed", "27.2.2", Host, "HOST_CR0 has the bits IA32_VMX_CR0_FIXED0 requires and none IA32_VMX_CR0_FIXED1 forbids") \
    X(host_cr4, "host.cr4.fixed", "27.2.2", Host, "HOST_CR4 has the bits IA32_VMX_CR4_FIXED0 requires and none IA32_VMX_CR4_FIXED1 forbids") \
    X(host_cr3, "host.cr3.width", "27.2.2", Host, "HOST_CR3 sets no bit beyond the physical-address width") \
    X(host_sysenter, "host.sysenter.canonical", "27.2.2", Host, "HOST_IA32_SYSENTER_ESP and HOST_IA32_SYSENTER_EIP are canonical") \
    X(host_pat, "host.pat", "27.2.2", Host, "with \"load IA32_PAT\", every byte of HOST_IA32_PAT is a valid memory type (0, 1, 4, 5, 6, 7)") \
    X(host_efer_reserved, "host.efer.reserved", "27.2.2", Host, "with \"load IA32_EFER\", HOST_IA32_EFER has only bits 0, 8, 10, 11 (SCE, LME, LMA, NXE) set") \
    X(host_efer_lma, "host.efer.lma", "27.2.2", Host, "with \"load IA32_EFER\", HOST_IA32_EFER.LMA and .LME both equal \"host address-space size\"") \
    X(host_sel_rpl_ti, "host.selector.rpl_ti", "27.2.3", Host, "HOST_ES/CS/SS/DS/FS/GS/TR_SELECTOR have RPL 0 and TI 0") \
    X(host_cs_null, "host.cs.null", "27.2.3", Host, "HOST_CS_SELECTOR is not 0") \
    X(host_tr_null, "host.tr.null", "27.2.3", Host, "HOST_TR_SELECTOR is not 0") \
    X(host_ss_null, "host.ss.null", "27.2.3", Host, "HOST_SS_SELECTOR is not 0 when \"host address-space size\" is 0") \
    X(host_base, "host.base.canonical", "27.2.3", Host, "HOST_FS_BASE, HOST_GS_BASE, HOST_GDTR_BASE, HOST_IDTR_BASE and HOST_TR_BASE are canonical") \
    X(host_lma, "host.address_space.lma", "27.2.4", Host, "\"host address-space size\" equals IA32_EFER.LMA at the time of entry, and outside IA-32e mode \"IA-32e mode guest\" is 0") \
    X(host_pae, "host.address_space.pae", "27.2.4", Host, "with \"host address-space size\", HOST_CR4.PAE is 1") \
    X(host_rip, "host.address_space.rip", "27.2.4", Host, "with \"host address-space size\", HOST_RIP is canonical; without it, HOST_CR4.PCIDE is 0 and HOST_RIP bits 63:32 are 0")

#define VMXLAB_ENTRY_RULES(X) \
    VMXLAB_ENTRY_RULES_CONTROLS(X) \
    VMXLAB_ENTRY_RULES_HOST(X) \
    VMXLAB_ENTRY_RULES_GUEST(X) \
    VMXLAB_ENTRY_RULES_MSR(X)

#include "vmx/entry_check_rules_guest.hpp"
