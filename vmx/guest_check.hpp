// A few of the guest-state checks VM entry makes (SDM 27.3.1), in software: when an entry fails
// with exit reason 33 ("invalid guest state") the processor does not say which check failed, so
// vmxlab names the likely culprits. Not exhaustive -- the SDM lists well over a hundred checks;
// these are the ones a hand-written VMCS breaks most often. (Bochs's log names the exact check
// and is the oracle to compare with.) Pure logic: the caller VMREADs the fields.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "vmx/caps.hpp"

namespace vmx {

struct GuestStateFields {
    uint64_t cr0, cr4, dr7, rflags, rip;
    uint64_t link_pointer;                  // VMCS_LINK_POINTER
    uint32_t activity_state, interruptibility;
    uint32_t cs_ar, ss_ar, tr_ar, ldtr_ar;  // *_AR_BYTES
    uint64_t entry_controls;                // VM_ENTRY_CONTROLS
    uint64_t secondary_controls;            // SECONDARY_VM_EXEC_CONTROL if active, else 0
};

// Writes "; "-separated findings, e.g. "GUEST_RFLAGS bit 1 is 0 (it is reserved as 1,
// 27.3.1.4)". Returns 0 and writes "" when none of these checks finds a problem.
size_t check_guest_state(const GuestStateFields& g, const VmxCaps& caps, char* buf, size_t cap);

} // namespace vmx
