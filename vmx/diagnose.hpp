// The likely cause of a VMX instruction's failure, in words: what the processor reported
// (VMfailInvalid, VMfailValid(n), an exception) combined with what the tracker knows (VMXON
// region, current VMCS, launch states) and a few facts the caller read from the machine. The
// processor's answer is never changed -- this only adds the "because ..." a student needs.
// (kvm-unit-tests x86/vmx.c tests each of these conditions; SDM 31.3 lists them per instruction.)
// Pure logic: no VMX instruction here.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "vmx/fields.hpp"
#include "vmx/tracker.hpp"

namespace vmx {

enum class Instr : uint8_t {
    vmxon, vmxoff, vmclear, vmptrld, vmptrst, vmread, vmwrite, vmlaunch, vmresume, invept, invvpid,
};
const char* instr_name(Instr instr);       // "vmxon", ...

enum class FailureKind : uint8_t { fail_invalid, fail_valid, fault };

struct FailureFacts {
    Instr instr;
    FailureKind kind;
    uint32_t error = 0;              // VM-instruction error (fail_valid)
    uint8_t vector = 0;              // exception vector (fault)
    uint64_t operand = 0;            // region/VMCS address, or the field encoding
    const Tracker* tracker = nullptr;// state before the instruction ran
    bool cr4_vmxe = true;            // CR4.VMXE when it ran
    bool region_readable = false;    // the operand's first dword could be read:
    uint32_t region_dword = 0;       //   its value (a region's revision identifier)
    uint32_t cpu_revision = 0;       // IA32_VMX_BASIC[30:0] (0: unknown)
    bool vmwrite_exit_info = false;  // IA32_VMX_MISC[29]
    uint8_t phys_width = 0;          // CPUID 0x80000008 EAX[7:0] (0: unknown)
    const char* detail = nullptr;    // the caller's own findings (control or fixed-bit checks)
};

// Writes the likely cause, without the processor's message, e.g. "vmlaunch was never run on
// VMCS 0x0000000000123000 since its last vmclear: vmx.vmlaunch() first". Returns 0 (and writes
// "") when there is nothing useful to add. snprintf-style return.
size_t explain_failure(const FailureFacts& facts, char* buf, size_t cap);

} // namespace vmx
