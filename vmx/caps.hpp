// The VMX capability MSRs decoded (SDM Vol. 3D appendix A), from values read elsewhere: reading
// an MSR that may #GP belongs to the arch layer. Also adjust(): every control value made legal
// from allowed-0/allowed-1 settings, reporting which bits it forced (SimpleVisor's idea).
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "vmx/controls.hpp"

namespace vmx {

// The capability MSRs, 0x480-0x493 (names as in Linux's msr-index.h without "MSR_").
constexpr uint32_t kMsrVmxFirst = 0x480;
constexpr uint32_t kMsrVmxLast = 0x493;
constexpr size_t kMsrVmxCount = kMsrVmxLast - kMsrVmxFirst + 1;
constexpr uint32_t IA32_VMX_BASIC = 0x480;
constexpr uint32_t IA32_VMX_MISC = 0x485;
constexpr uint32_t IA32_VMX_CR0_FIXED0 = 0x486;
constexpr uint32_t IA32_VMX_CR0_FIXED1 = 0x487;
constexpr uint32_t IA32_VMX_CR4_FIXED0 = 0x488;
constexpr uint32_t IA32_VMX_CR4_FIXED1 = 0x489;
constexpr uint32_t IA32_VMX_VMCS_ENUM = 0x48A;
constexpr uint32_t IA32_VMX_EPT_VPID_CAP = 0x48C;
// "IA32_VMX_BASIC" ... "IA32_VMX_EXIT_CTLS2"; nullptr outside 0x480-0x493.
const char* vmx_msr_name(uint32_t msr);

// One MSR as the reader found it: present = false when RDMSR raised #GP.
struct MsrValue {
    uint32_t msr;
    uint64_t value;
    bool present;
};

// A.1, IA32_VMX_BASIC.
struct VmxBasic {
    uint32_t revision_id;        // bits 30:0
    uint32_t region_size;        // bits 44:32: bytes for the VMXON region and each VMCS
    bool phys_addr_32bit;        // bit 48: VMXON/VMCS/... addresses limited to 32 bits
    bool dual_monitor;           // bit 49: dual-monitor treatment of SMIs and SMM
    uint8_t memory_type;         // bits 53:50: 0 = UC, 6 = WB
    bool ins_outs_info;          // bit 54: INS/OUTS exits report instruction information
    bool true_controls;          // bit 55: IA32_VMX_TRUE_*_CTLS exist (default1 bits may be 0)
    bool no_error_code_check;    // bit 56: entry may deliver hardware exceptions without error code
};
VmxBasic decode_basic(uint64_t value);

// A.6, IA32_VMX_MISC.
struct VmxMisc {
    uint8_t preemption_timer_rate;   // bits 4:0: timer ticks once per 2^rate TSC ticks
    bool store_efer_lma;             // bit 5
    bool activity_hlt;               // bit 6
    bool activity_shutdown;          // bit 7
    bool activity_wait_sipi;         // bit 8
    bool pt_in_vmx;                  // bit 14: Intel PT usable in VMX operation
    bool rdmsr_smbase_in_smm;        // bit 15
    uint16_t cr3_target_count;       // bits 24:16
    uint32_t max_msr_list;           // bits 27:25 = N: 512 * (N + 1) entries recommended maximum
    bool vmxoff_unblocks_smi_opt;    // bit 28: IA32_SMM_MONITOR_CTL bit 2 may be set
    bool vmwrite_exit_info;          // bit 29: VMWRITE may write VM-exit information fields
    bool zero_length_injection;      // bit 30: entry may inject with instruction length 0
    uint32_t mseg_revision;          // bits 63:32
};
VmxMisc decode_misc(uint64_t value);

// A.10, IA32_VMX_EPT_VPID_CAP: the commonly needed bits.
struct EptVpidCaps {
    bool execute_only;           // bit 0
    bool walk_length_4;          // bit 6
    bool walk_length_5;          // bit 7
    bool memtype_uc;             // bit 8
    bool memtype_wb;             // bit 14
    bool pde_2mb;                // bit 16
    bool pdpte_1gb;              // bit 17
    bool invept;                 // bit 20
    bool accessed_dirty;         // bit 21
    bool advanced_exit_info;     // bit 22
    bool invept_single_context;  // bit 25
    bool invept_all_context;     // bit 26
    bool invvpid;                // bit 32
    bool invvpid_address;        // bit 40
    bool invvpid_single_context; // bit 41
    bool invvpid_all_context;    // bit 42
    bool invvpid_single_keep_globals;  // bit 43
};
EptVpidCaps decode_ept_vpid(uint64_t value);

// A.9, IA32_VMX_VMCS_ENUM bits 9:1: the highest index used in any field encoding.
inline uint16_t vmcs_enum_highest_index(uint64_t value)
{
    return static_cast<uint16_t>((value >> 1) & 0x1FF);
}

// Everything read, by MSR number.
struct VmxCaps {
    uint64_t value[kMsrVmxCount];
    bool present[kMsrVmxCount];
};

// Missing MSRs (present = false, or not in the array) stay missing; that is not an error.
// Returns false only if IA32_VMX_BASIC itself is missing (then nothing else is meaningful).
bool decode_caps(const MsrValue* msrs, size_t count, VmxCaps* caps);
bool caps_msr(const VmxCaps& caps, uint32_t msr, uint64_t* value);   // false: missing

// The allowed settings of one control word (A.3-A.5, A.11).
struct ControlCaps {
    bool available;     // its MSR was read and its gate control (if any) may be 1
    uint32_t msr;       // the MSR the settings come from (a TRUE MSR when BASIC[55] = 1)
    uint64_t allowed0;  // bits that must be 1 (32-bit controls: the MSR's low half)
    uint64_t allowed1;  // bits that may be 1 (32-bit controls: the MSR's high half)
};
ControlCaps control_caps(const VmxCaps& caps, ControlKind kind);

struct Adjusted {
    uint64_t value;       // (wanted | allowed0) & allowed1
    uint64_t forced_on;   // wanted had them 0, the CPU requires 1
    uint64_t forced_off;  // wanted had them 1, the CPU cannot do them
    ControlCaps caps;
};
// The lecture's rule "allowed0 <= value <= allowed1", bitwise. An unavailable control word has
// allowed1 = 0: everything asked for is forced off.
Adjusted adjust_controls(ControlKind kind, uint64_t wanted, const VmxCaps& caps);

// CR0/CR4 against IA32_VMX_CRn_FIXED0/1 (A.7, A.8): bits set in FIXED0 must be 1, bits clear in
// FIXED1 must be 0 -- in VMX operation, so VMXON raises #GP when they are not.
struct FixedCheck {
    uint64_t must_be_one;    // violating bits: fixed to 1 but clear in the value
    uint64_t must_be_zero;   // violating bits: fixed to 0 but set in the value
    bool ok;
};
FixedCheck check_fixed_bits(uint64_t value, uint64_t fixed0, uint64_t fixed1);
inline uint64_t apply_fixed_bits(uint64_t value, uint64_t fixed0, uint64_t fixed1)
{
    return (value | fixed0) & fixed1;
}
// With the caps' FIXED MSRs; if they are missing, nothing is reported as violating.
FixedCheck check_cr0(const VmxCaps& caps, uint64_t cr0);
FixedCheck check_cr4(const VmxCaps& caps, uint64_t cr4);

} // namespace vmx
