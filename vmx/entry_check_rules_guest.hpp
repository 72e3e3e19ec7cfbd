// The guest-state, MSR-loading and VMX-abort rows of the rule table (see entry_check_rules.hpp).
#pragma once

#define VMXLAB_ENTRY_RULES_GUEST(X) \
    X(g_cr0, "guest.cr0.fixed", "27.3.1.1", Guest, "GUEST_CR0 has the bits IA32_VMX_CR0_FIXED0 requires (PE and PG exempt with \"unrestricted guest\") and none IA32_VMX_CR0_FIXED1 forbids") \
    X(g_cr0_pg_pe, "guest.cr0.pg_without_pe", "27.3.1.1", Guest, "GUEST_CR0.PG = 1 needs GUEST_CR0.PE = 1") \
    X(g_cr4, "guest.cr4.fixed", "27.3.1.1", Guest, "GUEST_CR4 has the bits IA32_VMX_CR4_FIXED0 requires and none IA32_VMX_CR4_FIXED1 forbids") \
    X(g_debugctl, "guest.debugctl", "27.3.1.1", Guest, "with \"load debug controls\", GUEST_IA32_DEBUGCTL sets no reserved bit") \
    X(g_ia32e_paging, "guest.ia32e.paging", "27.3.1.1", Guest, "an IA-32e mode guest has GUEST_CR0.PG = 1 and GUEST_CR4.PAE = 1") \
    X(g_pcide, "guest.cr4.pcide", "27.3.1.1", Guest, "outside IA-32e mode, GUEST_CR4.PCIDE is 0") \
    X(g_cr3, "guest.cr3.width", "27.3.1.1", Guest, "GUEST_CR3 sets no bit beyond the physical-address width") \
    X(g_dr7, "guest.dr7", "27.3.1.1", Guest, "with \"load debug controls\", GUEST_DR7 bits 63:32 are 0") \
    X(g_sysenter, "guest.sysenter.canonical", "27.3.1.1", Guest, "GUEST_SYSENTER_ESP and GUEST_SYSENTER_EIP are canonical") \
    X(g_pat, "guest.pat", "27.3.1.1", Guest, "with \"load IA32_PAT\", every byte of GUEST_IA32_PAT is a valid memory type (0, 1, 4, 5, 6, 7)") \
    X(g_efer_reserved, "guest.efer.reserved", "27.3.1.1", Guest, "with \"load IA32_EFER\", GUEST_IA32_EFER has only bits 0, 8, 10, 11 (SCE, LME, LMA, NXE) set") \
    X(g_efer_lma, "guest.efer.lma", "27.3.1.1", Guest, "with \"load IA32_EFER\", GUEST_IA32_EFER.LMA equals \"IA-32e mode guest\", and with CR0.PG = 1 LME equals LMA") \
    X(g_tr_ti, "guest.tr.ti", "27.3.1.2", Guest, "GUEST_TR_SELECTOR has TI = 0") \
    X(g_ldtr_ti, "guest.ldtr.ti", "27.3.1.2", Guest, "a usable LDTR has TI = 0 in GUEST_LDTR_SELECTOR") \
    X(g_ss_rpl, "guest.ss.rpl", "27.3.1.2", Guest, "outside virtual-8086 mode and without \"unrestricted guest\", SS.RPL equals CS.RPL") \
    X(g_v86_base, "guest.v86.base", "27.3.1.2", Guest, "in virtual-8086 mode, the CS/SS/DS/ES/FS/GS base is the selector times 16") \
    X(g_v86_limit, "guest.v86.limit", "27.3.1.2", Guest, "in virtual-8086 mode, the CS/SS/DS/ES/FS/GS limit is 0xFFFF") \
    X(g_v86_ar, "guest.v86.access_rights", "27.3.1.2", Guest, "in virtual-8086 mode, the CS/SS/DS/ES/FS/GS access rights are 0xF3") \
    X(g_base_canonical, "guest.base.canonical", "27.3.1.2", Guest, "the TR, FS and GS bases, and a usable LDTR's, are canonical") \
    X(g_base_high, "guest.base.high", "27.3.1.2", Guest, "the CS base, and a usable SS/DS/ES base, has bits 63:32 = 0") \
    X(g_cs_type, "guest.cs.type", "27.3.1.2", Guest, "the CS type is 9, 11, 13 or 15 (accessed code), or 3 with \"unrestricted guest\"") \
    X(g_ss_type, "guest.ss.type", "27.3.1.2", Guest, "a usable SS has type 3 or 7 (read/write accessed data)") \
    X(g_data_type, "guest.data.type", "27.3.1.2", Guest, "a usable DS/ES/FS/GS has the accessed bit set, and is readable if it is code") \
    X(g_seg_s, "guest.segment.s", "27.3.1.2", Guest, "CS and every usable SS/DS/ES/FS/GS has S = 1 (code or data)") \
    X(g_cs_dpl, "guest.cs.dpl", "27.3.1.2", Guest, "CS.DPL is 0 for type 3, equals SS.DPL for types 9/11, is at most SS.DPL for types 13/15") \
    X(g_ss_dpl, "guest.ss.dpl", "27.3.1.2", Guest, "without \"unrestricted guest\", SS.DPL equals SS.RPL") \
    X(g_ss_dpl_real, "guest.ss.dpl_real", "27.3.1.2", Guest, "SS.DPL is 0 when CS has type 3 or GUEST_CR0.PE is 0") \
    X(g_data_dpl, "guest.data.dpl", "27.3.1.2", Guest, "without \"unrestricted guest\", a usable DS/ES/FS/GS of type 0-11 has DPL >= RPL") \
    X(g_seg_p, "guest.segment.present", "27.3.1.2", Guest, "CS and every usable SS/DS/ES/FS/GS has P = 1") \
    X(g_seg_reserved, "guest.segment.reserved", "27.3.1.2", Guest, "CS and every usable SS/DS/ES/FS/GS has access-rights bits 11:8 and 31:17 clear") \
    X(g_cs_l_db, "guest.cs.l_and_db", "27.3.1.2", Guest, "in an IA-32e mode guest, CS with L = 1 has D/B = 0") \
    X(g_seg_g, "guest.segment.granularity", "27.3.1.2", Guest, "CS and every usable SS/DS/ES/FS/GS: limit bits 11:0 not all 1 needs G = 0, limit bits 31:20 not all 0 needs G = 1") \
    X(g_tr_type, "guest.tr.type", "27.3.1.2", Guest, "TR is a busy TSS: type 11, or type 3 outside IA-32e mode") \
    X(g_tr_s, "guest.tr.s", "27.3.1.2", Guest, "TR has S = 0") \
    X(g_tr_p, "guest.tr.present", "27.3.1.2", Guest, "TR has P = 1") \
    X(g_tr_reserved, "guest.tr.reserved", "27.3.1.2", Guest, "TR access rights have bits 11:8 and 31:17 clear") \
    X(g_tr_g, "guest.tr.granularity", "27.3.1.2", Guest, "TR: limit bits 11:0 not all 1 needs G = 0, limit bits 31:20 not all 0 needs G = 1") \
    X(g_tr_unusable, "guest.tr.unusable", "27.3.1.2", Guest, "TR is usable (access-rights bit 16 = 0)") \
    X(g_ldtr_type, "guest.ldtr.type", "27.3.1.2", Guest, "a usable LDTR has type 2 (LDT)") \
    X(g_ldtr_s, "guest.ldtr.s", "27.3.1.2", Guest, "a usable LDTR has S = 0") \
    X(g_ldtr_p, "guest.ldtr.present", "27.3.1.2", Guest, "a usable LDTR has P = 1") \
    X(g_ldtr_reserved, "guest.ldtr.reserved", "27.3.1.2", Guest, "a usable LDTR has access-rights bits 11:8 and 31:17 clear") \
    X(g_ldtr_g, "guest.ldtr.granularity", "27.3.1.2", Guest, "a usable LDTR: limit bits 11:0 not all 1 needs G = 0, limit bits 31:20 not all 0 needs G = 1") \
    X(g_dtr_base, "guest.dtr.base", "27.3.1.3", Guest, "GUEST_GDTR_BASE and GUEST_IDTR_BASE are canonical") \
    X(g_dtr_limit, "guest.dtr.limit", "27.3.1.3", Guest, "GUEST_GDTR_LIMIT and GUEST_IDTR_LIMIT have bits 31:16 = 0") \
    X(g_rip_high, "guest.rip.high", "27.3.1.4", Guest, "outside 64-bit mode (not IA-32e mode guest with CS.L = 1), GUEST_RIP bits 63:32 are 0") \
    X(g_rip_canonical, "guest.rip.canonical", "27.3.1.4", Guest, "in 64-bit mode (IA-32e mode guest with CS.L = 1), GUEST_RIP is canonical") \
    X(g_rflags_reserved, "guest.rflags.reserved", "27.3.1.4", Guest, "GUEST_RFLAGS bits 63:22, 15, 5 and 3 are 0") \
    X(g_rflags_bit1, "guest.rflags.bit1", "27.3.1.4", Guest, "GUEST_RFLAGS bit 1 is 1") \
    X(g_rflags_vm, "guest.rflags.vm", "27.3.1.4", Guest, "GUEST_RFLAGS.VM is 0 in an IA-32e mode guest and when GUEST_CR0.PE is 0") \
    X(g_rflags_if, "guest.rflags.if", "27.3.1.4", Guest, "injecting an external interrupt needs GUEST_RFLAGS.IF = 1") \
    X(g_activity, "guest.activity.supported", "27.3.1.5", Guest, "GUEST_ACTIVITY_STATE is 0 (active) or a state IA32_VMX_MISC[8:6] reports (1 HLT, 2 shutdown, 3 wait-for-SIPI)") \
    X(g_activity_hlt, "guest.activity.hlt_dpl", "27.3.1.5", Guest, "the HLT activity state needs SS.DPL = 0") \
    X(g_activity_blocking, "guest.activity.blocking", "27.3.1.5", Guest, "a state other than active needs no blocking by STI or by MOV SS") \
    X(g_activity_event, "guest.activity.injection", "27.3.1.5", Guest, "an injected event fits the activity state: HLT takes external interrupt, NMI, #DB, #MC or other event; shutdown takes NMI or #MC; wait-for-SIPI takes none") \
    X(g_intr_reserved, "guest.interruptibility.reserved", "27.3.1.5", Guest, "GUEST_INTERRUPTIBILITY_INFO bits 31:5 are 0") \
    X(g_intr_sti_movss, "guest.interruptibility.sti_and_mov_ss", "27.3.1.5", Guest, "blocking by STI and blocking by MOV SS are not both 1") \
    X(g_intr_sti_if, "guest.interruptibility.sti_if", "27.3.1.5", Guest, "blocking by STI needs GUEST_RFLAGS.IF = 1") \
    X(g_intr_ext, "guest.interruptibility.external", "27.3.1.5", Guest, "injecting an external interrupt needs no blocking by STI or by MOV SS") \
    X(g_intr_nmi, "guest.interruptibility.nmi", "27.3.1.5", Guest, "injecting an NMI needs no blocking by MOV SS (and, with \"virtual NMIs\", no blocking by NMI)") \
    X(g_intr_smi, "guest.interruptibility.smi", "27.3.1.5", Guest, "blocking by SMI (bit 2) is 0 outside SMM") \
    X(g_intr_enclave, "guest.interruptibility.enclave", "27.3.1.5", Guest, "enclave interruption (bit 4) needs a processor with SGX (CPUID.(EAX=7,ECX=0):EBX[2]) and no blocking by MOV SS") \
    X(g_pending_dbg, "guest.pending_debug.reserved", "27.3.1.5", Guest, "GUEST_PENDING_DBG_EXCEPTIONS bits 11:4, 13, 15 and 63:17 are 0") \
    X(g_pending_bs, "guest.pending_debug.bs", "27.3.1.5", Guest, "with blocking by STI/MOV SS or in HLT, the BS bit (14) is 1 exactly when RFLAGS.TF = 1 and IA32_DEBUGCTL.BTF = 0") \
    X(g_link_addr, "guest.link_pointer.address", "27.3.1.5", Guest, "a VMCS_LINK_POINTER other than 0xFFFFFFFFFFFFFFFF is 4-KByte aligned and within the physical-address width") \
    X(g_link_rev, "guest.link_pointer.revision", "27.3.1.5", Guest, "a VMCS_LINK_POINTER other than 0xFFFFFFFFFFFFFFFF points to a VMCS of this revision whose shadow bit equals \"VMCS shadowing\"") \
    X(g_pdpte_cr3, "guest.pdpte.cr3", "27.3.1.6", Guest, "without EPT and with PAE paging (CR0.PG, CR4.PAE, not IA-32e), a present PDPTE of the table at GUEST_CR3[31:5] has bits 2:1, 8:5 and those beyond the physical-address width clear") \
    X(g_pdpte, "guest.pdpte.reserved", "27.3.1.6", Guest, "with EPT and PAE paging (CR0.PG, CR4.PAE, not IA-32e), a present GUEST_PDPTRn has bits 2:1, 8:5 and those beyond the physical-address width clear")

