// The VMX instructions, one wrapper each (SDM vol. 3C chapter 31 / 30.2 "conventions"). Every
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

// Plain forms of VMREAD/VMWRITE, without fault recovery, for hot paths that know VMX operation is
// on and a VMCS is current (right after a VM exit): there they cannot fault at CPL 0 (SDM 31.3),
// and VMfailInvalid/VMfailValid are still reported. Everything else uses the safe forms above.
inline Outcome vmread_plain(uint64_t field, uint64_t* value)
{
    Outcome o;
    uint64_t rflags;
    asm volatile("vmread %2, %1; pushfq; pop %0" : "=r"(rflags), "=r"(*value) : "r"(field) : "cc");
    if (rflags & 0x41) {
        o.status = rflags & 1 ? Status::fail_invalid : Status::fail_valid;
        if (o.status == Status::fail_valid) {
            uint64_t err;
            asm volatile("vmread %1, %0" : "=r"(err) : "r"(uint64_t(0x4400)) : "cc");
            o.error = uint32_t(err);
        }
    }
    return o;
}
inline Outcome vmwrite_plain(uint64_t field, uint64_t value)
{
    Outcome o;
    uint64_t rflags;
    asm volatile("vmwrite %2, %1; pushfq; pop %0" : "=r"(rflags) : "r"(field), "r"(value) : "cc", "memory");
    if (rflags & 0x41) {
        o.status = rflags & 1 ? Status::fail_invalid : Status::fail_valid;
        if (o.status == Status::fail_valid) {
            uint64_t err;
            asm volatile("vmread %1, %0" : "=r"(err) : "r"(uint64_t(0x4400)) : "cc");
            o.error = uint32_t(err);
        }
    }
    return o;
}

// VMLAUNCH (resume == false) or VMRESUME with `regs` loaded into the guest. Fills HOST_RSP and
// HOST_RIP itself (the exit lands in vmx_exit_trampoline, entry.asm). Returns succeed when the
// guest ran and a VM exit (or a VM-entry failure reported as an exit, SDM 26.8) came back;
// interrupts are off across the entry and restored to their previous state afterwards.
Outcome enter(bool resume, GuestRegs& regs);

// The address of the exit trampoline, for a user who writes HOST_RIP by hand.
uint64_t exit_trampoline_address();

} // namespace vmx
