// The VMX instructions, one wrapper each (SDM vol. 3C chapter 31 / 31.2 "conventions"). Every
// wrapper yields exactly one of: VMsucceed, VMfailInvalid (CF=1), VMfailValid (ZF=1, with the
// VM-instruction error read right after the instruction, before anything else can disturb it),
// or a CPU exception the instruction raised (#UD, #GP...), caught by arch::try_run.
// (kvm-unit-tests x86/vmx.h: make_vmcs_current and friends check the flags the same way.)
#pragma once
#include <stdint.h>
#include "arch/cpu.hpp"
#include "vmx/guest_regs.hpp"

namespace vmx {

enum class Status : uint8_t { succeed, fail_invalid, fail_valid, fault };

struct Outcome {
    Status status = Status::succeed;
    uint32_t error = 0;          // VM_INSTRUCTION_ERROR when status == fail_valid
    arch::Fault fault {};        // when status == fault
    bool ok() const { return status == Status::succeed; }
};

Outcome vmxon(uint64_t region_pa);
Outcome vmxoff();
Outcome vmclear(uint64_t vmcs_pa);
Outcome vmptrld(uint64_t vmcs_pa);
Outcome vmptrst(uint64_t* vmcs_pa);
Outcome vmread(uint64_t field, uint64_t* value);
Outcome vmwrite(uint64_t field, uint64_t value);
Outcome invept(uint64_t type, uint64_t eptp);
Outcome invvpid(uint64_t type, uint64_t vpid, uint64_t linear_address);

constexpr uint64_t kRflagsCF = 1, kRflagsZF = 1 << 6;   // 31.2: VMfailInvalid, VMfailValid
constexpr uint64_t kVmInstructionErrorField = 0x4400;   // VM_INSTRUCTION_ERROR

// The outcome the flags right after a VMX instruction mean; on VMfailValid the error number is
// read at once, before anything else can change it.
inline Outcome outcome_from_flags(uint64_t rflags)
{
    Outcome o;
    if (rflags & kRflagsCF) {
        o.status = Status::fail_invalid;
    } else if (rflags & kRflagsZF) {
        o.status = Status::fail_valid;
        uint64_t err;
        asm volatile("vmread %1, %0" : "=r"(err) : "r"(kVmInstructionErrorField) : "cc");
        o.error = uint32_t(err);
    }
    return o;
}

// Plain forms of VMREAD/VMWRITE, without fault recovery, for hot paths that know VMX operation is
// on and a VMCS is current (right after a VM exit): there they cannot fault at CPL 0 (SDM 31.3),
// and VMfailInvalid/VMfailValid are still reported. Everything else uses the safe forms above.
inline Outcome vmread_plain(uint64_t field, uint64_t* value)
{
    uint64_t rflags;
    asm volatile("vmread %2, %1; pushfq; pop %0" : "=r"(rflags), "=r"(*value) : "r"(field) : "cc");
    return outcome_from_flags(rflags);
}
inline Outcome vmwrite_plain(uint64_t field, uint64_t value)
{
    uint64_t rflags;
    asm volatile("vmwrite %2, %1; pushfq; pop %0" : "=r"(rflags) : "r"(field), "r"(value) : "cc", "memory");
    return outcome_from_flags(rflags);
}

// VMLAUNCH (resume == false) or VMRESUME with `regs` loaded into the guest. Fills HOST_RSP and
// HOST_RIP itself (the exit lands in vmx_exit_trampoline, entry.asm). Returns succeed when the
// guest ran and a VM exit (or a VM-entry failure reported as an exit, SDM 27.8) came back;
// interrupts are off across the entry and restored to their previous state afterwards.
Outcome enter(bool resume, GuestRegs& regs);
// The same without fault recovery, for callers that know VMX operation is on (VMLAUNCH and
// VMRESUME cannot fault in VMX root operation at CPL 0).
Outcome enter_plain(bool resume, GuestRegs& regs);

// The address of the exit trampoline, for a user who writes HOST_RIP by hand.
uint64_t exit_trampoline_address();

} // namespace vmx
