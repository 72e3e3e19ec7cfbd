"""The differential corpus's knowledge of Bochs 2.7 (tools/check_corpus.py).

BOCHS_CHECKS: (regex on the check Bochs logs, regex of the checker's rule ids that name the same
check, the SDM's decision in words -- shown when the checker named no rule). The first match wins.
DEVIATIONS: (regex on the mutation name, checker verdict, Bochs verdict, why the checker follows the
SDM there) -- each counted as agreement and listed as explained.
Section numbers: SDM 325462-080US (docs/sdm.md).
"""

C, H, G = "SDM 27.2.1", "SDM 27.2.2-27.2.4", "SDM 27.3.1"
BOCHS_CHECKS = [
    (r"TSC multiplier should be non zero", None,
     "Bochs requires a non-zero TSC_MULTIPLIER with 'use TSC scaling'; SDM 27.2.1.1 has no such check"),
    (r"pin-based controls allowed", r"controls\.pin", C + ".1: pin-based controls within IA32_VMX_(TRUE_)PINBASED_CTLS"),
    (r"proc-based controls allowed", r"controls\.proc", C + ".1: primary controls within IA32_VMX_(TRUE_)PROCBASED_CTLS"),
    (r"secondary controls allowed", r"controls\.proc2", C + ".1: secondary controls within IA32_VMX_PROCBASED_CTLS2"),
    (r"vmexit controls allowed", r"controls\.exit", C + ".2: VM-exit controls within IA32_VMX_(TRUE_)EXIT_CTLS"),
    (r"vmentry controls allowed", r"controls\.entry", C + ".3: VM-entry controls within IA32_VMX_(TRUE_)ENTRY_CTLS"),
    (r"too may CR3 targets", r"controls\.cr3_target_count", C + ".1: CR3-target count <= IA32_VMX_MISC[24:16]"),
    (r"I/O bitmap . phy addr", r"controls\.io_bitmaps", C + ".1: I/O bitmap addresses 4 KiB aligned, within MAXPHYADDR"),
    (r"MSR bitmap phy addr", r"controls\.msr_bitmap", C + ".1: MSR-bitmap address 4 KiB aligned, within MAXPHYADDR"),
    (r"misconfigured virtual NMI", r"controls\.(virtual_nmis|nmi_window)", C + ".1: virtual NMIs need NMI exiting; NMI-window exiting needs virtual NMIs"),
    (r"invalid EPTPTR", r"controls\.eptp\..*", C + ".1: EPTP memory type, walk length, A/D bit and reserved bits"),
    (r"unrestricted guest without EPT", r"controls\.unrestricted_guest", C + ".1: unrestricted guest needs enable EPT"),
    (r"guest VPID == 0", r"controls\.vpid", C + ".1: enable VPID needs a non-zero VPID"),
    (r"apic virtualization is enabled without TPR", r"controls\.(tpr_shadow\.needed|x2apic|virtual_intr_delivery|apic_access.*)", C + ".1: APIC virtualization controls need use TPR shadow"),
    (r"VMEXIT CTRL: msr store addr", r"controls\.exit\.msr_store", C + ".2: VM-exit MSR-store address 16-byte aligned, area within MAXPHYADDR"),
    (r"VMEXIT CTRL: msr load addr", r"controls\.exit\.msr_load", C + ".2: VM-exit MSR-load address 16-byte aligned, area within MAXPHYADDR"),
    (r"VMENTRY CTRL: msr load addr", r"controls\.entry\.msr_load", C + ".3: VM-entry MSR-load address 16-byte aligned, area within MAXPHYADDR"),
    (r"outside SMM with dual-monitor", r"controls\.entry\.smm", C + ".3: outside SMM, entry to SMM and deactivate dual-monitor treatment are 0"),
    (r"bad injected event type", r"controls\.entry\.inject\.type", C + ".3: interruption type not reserved, supported"),
    (r"bad injected event vector", r"controls\.entry\.inject\.(vector|type)", C + ".3: NMI vector 2, hardware exception vector <= 31, other event vector 0"),
    (r"broken error code", r"controls\.entry\.inject\.(deliver_error_code|error_code)", C + ".3: deliver-error-code exactly for the exceptions that push one, with CR0.PE = 1"),
    (r"bad injected event instr length", r"controls\.entry\.inject\.length", C + ".3: software event instruction length 1-15 (0 only where IA32_VMX_MISC[30])"),
    (r"broken interruption info", r"controls\.entry\.inject\.reserved", C + ".3: interruption-information bits 30:12 are 0"),
    (r"host state invalid CR0", r"host\.cr0\.fixed", "SDM 27.2.2: HOST_CR0 within IA32_VMX_CR0_FIXED0/1"),
    (r"host state invalid CR4", r"host\.cr4\.fixed", "SDM 27.2.2: HOST_CR4 within IA32_VMX_CR4_FIXED0/1"),
    (r"host state invalid CR3", r"host\.cr3\.width", "SDM 27.2.2: HOST_CR3 within MAXPHYADDR"),
    (r"host segreg \d TI/RPL", r"host\.selector\.rpl_ti", "SDM 27.2.3: host selectors have RPL 0 and TI 0"),
    (r"host CS selector 0", r"host\.cs\.null", "SDM 27.2.3: HOST_CS_SELECTOR is not 0"),
    (r"invalid host TR selector", r"host\.(tr\.null|selector\.rpl_ti)", "SDM 27.2.3: HOST_TR_SELECTOR is not 0"),
    (r"host \w+ BASE non canonical", r"host\.base\.canonical", "SDM 27.2.3: host FS/GS/TR/GDTR/IDTR bases canonical"),
    (r"host SYSENTER_E.P_MSR non canonical", r"host\.sysenter\.canonical", "SDM 27.2.2: HOST_IA32_SYSENTER_ESP/EIP canonical"),
    (r"host control invalid|guest\(\d\)/host\(\d\) controls", r"host\.address_space\..*", "SDM 27.2.4: a 64-bit host needs host address-space size"),
    (r"host EFER reserved", r"host\.efer\.reserved", "SDM 27.2.2: HOST_IA32_EFER reserved bits 0"),
    (r"host EFER .* inconsistent", r"host\.efer\.lma", "SDM 27.2.2: HOST_IA32_EFER.LMA/LME equal host address-space size"),
    (r"host CR4.PAE=0", r"host\.address_space\.pae", "SDM 27.2.4: a 64-bit host has HOST_CR4.PAE = 1"),
    (r"Memory Type in host MSR_PAT", r"host\.pat", "SDM 27.2.2: each HOST_IA32_PAT entry a valid memory type"),
    (r"RFLAGS reserved bits", r"guest\.rflags\.reserved", G + ".4: RFLAGS reserved bits 63:22, 15, 5, 3 are 0"),
    (r"RFLAGS\[1\] cleared", r"guest\.rflags\.bit1", G + ".4: RFLAGS bit 1 is 1"),
    (r"guest with RFLAGS.VM", r"guest\.(rflags\.vm|v86\..*|ia32e\..*)", G + ".4: RFLAGS.VM is 0 for an IA-32e mode guest or with CR0.PE = 0"),
    (r"PG without CR0.PE", r"guest\.cr0\..*", G + ".1: CR0.PG = 1 needs CR0.PE = 1"),
    (r"guest invalid CR0", r"guest\.cr0\..*", G + ".1: GUEST_CR0 within IA32_VMX_CR0_FIXED0/1 (PE/PG free with unrestricted guest)"),
    (r"guest invalid CR4", r"guest\.cr4\.fixed", G + ".1: GUEST_CR4 within IA32_VMX_CR4_FIXED0/1"),
    (r"guest invalid CR3", r"guest\.cr3\.width", G + ".1: GUEST_CR3 within MAXPHYADDR"),
    (r"guest invalid DR7", r"guest\.dr7", G + ".1: GUEST_DR7 bits 63:32 are 0 with load debug controls"),
    (r"PAE=0 in x86-64", r"guest\.ia32e\.paging", G + ".1: an IA-32e mode guest has CR0.PG = 1 and CR4.PAE = 1"),
    (r"PCIDE set in 32-bit", r"guest\.cr4\.pcide", G + ".1: CR4.PCIDE is 0 outside IA-32e mode"),
    (r"v8086 guest bad \w+\.BASE", r"guest\.v86\.base", G + ".2: in virtual-8086 mode base = selector * 16"),
    (r"v8086 guest \w+\.LIMIT", r"guest\.v86\.limit", G + ".2: in virtual-8086 mode limit = 0xFFFF"),
    (r"v8086 guest \w+\.AR", r"guest\.v86\.access_rights", G + ".2: in virtual-8086 mode access rights = 0xF3"),
    (r"guest (TR|LDTR)\.BASE non canonical", r"guest\.base\.canonical", G + ".2: TR, LDTR, FS, GS bases canonical"),
    (r"guest \w+\.BASE non canonical", r"guest\.base\.canonical", G + ".2: TR, LDTR, FS, GS bases canonical"),
    (r"BASE > 32 bit", r"guest\.base\.high", G + ".2: CS, SS, DS, ES bases have bits 63:32 = 0"),
    (r"guest TR invalid", r"guest\.tr\.unusable", G + ".2: TR is usable"),
    (r"guest TR\.TI set", r"guest\.tr\.ti", G + ".2: TR.TI is 0"),
    (r"guest TR is not system", r"guest\.tr\.s", G + ".2: TR.S is 0"),
    (r"guest TR not present", r"guest\.tr\.present", G + ".2: TR is present"),
    (r"incorrect TR type", r"guest\.tr\.type", G + ".2: TR type 11 (or 3 outside IA-32e mode)"),
    (r"guest TR\.AR/LIMIT malformed", r"guest\.tr\.(reserved|granularity)", G + ".2: TR access-rights reserved bits 0, granularity consistent with the limit"),
    (r"LDTR\.TI set", r"guest\.ldtr\.ti", G + ".2: a usable LDTR has TI 0"),
    (r"incorrect LDTR type", r"guest\.ldtr\.type", G + ".2: a usable LDTR has type 2"),
    (r"LDTR is not system", r"guest\.ldtr\.s", G + ".2: a usable LDTR has S = 0"),
    (r"LDTR not present", r"guest\.ldtr\.present", G + ".2: a usable LDTR is present"),
    (r"LDTR\.AR/LIMIT malformed", r"guest\.ldtr\.(reserved|granularity)", G + ".2: LDTR reserved bits 0, granularity consistent"),
    (r"\.AR/LIMIT malformed", r"guest\.segment\.(reserved|granularity)", G + ".2: access-rights reserved bits 0, granularity consistent with the limit"),
    (r"guest \w+ not segment", r"guest\.segment\.s", G + ".2: a usable CS/SS/DS/ES/FS/GS has S = 1"),
    (r"guest \w+ not present", r"guest\.segment\.present", G + ".2: a usable segment is present"),
    (r"CS\.RPL <> CS\.DPL|CS\.RPL < CS\.DPL|unrestricted guest CS\.DPL", r"guest\.(cs\.dpl|ss\.rpl|ss\.dpl)", G + ".2: CS.DPL against CS.RPL / SS.DPL by CS type"),
    (r"guest CS\.TYPE", r"guest\.cs\.type", G + ".2: CS type 9, 11, 13, 15 (or 3 with unrestricted guest)"),
    (r"guest SS\.TYPE", r"guest\.ss\.type", G + ".2: a usable SS has type 3 or 7"),
    (r"wrong CS\.D_B/L", r"guest\.cs\.l_and_db", G + ".2: in 64-bit mode CS.L = 1 needs CS.D/B = 0"),
    (r"not ACCESSED|not READABLE", r"guest\.data\.type", G + ".2: a usable DS/ES/FS/GS is accessed, and readable if code"),
    (r"non-conforming \w\w\.RPL < \w\w\.DPL", r"guest\.data\.dpl", G + ".2: DS/ES/FS/GS DPL >= RPL unless conforming code"),
    (r"CS\.RPL != SS\.RPL", r"guest\.ss\.rpl", G + ".2: SS.RPL = CS.RPL without unrestricted guest"),
    (r"SS\.RPL <> SS\.DPL", r"guest\.ss\.dpl", G + ".2: SS.DPL = SS.RPL without unrestricted guest"),
    (r"unrestricted guest SS\.DPL", r"guest\.ss\.dpl_real", G + ".2: SS.DPL 0 with CR0.PE = 0"),
    (r"IDTR\.BASE non canonical|GDTR\.BASE non canonical", r"guest\.dtr\.base", G + ".3: GDTR/IDTR bases canonical"),
    (r"limit > 0xFFFF", r"guest\.dtr\.limit", G + ".3: GDTR/IDTR limits bits 31:16 are 0"),
    (r"guest SYSENTER_E.P_MSR non canonical", r"guest\.sysenter\.canonical", G + ".1: GUEST_SYSENTER_ESP/EIP canonical"),
    (r"Memory Type in guest MSR_PAT", r"guest\.pat", G + ".1: each GUEST_IA32_PAT entry a valid memory type"),
    (r"guest EFER reserved", r"guest\.efer\.reserved", G + ".1: GUEST_IA32_EFER reserved bits 0"),
    (r"EFER\.LMA doesn't match|guest EFER .* inconsistent", r"guest\.efer\.lma", G + ".1: GUEST_IA32_EFER.LMA = IA-32e mode guest"),
    (r"guest RIP > 32 bit", r"guest\.rip\.high", G + ".4: RIP bits 63:32 are 0 outside 64-bit mode"),
    (r"link pointer", r"guest\.link_pointer\..*", G + ".5: VMCS link pointer all ones, or aligned, in range, with the revision id"),
    (r"tmpDR6 reserved", r"guest\.pending_debug\.reserved", G + ".5: pending debug exceptions reserved bits 0"),
    (r"HLT state with SS\.DPL", r"guest\.activity\.hlt_dpl", G + ".5: HLT activity needs SS.DPL 0"),
    (r"activity state", r"guest\.activity\..*", G + ".5: activity state supported (IA32_VMX_MISC[8:6]) and consistent"),
    (r"interruptibility state broken", r"guest\.interruptibility\..*", G + ".5: interruptibility bits 31:5 are 0, not STI and MOV SS together"),
    (r"blocked by STI when EFLAGS\.IF", r"guest\.(interruptibility\..*|rflags\.if)", G + ".5: blocking by STI needs RFLAGS.IF = 1"),
    (r"blocked when injecting external", r"guest\.(interruptibility\.external|rflags\.if)", G + ".5: no STI/MOV-SS blocking when an external interrupt is injected"),
    (r"injected NMI vector when blocked by NMI", r"guest\.interruptibility\.nmi", G + ".5: no blocking by NMI when an NMI is injected"),
    (r"SMI blocked when not in SMM", r"guest\.interruptibility\.smi", G + ".5: blocking by SMI is 0 outside SMM"),
    (r"PDPTRs Checks Failed", r"guest\.pdpte\..*", G + ".6 / 27.3.2.4: PAE paging loads PDPTEs; their reserved bits are 0"),
    (r"LoadMSRs \d+: unable to restore FSBASE", r"msr_load\.fs_gs_base", "SDM 27.4: IA32_FS_BASE/IA32_GS_BASE may not be in the VM-entry MSR-load area"),
    (r"LoadMSRs \d+: unable to restore X2APIC", r"msr_load\.x2apic", "SDM 27.4: no x2APIC MSR (0x800-0x8FF) in the VM-entry MSR-load area"),
    (r"LoadMSRs \d+: broken msr index", r"msr_load\.reserved", "SDM 27.4: bits 63:32 of an entry's first quadword are 0"),
    (r"LoadMSRs \d+: unable to set up", r"msr_load\.(value|smm_only|x2apic)", "SDM 27.4: the MSR write would not #GP as WRMSR at CPL 0"),
]

