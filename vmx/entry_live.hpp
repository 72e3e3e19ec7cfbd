// The VM-entry checker (vmx/entry_check.hpp) on the live, current VMCS: fills a Snapshot with
// VMREADs of the fields the processor has (decided from the capability MSRs -- never probed, so
// VM_INSTRUCTION_ERROR is left as it was), the capability MSRs and MAXPHYADDR, and a reader of
// physical memory (identity-mapped in vmxlab; a fault reads as "cannot") and of the MSRs the
// processor has (RDMSR; #GP: it has not). Hardware: VMREAD, RDMSR, CPUID.
// The snapshot is the VMCS as vmx::run() enters it: PIN_BASED_VM_EXEC_CONTROL with "external-
// interrupt exiting" and the VMX-preemption timer forced on where the CPU allows them.
#pragma once
#include "vmx/entry_check.hpp"

namespace vmx::entry {

// Fills *snap from the current VMCS. false when a VMREAD of a supported field failed (no current
// VMCS, VMX off); *snap is then partial. `resume`: the entry that follows is a VMRESUME.
bool read_live(Snapshot* snap, bool resume = false);

// Reads the current VMCS and runs check() on it: findings of `areas`, up to max. The snapshot
// asks this processor which MSRs it has (RDMSR under a fault guard) and whether it has SGX and
// CET shadow stacks (CPUID leaf 7). Returns the count (may exceed max), or -1 if the VMCS could not be read.
long check_live(AreaMask areas, Finding* out, size_t max, bool resume = false);

// Would the first VM exit of the current VMCS end in a VMX abort (28.7)? Cheap when the VM-exit
// MSR-store and MSR-load counts are 0 (then only the host-state checks could matter, and those
// fail the entry first). *finding receives the abort finding when the answer is yes.
bool would_abort(Finding* finding, bool resume = false);

} // namespace vmx::entry
