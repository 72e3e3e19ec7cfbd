// THE list of named VMX control bits (SDM 25.6 execution, 25.7.1 exit, 25.8.1 entry controls,
// 25.6.14 VM functions), one X-macro per control word. Everything that knows a control bit -- the
// lookup tables behind vmx::find_control_bit(), the named masks vmx::ctl::<kind>::NAME that C++
// uses instead of raw `1u << n`, the Lua table vmx.ctl -- is generated from these rows, so a bit
// is named in exactly one place.
//
// Row: X(bit, NAME, "SDM name", linux_name, alias)
//   NAME        without the word's prefix (PIN_BASED_, CPU_BASED_, ...; see controls.cpp)
//   linux_name  true if prefix + NAME is spelled as in Linux's asm/vmx.h
//   alias       another accepted full name (Linux's, where it differs), or nullptr
#pragma once


// 25.6.1 pin-based VM-execution controls
#define VMXLAB_PIN_CONTROLS(X) \
    X(0, EXT_INTR_EXITING, "External-interrupt exiting", false, "PIN_BASED_EXT_INTR_MASK") \
    X(3, NMI_EXITING, "NMI exiting", true, nullptr) \
    X(5, VIRTUAL_NMIS, "Virtual NMIs", true, nullptr) \
    X(6, PREEMPTION_TIMER, "Activate VMX-preemption timer", false, "PIN_BASED_VMX_PREEMPTION_TIMER") \
    X(7, POSTED_INTR, "Process posted interrupts", true, nullptr)

// 25.6.2 primary processor-based VM-execution controls
#define VMXLAB_PRIMARY_CONTROLS(X) \
    X(2, INTR_WINDOW_EXITING, "Interrupt-window exiting", true, nullptr) \
    X(3, USE_TSC_OFFSETTING, "Use TSC offsetting", true, nullptr) \
    X(7, HLT_EXITING, "HLT exiting", true, nullptr) \
    X(9, INVLPG_EXITING, "INVLPG exiting", true, nullptr) \
    X(10, MWAIT_EXITING, "MWAIT exiting", true, nullptr) \
    X(11, RDPMC_EXITING, "RDPMC exiting", true, nullptr) \
    X(12, RDTSC_EXITING, "RDTSC exiting", true, nullptr) \
    X(15, CR3_LOAD_EXITING, "CR3-load exiting", true, nullptr) \
    X(16, CR3_STORE_EXITING, "CR3-store exiting", true, nullptr) \
    X(17, ACTIVATE_TERTIARY_CONTROLS, "Activate tertiary controls", true, nullptr) \
    X(19, CR8_LOAD_EXITING, "CR8-load exiting", true, nullptr) \
    X(20, CR8_STORE_EXITING, "CR8-store exiting", true, nullptr) \
    X(21, TPR_SHADOW, "Use TPR shadow", true, nullptr) \
    X(22, NMI_WINDOW_EXITING, "NMI-window exiting", true, nullptr) \
    X(23, MOV_DR_EXITING, "MOV-DR exiting", true, nullptr) \
    X(24, UNCOND_IO_EXITING, "Unconditional I/O exiting", true, nullptr) \
    X(25, USE_IO_BITMAPS, "Use I/O bitmaps", true, nullptr) \
    X(27, MONITOR_TRAP_FLAG, "Monitor trap flag", true, nullptr) \
    X(28, USE_MSR_BITMAPS, "Use MSR bitmaps", true, nullptr) \
    X(29, MONITOR_EXITING, "MONITOR exiting", true, nullptr) \
    X(30, PAUSE_EXITING, "PAUSE exiting", true, nullptr) \
    X(31, ACTIVATE_SECONDARY_CONTROLS, "Activate secondary controls", true, nullptr)