# Mutations never executed because their first VM exit would abort: what decides them.
NOT_RUN = [
    (r"msr\.exit_store\.", "SDM 28.4: storing an MSR that RDMSR would refuse (#GP) at VM exit is a VMX abort (28.7)"),
    (r"msr\.exit_load\.", "SDM 28.6: loading an MSR that WRMSR would refuse (#GP) at VM exit is a VMX abort (28.7)"),
]

DEVIATIONS = [
    (r"GUEST_RIP\.noncanonical", "exit 33", "enters",
     "Bochs 2.7 enters a 64-bit guest with a non-canonical RIP; SDM 27.3.1.4: bits 63:N of RIP must be "
     "identical when IA-32e mode guest and CS.L are 1"),
    (r"entry\.toggle\.10$", "VMfailValid 7", "exit 33",
     "Bochs 2.7 accepts 'entry to SMM' outside SMM and fails the guest-state check instead; SDM 27.2.1.3: "
     "'entry to SMM' must be 0 outside SMM -- a control check, VMfailValid 7"),
    (r"pending_dbg\.reserved\.32$", "exit 33", "enters",
     "Bochs 2.7 checks only the low 32 bits of the pending debug exceptions; SDM 27.3.1.5: bits 63:17 "
     "are reserved and must be 0"),
    (r"link\.current_vmcs$", "enters", "exit 33",
     "Bochs 2.7 rejects a link pointer equal to the current VMCS; SDM 27.3.1.5 (VMCS shadowing 0) asks "
     "only for alignment, the address width and the revision identifier, which that page has"),
    (r"guest\.cs\.selector\.rpl3$", "enters", "exit 33",
     "Bochs 2.7 requires CS.RPL = CS.DPL for a non-conforming CS even with unrestricted guest; SDM "
     "27.3.1.2 asks CS.DPL = SS.DPL for types 9/11, and SS.RPL = CS.RPL only without unrestricted guest"),
    (r"cpu2\.toggle\.25$", "enters", "VMfailValid 7",
     "Bochs 2.7 refuses 'use TSC scaling' with TSC_MULTIPLIER 0 (VMfailValid 7); SDM 27.2.1.1 lists no "
     "check of the TSC-multiplier field, and SDM 25.6.5 only says what the field does: 'the contents of "
     "the time-stamp counter is first multiplied by the TSC multiplier before adding the TSC offset' "
     "(a multiplier of 0 makes the guest read the offset, which VM entry does not forbid)"),
    (r"inject\.nmi_nmi_blocking$", "exit 33", "VMfailValid 7",
     "Bochs 2.7 reports an NMI injected under blocking by NMI as a control error; SDM 27.3.1.5 makes it a "
     "guest-state check (exit reason 33)"),
]
