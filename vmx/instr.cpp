#include "vmx/instr.hpp"

extern "C" int vmx_enter(vmx::GuestRegs* regs, int resume);   // entry.asm
extern "C" char vmx_exit_trampoline[];

namespace vmx {
namespace {


// Classifies the flags a VMX instruction left (the error read at once on VMfailValid).
void classify(uint64_t rflags, Outcome& o)
{
    Outcome c = outcome_from_flags(rflags);
    o.status = c.status;
    o.error = c.error;
}

// Runs one VMX instruction (a lambda returning RFLAGS right after it) under fault recovery.
template <typename F>
Outcome run(F instruction)
{
    Outcome o;
    uint64_t rflags = 0;
    if (!arch::try_run([&] { rflags = instruction(); classify(rflags, o); }, &o.fault))
        o.status = Status::fault;
    return o;
}

// The memory-operand instructions take a pointer to the 64-bit physical address.
#define VMX_MEM_OP(insn, pa)                                                                \
    run([&] {                                                                               \
        uint64_t f;                                                                         \
        asm volatile(insn " %1; pushfq; pop %0" : "=r"(f) : "m"(pa) : "cc", "memory");     \
        return f;                                                                           \
    })

} // namespace

Outcome vmxon(uint64_t region_pa) { return VMX_MEM_OP("vmxon", region_pa); }
Outcome vmclear(uint64_t vmcs_pa) { return VMX_MEM_OP("vmclear", vmcs_pa); }
Outcome vmptrld(uint64_t vmcs_pa) { return VMX_MEM_OP("vmptrld", vmcs_pa); }

Outcome vmxoff()
{
    return run([] {
        uint64_t f;
        asm volatile("vmxoff; pushfq; pop %0" : "=r"(f) : : "cc", "memory");
        return f;
    });
}

Outcome vmptrst(uint64_t* vmcs_pa)
{
    uint64_t pa = 0;
    Outcome o = run([&] {
        uint64_t f;
        asm volatile("vmptrst %1; pushfq; pop %0" : "=r"(f), "=m"(pa) : : "cc", "memory");
        return f;
    });
    *vmcs_pa = pa;
    return o;
}

Outcome vmread(uint64_t field, uint64_t* value)
{
    uint64_t v = 0;
    Outcome o = run([&] {
        uint64_t f;
        asm volatile("vmread %2, %1; pushfq; pop %0" : "=r"(f), "=r"(v) : "r"(field) : "cc");
        return f;
    });
    *value = v;
    return o;
}

Outcome vmwrite(uint64_t field, uint64_t value)
{
    return run([&] {
        uint64_t f;
        asm volatile("vmwrite %2, %1; pushfq; pop %0" : "=r"(f) : "r"(field), "r"(value) : "cc", "memory");
        return f;
    });
}

Outcome invept(uint64_t type, uint64_t eptp)
{
    struct { uint64_t eptp, reserved; } desc { eptp, 0 };
    return run([&] {
        uint64_t f;
        asm volatile("invept %2, %1; pushfq; pop %0" : "=r"(f) : "r"(type), "m"(desc) : "cc", "memory");
        return f;
    });
}

Outcome invvpid(uint64_t type, uint64_t vpid, uint64_t linear_address)
{
    struct { uint64_t vpid, la; } desc { vpid & 0xFFFF, linear_address };
    return run([&] {
        uint64_t f;
        asm volatile("invvpid %2, %1; pushfq; pop %0" : "=r"(f) : "r"(type), "m"(desc) : "cc", "memory");
        return f;
    });
}

namespace {

// vmx_enter's return code as an outcome (entry.asm: 0 exited, 1 VMfailInvalid, 2 VMfailValid).
void entry_outcome(int rc, Outcome& o)
{
    if (rc == 1) {
        o.status = Status::fail_invalid;
    } else if (rc == 2) {
        o.status = Status::fail_valid;
        uint64_t err = 0;
        asm volatile("vmread %1, %0" : "=rm"(err) : "r"(kVmInstructionErrorField) : "cc");
        o.error = uint32_t(err);
    }
}

// Interrupts stay off from before the entry until the exit information is safe (28.5.3 leaves
// RFLAGS = 0x2 after an exit): then the caller's IF comes back, and a pending IRQ is taken.
template <typename Enter>
Outcome enter_with_interrupts_off(Enter&& body)
{
    arch::InterruptsOff off;
    return body();
}

} // namespace

Outcome enter(bool resume, GuestRegs& regs)
{
    return enter_with_interrupts_off([&] {
        Outcome o;
        int rc = 0;
        if (!arch::try_run([&] { rc = vmx_enter(&regs, resume ? 1 : 0); }, &o.fault))
            o.status = Status::fault;
        else
            entry_outcome(rc, o);
        return o;
    });
}

Outcome enter_plain(bool resume, GuestRegs& regs)
{
    return enter_with_interrupts_off([&] {
        Outcome o;
        entry_outcome(vmx_enter(&regs, resume ? 1 : 0), o);
        return o;
    });
}

uint64_t exit_trampoline_address() { return uint64_t(vmx_exit_trampoline); }

} // namespace vmx
