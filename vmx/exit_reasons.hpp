// Basic exit reasons (SDM appendix C) and the 32-bit exit-reason field (SDM 25.9.1).
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace vmx {

struct ExitReasonInfo {
    uint16_t number;
    const char* name;          // Linux's EXIT_REASON_* without the prefix, where Linux has one
    const char* description;   // short, after the SDM's wording
    bool linux_name;           // false: vmxlab's name in Linux's style (Linux lacks the reason)
};

size_t exit_reason_count();
const ExitReasonInfo* exit_reason_at(size_t index);         // ascending numbers; nullptr at end
const ExitReasonInfo* find_exit_reason(uint64_t basic);     // nullptr if not a known basic reason
// "HLT" or "EXIT_REASON_HLT".
const ExitReasonInfo* find_exit_reason_by_name(const char* name);

// The exit-reason field as VMREAD(VM_EXIT_REASON) returns it.
struct ExitReasonField {
    uint16_t basic;              // bits 15:0
    bool bus_lock_detected;      // bit 26: a bus lock was asserted (with "VMM bus-lock detection")
    bool enclave_mode;           // bit 27: the exit was incident to enclave mode
    bool pending_mtf;            // bit 28: pending MTF VM exit (SMM VM exits)
    bool from_vmx_root;          // bit 29: VM exit from VMX root operation (SMM VM exits)
    bool entry_failure;          // bit 31: VM-entry failure rather than a true VM exit
    uint32_t reserved_bits;      // bits 16, 25:17, 30 (bit 16 is always 0)
};

constexpr uint32_t kExitReasonEntryFailure = 1u << 31;

ExitReasonField decode_exit_reason(uint32_t raw);

// "0x80000021: VM-entry failure; basic exit reason 33 INVALID_STATE (VM-entry failure due to
// invalid guest state)". snprintf-style return.
size_t format_exit_reason(uint32_t raw, char* buf, size_t cap);

} // namespace vmx
