// Human-readable reports on the capability MSRs, adjust() results and fixed-bit violations:
// what a REPL prints after vmx.caps(), vmx.adjust() or a VMXON #GP.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "vmx/caps.hpp"

namespace vmx {

// "revision id 0x2B, VMXON/VMCS region 4096 bytes, memory type 6 (WB), ..."
size_t format_basic(uint64_t value, char* buf, size_t cap);
// "preemption timer: 1 tick per 2^0 TSC ticks, activity states: HLT shutdown wait-for-SIPI, ..."
size_t format_misc(uint64_t value, char* buf, size_t cap);

// One line per bit of a control word, e.g. for Entry on corei7_skylake_x:
//   "VM-entry controls from IA32_VMX_TRUE_ENTRY_CTLS (0x490): allowed-0 0x000011FB, allowed-1
//    0x0000FFFF\n  bit  2 LOAD_DEBUG_CONTROLS: 0 or 1\n  bit  9 IA32E_MODE: 0 or 1\n ..."
// Bits nobody may set and that have no name are left out; unnamed bits that must be 1 are
// listed as "(reserved, default1)". Lines end in '\n'.
size_t describe_controls(ControlKind kind, const VmxCaps& caps, char* buf, size_t cap);

// "secondary: wanted 0x00000082, legal 0x00000000; forced on: none; forced off: ENABLE_EPT,
// UNRESTRICTED_GUEST" -- the bits adjust() forced, by name ("bit 3" where the SDM has none).
size_t format_adjusted(ControlKind kind, uint64_t wanted, const Adjusted& adjusted, char* buf,
                       size_t cap);

// Names of CR0/CR4 bits ("PE", "NE", "VMXE", ...); nullptr for bits without one.
const char* cr0_bit_name(unsigned bit);
const char* cr4_bit_name(unsigned bit);
// "CR4 0x00000020 violates the VMX fixed bits: CR4.VMXE (bit 13) must be 1" or
// "CR0 0x80000031 satisfies IA32_VMX_CR0_FIXED0/1". cr is 0 or 4.
size_t format_fixed_check(unsigned cr, uint64_t value, const FixedCheck& check, char* buf,
                          size_t cap);

} // namespace vmx