#define VMXLAB_ENTRY_RULES_MSR(X) \
    X(m_fs_gs, "msr_load.fs_gs_base", "27.4", MsrLoad, "no VM-entry MSR-load entry names IA32_FS_BASE or IA32_GS_BASE (0xC0000100, 0xC0000101)") \
    X(m_x2apic, "msr_load.x2apic", "27.4", MsrLoad, "no VM-entry MSR-load entry names an x2APIC MSR (0x800-0x8FF)") \
    X(m_smm, "msr_load.smm_only", "27.4", MsrLoad, "outside SMM, no VM-entry MSR-load entry names IA32_SMM_MONITOR_CTL (0x9B)") \
    X(m_reserved, "msr_load.reserved", "27.4", MsrLoad, "every VM-entry MSR-load entry has bits 63:32 = 0") \
    X(m_value, "msr_load.value", "27.4", MsrLoad, "no VM-entry MSR-load entry writes a value WRMSR would refuse with #GP (checked: non-canonical bases and SYSENTER/LSTAR/CSTAR addresses, IA32_EFER reserved bits, invalid IA32_PAT types, an MSR the processor does not have)") \
    X(a_store_x2apic, "abort.exit_msr_store.x2apic", "28.4", Abort, "no VM-exit MSR-store entry names an x2APIC MSR (0x800-0x8FF)") \
    X(a_store_smbase, "abort.exit_msr_store.smbase", "28.4", Abort, "outside SMM, no VM-exit MSR-store entry names IA32_SMBASE (0x9E)") \
    X(a_store_reserved, "abort.exit_msr_store.reserved", "28.4", Abort, "every VM-exit MSR-store entry has bits 63:32 = 0") \
    X(a_store_missing, "abort.exit_msr_store.no_such_msr", "28.4", Abort, "no VM-exit MSR-store entry names an MSR the processor does not have (RDMSR raises #GP)") \
    X(a_load_fs_gs, "abort.exit_msr_load.fs_gs_base", "28.6", Abort, "no VM-exit MSR-load entry names IA32_FS_BASE or IA32_GS_BASE (0xC0000100, 0xC0000101)") \
    X(a_load_x2apic, "abort.exit_msr_load.x2apic", "28.6", Abort, "no VM-exit MSR-load entry names an x2APIC MSR (0x800-0x8FF)") \
    X(a_load_smm, "abort.exit_msr_load.smm_only", "28.6", Abort, "no VM-exit MSR-load entry names IA32_SMM_MONITOR_CTL (0x9B)") \
    X(a_load_reserved, "abort.exit_msr_load.reserved", "28.6", Abort, "every VM-exit MSR-load entry has bits 63:32 = 0") \
    X(a_load_value, "abort.exit_msr_load.value", "28.6", Abort, "no VM-exit MSR-load entry writes a value WRMSR would refuse with #GP (the checks of msr_load.value)")
