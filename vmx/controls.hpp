// Named bits of the VMX control words (SDM 25.6 execution, 25.7.1 exit, 25.8.1 entry controls;
// 25.6.14 VM functions), so that scripts say HLT_EXITING instead of 1 << 7 and C++ says
// vmx::ctl::primary::HLT_EXITING. The bits are listed once, in control_list.hpp.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "vmx/control_list.hpp"

namespace vmx {

// One mask per named control bit, generated from control_list.hpp: vmx::ctl::<word>::NAME, the
// words named as vmx.ctl's subtables in Lua (pin, primary, secondary, tertiary, exit,
// secondary_exit, entry, vmfunc).
namespace ctl {
#define VMXLAB_CONTROL_MASK(bit, NAME, sdm, lnx, alias) constexpr uint64_t NAME = uint64_t{1} << (bit);
namespace pin { VMXLAB_PIN_CONTROLS(VMXLAB_CONTROL_MASK) }
namespace primary { VMXLAB_PRIMARY_CONTROLS(VMXLAB_CONTROL_MASK) }
namespace secondary { VMXLAB_SECONDARY_CONTROLS(VMXLAB_CONTROL_MASK) }
namespace tertiary { VMXLAB_TERTIARY_CONTROLS(VMXLAB_CONTROL_MASK) }
namespace exit { VMXLAB_EXIT_CONTROLS(VMXLAB_CONTROL_MASK) }
namespace secondary_exit { VMXLAB_SECONDARY_EXIT_CONTROLS(VMXLAB_CONTROL_MASK) }
namespace entry { VMXLAB_ENTRY_CONTROLS(VMXLAB_CONTROL_MASK) }
namespace vmfunc { VMXLAB_VMFUNC_CONTROLS(VMXLAB_CONTROL_MASK) }
#undef VMXLAB_CONTROL_MASK
} // namespace ctl

enum class ControlKind : uint8_t {
    Pin,             // PIN_BASED_VM_EXEC_CONTROL
    Primary,         // CPU_BASED_VM_EXEC_CONTROL
    Secondary,       // SECONDARY_VM_EXEC_CONTROL
    Tertiary,        // TERTIARY_VM_EXEC_CONTROL (64-bit)
    Exit,            // VM_EXIT_CONTROLS
    SecondaryExit,   // SECONDARY_VM_EXIT_CONTROLS (64-bit)
    Entry,           // VM_ENTRY_CONTROLS
    VmFunc,          // VM_FUNCTION_CONTROL (64-bit)
};
constexpr size_t kControlKindCount = 8;

struct ControlBit {
    uint8_t bit;
    const char* name;        // without prefix, e.g. "HLT_EXITING"; prefix + name is the full name
    const char* sdm_name;    // the SDM's name for the control, e.g. "HLT exiting"
    bool linux_name;         // prefix + name is spelled as in Linux's asm/vmx.h
    const char* alias;       // another accepted full name (Linux's, where it differs), or nullptr
};

struct ControlKindInfo {
    ControlKind kind;
    const char* name;        // "pin", "primary", "secondary", "tertiary", "exit",
                             // "secondary_exit", "entry", "vmfunc"
    const char* prefix;      // Linux's macro prefix: "PIN_BASED_", "CPU_BASED_", ...
    const char* sdm_name;    // "Pin-based VM-execution controls"
    uint32_t field;          // VMCS encoding of the control field
    uint32_t msr;            // capability MSR
    uint32_t true_msr;       // IA32_VMX_TRUE_* MSR, or 0
    bool is_64bit;           // 64-bit control whose MSR reports allowed-1 settings only
    uint64_t default1;       // SDM A.2: bits reserved as 1 unless a TRUE MSR allows 0
    // This control only exists if `gate_bit` of `gate_kind` may be 1 (e.g. secondary controls
    // need primary bit 31). gate_bit == 0xFF: always exists.
    ControlKind gate_kind;
    uint8_t gate_bit;
    const ControlBit* bits;
    size_t bit_count;
};

const ControlKindInfo& control_kind_info(ControlKind kind);
// "pin", "primary", ... (also "proc", "proc2", "proc3", "exit2"); nullptr if unknown.
const ControlKindInfo* find_control_kind(const char* name);
// Accepts "HLT_EXITING", "CPU_BASED_HLT_EXITING" and the alias. nullptr if unknown.
const ControlBit* find_control_bit(ControlKind kind, const char* name);
// A bit's entry, or nullptr if the SDM gives that bit no name vmxlab knows.
const ControlBit* control_bit_at(ControlKind kind, unsigned bit);
// Writes prefix + name ("CPU_BASED_HLT_EXITING"); snprintf-style return.
size_t control_full_name(const ControlKindInfo& kind, const ControlBit& bit, char* buf, size_t cap);

} // namespace vmx