// 25.6.2 secondary processor-based VM-execution controls
#define VMXLAB_SECONDARY_CONTROLS(X) \
    X(0, VIRTUALIZE_APIC_ACCESSES, "Virtualize APIC accesses", true, nullptr) \
    X(1, ENABLE_EPT, "Enable EPT", true, nullptr) \
    X(2, DESC, "Descriptor-table exiting", true, nullptr) \
    X(3, ENABLE_RDTSCP, "Enable RDTSCP", true, nullptr) \
    X(4, VIRTUALIZE_X2APIC_MODE, "Virtualize x2APIC mode", true, nullptr) \
    X(5, ENABLE_VPID, "Enable VPID", true, nullptr) \
    X(6, WBINVD_EXITING, "WBINVD exiting", true, nullptr) \
    X(7, UNRESTRICTED_GUEST, "Unrestricted guest", true, nullptr) \
    X(8, APIC_REGISTER_VIRT, "APIC-register virtualization", true, nullptr) \
    X(9, VIRTUAL_INTR_DELIVERY, "Virtual-interrupt delivery", true, nullptr) \
    X(10, PAUSE_LOOP_EXITING, "PAUSE-loop exiting", true, nullptr) \
    X(11, RDRAND_EXITING, "RDRAND exiting", true, nullptr) \
    X(12, ENABLE_INVPCID, "Enable INVPCID", true, nullptr) \
    X(13, ENABLE_VMFUNC, "Enable VM functions", true, nullptr) \
    X(14, SHADOW_VMCS, "VMCS shadowing", true, nullptr) \
    X(15, ENCLS_EXITING, "Enable ENCLS exiting", true, nullptr) \
    X(16, RDSEED_EXITING, "RDSEED exiting", true, nullptr) \
    X(17, ENABLE_PML, "Enable PML", true, nullptr) \
    X(18, EPT_VIOLATION_VE, "EPT-violation #VE", true, nullptr) \
    X(19, PT_CONCEAL_VMX, "Conceal VMX from PT", true, nullptr) \
    X(20, ENABLE_XSAVES, "Enable XSAVES/XRSTORS", true, nullptr) \
    X(21, ENABLE_PASID_TRANSLATION, "PASID translation", false, nullptr) \
    X(22, MODE_BASED_EPT_EXEC, "Mode-based execute control for EPT", true, nullptr) \
    X(23, ENABLE_SPP, "Sub-page write permissions for EPT", false, nullptr) \
    X(24, PT_USE_GPA, "Intel PT uses guest physical addresses", true, nullptr) \
    X(25, TSC_SCALING, "Use TSC scaling", true, nullptr) \
    X(26, ENABLE_USR_WAIT_PAUSE, "Enable user wait and pause", true, nullptr) \
    X(27, ENABLE_PCONFIG, "Enable PCONFIG", false, nullptr) \
    X(28, ENCLV_EXITING, "Enable ENCLV exiting", false, nullptr) \
    X(30, BUS_LOCK_DETECTION, "VMM bus-lock detection", true, nullptr) \
    X(31, NOTIFY_VM_EXITING, "Instruction timeout", true, nullptr)

// 25.6.2 tertiary processor-based controls (IA32_VMX_PROCBASED_CTLS3, 0x492)
#define VMXLAB_TERTIARY_CONTROLS(X) \
    X(0, LOADIWKEY_EXITING, "LOADIWKEY exiting", false, nullptr) \
    X(1, ENABLE_HLAT, "Enable HLAT", false, nullptr) \
    X(2, EPT_PAGING_WRITE, "EPT paging-write control", false, nullptr) \
    X(3, GUEST_PAGING_VERIFY, "Guest-paging verification", false, nullptr) \
    X(4, IPI_VIRT, "IPI virtualization", true, nullptr) \
    X(6, ENABLE_MSR_LIST, "Enable MSR-list instructions", false, nullptr) \
    X(7, VIRTUALIZE_SPEC_CTRL, "Virtualize IA32_SPEC_CTRL", false, nullptr)

