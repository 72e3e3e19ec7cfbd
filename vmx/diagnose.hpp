// The likely cause of a VMX instruction's failure, in words: what the processor reported
// (VMfailInvalid, VMfailValid(n), an exception) combined with what the tracker knows (VMXON
// region, current VMCS, launch states) and a few facts the caller read from the machine. The
// processor's answer is never changed -- this only adds the "because ..." a student needs.
// (kvm-unit-tests x86/vmx.c tests each of these conditions; SDM 31.3 lists them per instruction.)
// Pure logic: no VMX instruction here.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "vmx/caps.hpp"
#include "vmx/controls.hpp"
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

// A control word outside its allowed settings (27.2.1.1-27.2.1.3, A.3-A.5), named: the field, its
// value, and each offending bit by its control name -- or, for an unnamed bit, "reserved bit n"
// with the rule it breaks (default1 bits are reserved as 1). E.g. "PIN_BASED_VM_EXEC_CONTROL =
// 0x00000000: must be 1: reserved bits 1, 2, 4 (default 1; IA32_VMX_TRUE_PINBASED_CTLS allowed-0)".
// `a` is adjust_controls(kind, value, caps). Writes "" when the value is legal.
size_t describe_control_violation(ControlKind kind, uint64_t value, const Adjusted& a, char* buf, size_t cap);

// Why INVEPT/INVVPID answered VMfailValid(28) "invalid operand to INVEPT/INVVPID" (SDM 31.3
// INVEPT, INVVPID): an unsupported type (IA32_VMX_EPT_VPID_CAP, `ept_vpid_cap`), or -- for a
// supported type -- an invalid operand: an EPTP that VM entry would reject (27.2.1.1: memory type,
// walk length, A/D bit, reserved bits, physical-address width), a VPID of 0 or with bits 63:16 set,
// a non-canonical linear address. `operand` is the EPTP (INVEPT) or the VPID (INVVPID);
// `linear` the INVVPID address. Writes "" (returns 0) when nothing explains it.
size_t explain_inv_operand(Instr instr, uint64_t type, uint64_t operand, uint64_t linear,
                           uint64_t ept_vpid_cap, uint8_t phys_width, char* buf, size_t cap);

} // namespace vmx
