// The hardware side of the VMX lab that is not one instruction: is VMX there, the capability
// MSRs read with fault recovery, and the VMCS host-state area filled from the running kernel.
#pragma once
#include <stdint.h>

#include "vmx/caps.hpp"
#include "vmx/instr.hpp"

namespace vmx {

// CPUID.1:ECX[5]. Without it nothing here may run: CR4.VMXE hangs QEMU TCG (docs/vmx-api.md).
bool cpu_has_vmx();

// IA32_VMX_BASIC .. IA32_VMX_EXIT_CTLS2, each read under fault recovery (missing ones #GP on
// older models and are reported missing). Read once, then cached: they cannot change.
const VmxCaps& host_caps();

// IA32_FEATURE_CONTROL (SDM 24.7): VMXON #GPs unless it is locked (bit 0) with "VMX outside SMX"
// (bit 2) enabled. read_feature_control returns false if the RDMSR faulted.
constexpr uint32_t kMsrFeatureControl = 0x3A;
constexpr uint64_t kFeatureControlLock = 1, kFeatureControlVmxOutsideSmx = 4;
constexpr uint64_t kFeatureControlVmxon = kFeatureControlLock | kFeatureControlVmxOutsideSmx;
bool read_feature_control(uint64_t* v);

// CPUID 0x80000008 EAX[7:0], the physical-address width (36 when the leaf is missing).
uint8_t physical_address_width();

// Writes the host-state area (SDM 25.5, checked by 27.2.2-27.2.4) from the running kernel:
// CR0/CR3/CR4, CS/SS/DS/ES/FS/GS/TR selectors, FS/GS/TR/GDTR/IDTR bases, the SYSENTER MSRs,
// IA32_EFER and IA32_PAT when the VM-exit controls load them, and HOST_RIP = the exit
// trampoline (vmx::enter writes HOST_RSP/HOST_RIP again before each entry). On the first
// failing VMWRITE returns its outcome and sets *failed_field.
Outcome write_host_state(uint32_t* failed_field);

} // namespace vmx
