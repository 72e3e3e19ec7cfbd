#include "vmx/controls.hpp"

#include "vmx/text.hpp"

namespace vmx {
namespace {

// 25.6.1, pin-based VM-execution controls.
constexpr ControlBit kPin[] = {
    {0, "EXT_INTR_EXITING", "External-interrupt exiting", false, "PIN_BASED_EXT_INTR_MASK"},
    {3, "NMI_EXITING", "NMI exiting", true, nullptr},
    {5, "VIRTUAL_NMIS", "Virtual NMIs", true, nullptr},
    {6, "PREEMPTION_TIMER", "Activate VMX-preemption timer", false,
     "PIN_BASED_VMX_PREEMPTION_TIMER"},
    {7, "POSTED_INTR", "Process posted interrupts", true, nullptr},
};

// 25.6.2, primary processor-based VM-execution controls.
constexpr ControlBit kPrimary[] = {
    {2, "INTR_WINDOW_EXITING", "Interrupt-window exiting", true, nullptr},
    {3, "USE_TSC_OFFSETTING", "Use TSC offsetting", true, nullptr},
    {7, "HLT_EXITING", "HLT exiting", true, nullptr},
    {9, "INVLPG_EXITING", "INVLPG exiting", true, nullptr},
    {10, "MWAIT_EXITING", "MWAIT exiting", true, nullptr},
    {11, "RDPMC_EXITING", "RDPMC exiting", true, nullptr},
    {12, "RDTSC_EXITING", "RDTSC exiting", true, nullptr},
    {15, "CR3_LOAD_EXITING", "CR3-load exiting", true, nullptr},
    {16, "CR3_STORE_EXITING", "CR3-store exiting", true, nullptr},
    {17, "ACTIVATE_TERTIARY_CONTROLS", "Activate tertiary controls", true, nullptr},
    {19, "CR8_LOAD_EXITING", "CR8-load exiting", true, nullptr},
    {20, "CR8_STORE_EXITING", "CR8-store exiting", true, nullptr},
    {21, "TPR_SHADOW", "Use TPR shadow", true, nullptr},
    {22, "NMI_WINDOW_EXITING", "NMI-window exiting", true, nullptr},
    {23, "MOV_DR_EXITING", "MOV-DR exiting", true, nullptr},
    {24, "UNCOND_IO_EXITING", "Unconditional I/O exiting", true, nullptr},
    {25, "USE_IO_BITMAPS", "Use I/O bitmaps", true, nullptr},
    {27, "MONITOR_TRAP_FLAG", "Monitor trap flag", true, nullptr},
    {28, "USE_MSR_BITMAPS", "Use MSR bitmaps", true, nullptr},
    {29, "MONITOR_EXITING", "MONITOR exiting", true, nullptr},
    {30, "PAUSE_EXITING", "PAUSE exiting", true, nullptr},
    {31, "ACTIVATE_SECONDARY_CONTROLS", "Activate secondary controls", true, nullptr},
};

// 25.6.2, secondary processor-based VM-execution controls.
constexpr ControlBit kSecondary[] = {
    {0, "VIRTUALIZE_APIC_ACCESSES", "Virtualize APIC accesses", true, nullptr},
    {1, "ENABLE_EPT", "Enable EPT", true, nullptr},
    {2, "DESC", "Descriptor-table exiting", true, nullptr},
    {3, "ENABLE_RDTSCP", "Enable RDTSCP", true, nullptr},
    {4, "VIRTUALIZE_X2APIC_MODE", "Virtualize x2APIC mode", true, nullptr},
    {5, "ENABLE_VPID", "Enable VPID", true, nullptr},
    {6, "WBINVD_EXITING", "WBINVD exiting", true, nullptr},
    {7, "UNRESTRICTED_GUEST", "Unrestricted guest", true, nullptr},
    {8, "APIC_REGISTER_VIRT", "APIC-register virtualization", true, nullptr},
    {9, "VIRTUAL_INTR_DELIVERY", "Virtual-interrupt delivery", true, nullptr},
    {10, "PAUSE_LOOP_EXITING", "PAUSE-loop exiting", true, nullptr},
    {11, "RDRAND_EXITING", "RDRAND exiting", true, nullptr},
    {12, "ENABLE_INVPCID", "Enable INVPCID", true, nullptr},
    {13, "ENABLE_VMFUNC", "Enable VM functions", true, nullptr},
    {14, "SHADOW_VMCS", "VMCS shadowing", true, nullptr},
    {15, "ENCLS_EXITING", "Enable ENCLS exiting", true, nullptr},
    {16, "RDSEED_EXITING", "RDSEED exiting", true, nullptr},
    {17, "ENABLE_PML", "Enable PML", true, nullptr},
    {18, "EPT_VIOLATION_VE", "EPT-violation #VE", true, nullptr},
    {19, "PT_CONCEAL_VMX", "Conceal VMX from PT", true, nullptr},
    {20, "ENABLE_XSAVES", "Enable XSAVES/XRSTORS", true, nullptr},
    {21, "ENABLE_PASID_TRANSLATION", "PASID translation", false, nullptr},
    {22, "MODE_BASED_EPT_EXEC", "Mode-based execute control for EPT", true, nullptr},
    {23, "ENABLE_SPP", "Sub-page write permissions for EPT", false, nullptr},
    {24, "PT_USE_GPA", "Intel PT uses guest physical addresses", true, nullptr},
    {25, "TSC_SCALING", "Use TSC scaling", true, nullptr},
    {26, "ENABLE_USR_WAIT_PAUSE", "Enable user wait and pause", true, nullptr},
    {27, "ENABLE_PCONFIG", "Enable PCONFIG", false, nullptr},
    {28, "ENCLV_EXITING", "Enable ENCLV exiting", false, nullptr},
    {30, "BUS_LOCK_DETECTION", "VMM bus-lock detection", true, nullptr},
    {31, "NOTIFY_VM_EXITING", "Instruction timeout", true, nullptr},
};

// 25.6.2, tertiary processor-based controls (IA32_VMX_PROCBASED_CTLS3, 0x492).
constexpr ControlBit kTertiary[] = {
    {0, "LOADIWKEY_EXITING", "LOADIWKEY exiting", false, nullptr},
    {1, "ENABLE_HLAT", "Enable HLAT", false, nullptr},
    {2, "EPT_PAGING_WRITE", "EPT paging-write control", false, nullptr},
    {3, "GUEST_PAGING_VERIFY", "Guest-paging verification", false, nullptr},
    {4, "IPI_VIRT", "IPI virtualization", true, nullptr},
    {6, "ENABLE_MSR_LIST", "Enable MSR-list instructions", false, nullptr},
    {7, "VIRTUALIZE_SPEC_CTRL", "Virtualize IA32_SPEC_CTRL", false, nullptr},
};

// 25.7.1, primary VM-exit controls.
constexpr ControlBit kExit[] = {
    {2, "SAVE_DEBUG_CONTROLS", "Save debug controls", true, nullptr},
    {9, "HOST_ADDR_SPACE_SIZE", "Host address-space size", true, nullptr},
    {12, "LOAD_IA32_PERF_GLOBAL_CTRL", "Load IA32_PERF_GLOBAL_CTRL", true, nullptr},
    {15, "ACK_INTR_ON_EXIT", "Acknowledge interrupt on exit", true, nullptr},
    {18, "SAVE_IA32_PAT", "Save IA32_PAT", true, nullptr},
    {19, "LOAD_IA32_PAT", "Load IA32_PAT", true, nullptr},
    {20, "SAVE_IA32_EFER", "Save IA32_EFER", true, nullptr},
    {21, "LOAD_IA32_EFER", "Load IA32_EFER", true, nullptr},
    {22, "SAVE_VMX_PREEMPTION_TIMER", "Save VMX-preemption timer value", true, nullptr},
    {23, "CLEAR_BNDCFGS", "Clear IA32_BNDCFGS", true, nullptr},
    {24, "PT_CONCEAL_PIP", "Conceal VMX from PT", true, nullptr},
    {25, "CLEAR_IA32_RTIT_CTL", "Clear IA32_RTIT_CTL", true, nullptr},
    {26, "CLEAR_IA32_LBR_CTL", "Clear IA32_LBR_CTL", false, nullptr},
    {27, "CLEAR_UINV", "Clear UINV", false, nullptr},
    {28, "LOAD_CET_STATE", "Load CET state", false, nullptr},
    {29, "LOAD_IA32_PKRS", "Load PKRS", false, nullptr},
    {30, "SAVE_IA32_PERF_GLOBAL_CTRL", "Save IA32_PERF_GLOBAL_CTRL", false, nullptr},
    {31, "ACTIVATE_SECONDARY_CONTROLS", "Activate secondary controls", true, nullptr},
};

// 25.7.1, secondary VM-exit controls (IA32_VMX_EXIT_CTLS2, 0x493).
constexpr ControlBit kSecondaryExit[] = {
    {0, "SAVE_IA32_FRED", "Save IA32_FRED MSRs", true, nullptr},
    {1, "LOAD_IA32_FRED", "Load IA32_FRED MSRs", true, nullptr},
    {3, "PREMATURELY_BUSY_SHADOW_STACK", "Prematurely busy shadow stack", false, nullptr},
};

// 25.8.1, VM-entry controls.
constexpr ControlBit kEntry[] = {
    {2, "LOAD_DEBUG_CONTROLS", "Load debug controls", true, nullptr},
    {9, "IA32E_MODE", "IA-32e mode guest", true, nullptr},
    {10, "SMM", "Entry to SMM", true, nullptr},
    {11, "DEACT_DUAL_MONITOR", "Deactivate dual-monitor treatment", true, nullptr},
    {13, "LOAD_IA32_PERF_GLOBAL_CTRL", "Load IA32_PERF_GLOBAL_CTRL", true, nullptr},
    {14, "LOAD_IA32_PAT", "Load IA32_PAT", true, nullptr},
    {15, "LOAD_IA32_EFER", "Load IA32_EFER", true, nullptr},
    {16, "LOAD_BNDCFGS", "Load IA32_BNDCFGS", true, nullptr},
    {17, "PT_CONCEAL_PIP", "Conceal VMX from PT", true, nullptr},
    {18, "LOAD_IA32_RTIT_CTL", "Load IA32_RTIT_CTL", true, nullptr},
    {19, "LOAD_UINV", "Load UINV", false, nullptr},
    {20, "LOAD_CET_STATE", "Load CET state", false, nullptr},
    {21, "LOAD_IA32_LBR_CTL", "Load guest IA32_LBR_CTL", false, nullptr},
    {22, "LOAD_IA32_PKRS", "Load PKRS", false, nullptr},
    {23, "LOAD_IA32_FRED", "Load IA32_FRED MSRs", true, nullptr},
};

// 25.6.14: VM-function controls; IA32_VMX_VMFUNC (0x491) reports which may be 1.
constexpr ControlBit kVmFunc[] = {
    {0, "EPTP_SWITCHING", "EPTP switching", true, nullptr},
};

#define VMXLAB_BITS(a) a, sizeof(a) / sizeof(a[0])
constexpr uint8_t kNoGate = 0xFF;

// default1 values: SDM A.2 (the same values as Linux's *_ALWAYSON_WITHOUT_TRUE_MSR).
constexpr ControlKindInfo kKinds[kControlKindCount] = {
    {ControlKind::Pin, "pin", "PIN_BASED_", "Pin-based VM-execution controls", 0x4000, 0x481,
     0x48D, false, 0x00000016, ControlKind::Pin, kNoGate, VMXLAB_BITS(kPin)},
    {ControlKind::Primary, "primary", "CPU_BASED_", "Primary processor-based VM-execution controls",
     0x4002, 0x482, 0x48E, false, 0x0401E172, ControlKind::Primary, kNoGate, VMXLAB_BITS(kPrimary)},
    {ControlKind::Secondary, "secondary", "SECONDARY_EXEC_",
     "Secondary processor-based VM-execution controls", 0x401E, 0x48B, 0, false, 0,
     ControlKind::Primary, 31, VMXLAB_BITS(kSecondary)},
    {ControlKind::Tertiary, "tertiary", "TERTIARY_EXEC_",
     "Tertiary processor-based VM-execution controls", 0x2034, 0x492, 0, true, 0,
     ControlKind::Primary, 17, VMXLAB_BITS(kTertiary)},
    {ControlKind::Exit, "exit", "VM_EXIT_", "Primary VM-exit controls", 0x400C, 0x483, 0x48F, false,
     0x00036DFF, ControlKind::Exit, kNoGate, VMXLAB_BITS(kExit)},
    {ControlKind::SecondaryExit, "secondary_exit", "SECONDARY_VM_EXIT_",
     "Secondary VM-exit controls", 0x2044, 0x493, 0, true, 0, ControlKind::Exit, 31,
     VMXLAB_BITS(kSecondaryExit)},
    {ControlKind::Entry, "entry", "VM_ENTRY_", "VM-entry controls", 0x4012, 0x484, 0x490, false,
     0x000011FF, ControlKind::Entry, kNoGate, VMXLAB_BITS(kEntry)},
    {ControlKind::VmFunc, "vmfunc", "VMX_VMFUNC_", "VM-function controls", 0x2018, 0x491, 0, true,
     0, ControlKind::Secondary, 13, VMXLAB_BITS(kVmFunc)},
};

struct KindAlias {
    const char* name;
    ControlKind kind;
};
constexpr KindAlias kKindAliases[] = {
    {"proc", ControlKind::Primary},    {"proc2", ControlKind::Secondary},
    {"proc3", ControlKind::Tertiary},  {"exit2", ControlKind::SecondaryExit},
    {"pinbased", ControlKind::Pin},    {"procbased", ControlKind::Primary},
};

} // namespace

const ControlKindInfo& control_kind_info(ControlKind kind)
{
    return kKinds[static_cast<size_t>(kind)];
}

const ControlKindInfo* find_control_kind(const char* name)
{
    for (const ControlKindInfo& k : kKinds)
        if (str_eq(k.name, name))
            return &k;
    for (const KindAlias& a : kKindAliases)
        if (str_eq(a.name, name))
            return &control_kind_info(a.kind);
    return nullptr;
}

const ControlBit* find_control_bit(ControlKind kind, const char* name)
{
    const ControlKindInfo& k = control_kind_info(kind);
    const char* bare = name;
    if (str_starts_with(name, k.prefix))
        for (const char* p = k.prefix; *p; ++p)
            ++bare;
    for (size_t i = 0; i < k.bit_count; ++i) {
        const ControlBit& b = k.bits[i];
        if (str_eq(b.name, bare) || str_eq(b.alias, name))
            return &b;
    }
    return nullptr;
}

const ControlBit* control_bit_at(ControlKind kind, unsigned bit)
{
    const ControlKindInfo& k = control_kind_info(kind);
    for (size_t i = 0; i < k.bit_count; ++i)
        if (k.bits[i].bit == bit)
            return &k.bits[i];
    return nullptr;
}

size_t control_full_name(const ControlKindInfo& kind, const ControlBit& bit, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    out.str(kind.prefix).str(bit.name);
    return out.length();
}

} // namespace vmx