// 25.7.1 primary VM-exit controls
#define VMXLAB_EXIT_CONTROLS(X) \
    X(2, SAVE_DEBUG_CONTROLS, "Save debug controls", true, nullptr) \
    X(9, HOST_ADDR_SPACE_SIZE, "Host address-space size", true, nullptr) \
    X(12, LOAD_IA32_PERF_GLOBAL_CTRL, "Load IA32_PERF_GLOBAL_CTRL", true, nullptr) \
    X(15, ACK_INTR_ON_EXIT, "Acknowledge interrupt on exit", true, nullptr) \
    X(18, SAVE_IA32_PAT, "Save IA32_PAT", true, nullptr) \
    X(19, LOAD_IA32_PAT, "Load IA32_PAT", true, nullptr) \
    X(20, SAVE_IA32_EFER, "Save IA32_EFER", true, nullptr) \
    X(21, LOAD_IA32_EFER, "Load IA32_EFER", true, nullptr) \
    X(22, SAVE_VMX_PREEMPTION_TIMER, "Save VMX-preemption timer value", true, nullptr) \
    X(23, CLEAR_BNDCFGS, "Clear IA32_BNDCFGS", true, nullptr) \
    X(24, PT_CONCEAL_PIP, "Conceal VMX from PT", true, nullptr) \
    X(25, CLEAR_IA32_RTIT_CTL, "Clear IA32_RTIT_CTL", true, nullptr) \
    X(26, CLEAR_IA32_LBR_CTL, "Clear IA32_LBR_CTL", false, nullptr) \
    X(27, CLEAR_UINV, "Clear UINV", false, nullptr) \
    X(28, LOAD_CET_STATE, "Load CET state", false, nullptr) \
    X(29, LOAD_IA32_PKRS, "Load PKRS", false, nullptr) \
    X(30, SAVE_IA32_PERF_GLOBAL_CTRL, "Save IA32_PERF_GLOBAL_CTRL", false, nullptr) \
    X(31, ACTIVATE_SECONDARY_CONTROLS, "Activate secondary controls", true, nullptr)

// 25.7.1 secondary VM-exit controls (IA32_VMX_EXIT_CTLS2, 0x493)
#define VMXLAB_SECONDARY_EXIT_CONTROLS(X) \
    X(0, SAVE_IA32_FRED, "Save IA32_FRED MSRs", true, nullptr) \
    X(1, LOAD_IA32_FRED, "Load IA32_FRED MSRs", true, nullptr) \
    X(3, PREMATURELY_BUSY_SHADOW_STACK, "Prematurely busy shadow stack", false, nullptr)

// 25.8.1 VM-entry controls
#define VMXLAB_ENTRY_CONTROLS(X) \
    X(2, LOAD_DEBUG_CONTROLS, "Load debug controls", true, nullptr) \
    X(9, IA32E_MODE, "IA-32e mode guest", true, nullptr) \
    X(10, SMM, "Entry to SMM", true, nullptr) \
    X(11, DEACT_DUAL_MONITOR, "Deactivate dual-monitor treatment", true, nullptr) \
    X(13, LOAD_IA32_PERF_GLOBAL_CTRL, "Load IA32_PERF_GLOBAL_CTRL", true, nullptr) \
    X(14, LOAD_IA32_PAT, "Load IA32_PAT", true, nullptr) \
    X(15, LOAD_IA32_EFER, "Load IA32_EFER", true, nullptr) \
    X(16, LOAD_BNDCFGS, "Load IA32_BNDCFGS", true, nullptr) \
    X(17, PT_CONCEAL_PIP, "Conceal VMX from PT", true, nullptr) \
    X(18, LOAD_IA32_RTIT_CTL, "Load IA32_RTIT_CTL", true, nullptr) \
    X(19, LOAD_UINV, "Load UINV", false, nullptr) \
    X(20, LOAD_CET_STATE, "Load CET state", false, nullptr) \
    X(21, LOAD_IA32_LBR_CTL, "Load guest IA32_LBR_CTL", false, nullptr) \
    X(22, LOAD_IA32_PKRS, "Load PKRS", false, nullptr) \
    X(23, LOAD_IA32_FRED, "Load IA32_FRED MSRs", true, nullptr)

// 25.6.14 VM-function controls; IA32_VMX_VMFUNC (0x491) reports which may be 1
#define VMXLAB_VMFUNC_CONTROLS(X) \
    X(0, EPTP_SWITCHING, "EPTP switching", true, nullptr)
