// Running the guest of the current VMCS until a VM exit the user should see (SDM 27 VM entries,
// 28 VM exits), and the same round trip as a tight C++ loop for the benchmark. Knows no Lua.
//
// Ctrl-C must reach the kernel while a guest runs: for the duration of run() the pin-based
// "external-interrupt exiting" control is forced on (25.6.1), so the COM1 interrupt makes the
// guest exit with reason 1; the host then takes the interrupt (vmx::enter re-enables IF, or the
// vector acknowledged on exit is handed to arch::deliver_irq) and either resumes the guest
// transparently or, if the interrupt was a Ctrl-C, returns an exit marked `interrupted`. The
// user's own control value is restored before run() returns. Where the CPU has the VMX-preemption
// timer and the user does not use it, it also serves as a watchdog (see run.cpp).
#pragma once
#include <stdint.h>

#include "vmx/guest_exception.hpp"
#include "vmx/instr.hpp"

namespace vmx {

// The exit information fields (25.9) as read right after the exit.
struct ExitRecord {
    uint32_t reason;                 // VM_EXIT_REASON, raw (bit 31: VM-entry failure)
    uint64_t qualification;          // EXIT_QUALIFICATION
    uint64_t guest_rip;              // GUEST_RIP: the instruction that exited (or the next one)
    uint32_t instruction_length;     // VM_EXIT_INSTRUCTION_LEN
    uint32_t instruction_info;       // VMX_INSTRUCTION_INFO
    uint32_t intr_info;              // VM_EXIT_INTR_INFO
    uint32_t intr_error;             // VM_EXIT_INTR_ERROR_CODE
    uint32_t idt_vectoring_info;     // IDT_VECTORING_INFO_FIELD
    uint32_t idt_vectoring_error;    // IDT_VECTORING_ERROR_CODE
    uint64_t guest_linear;           // GUEST_LINEAR_ADDRESS
    uint64_t guest_physical;         // GUEST_PHYSICAL_ADDRESS (EPT exits 48/49 only, else 0)
    bool interrupted;                // a Ctrl-C arrived while the guest ran
    bool budget_expired;             // exit 52 caused by the budget given to run()
    uint32_t host_interrupts;        // exits absorbed on the user's behalf (host IRQs, watchdog)
    GuestException guest_exception;  // a VMCALL from vmxlib's guest IDT handlers, decoded
};

// The smallest budget that lets the guest run at least one instruction. The unit is the
// VMX-preemption timer's tick: one per 2^IA32_VMX_MISC[4:0] TSC ticks (26.5.1); in Bochs the rate
// is 0 and the TSC counts instructions, so a tick is one instruction. A value of 0 exits before
// the guest's first instruction (27.6.4), and a value below the VM-entry latency does too, so
// the guest never makes progress (chapter 31 warns of exactly this). Bochs spends one tick on
// the entry itself: budget n runs n - 1 guest instructions there, and 1 would run none, forever
// exiting at the same RIP. Real CPUs at rate 5 have 32 TSC ticks per timer tick.
inline constexpr uint32_t kMinBudget = 2;

struct RunRequest {
    bool resume = false;             // VMRESUME (else VMLAUNCH) for the first entry
    bool use_budget = false;         // arm the VMX-preemption timer (pin bit 6, field 0x482E)
    uint32_t budget = 0;             // its start value, in timer ticks (>= kMinBudget)
    // The caller knows VMX operation is on with a current VMCS (vmxlab's tracker says so): the
    // plain VMREAD/VMWRITE/VMRESUME forms are used, which cannot fault then (SDM 31.3). Else
    // the safe forms, so that a #UD comes back as a value.
    bool vmcs_current = false;
};

struct RunResult {
    Outcome outcome;                 // the entry instruction's; succeed = an exit came back
    ExitRecord exit {};              // valid when outcome.ok()
    bool entered = false;            // some entry reached the guest (the VMCS is launched now)
};

RunResult run(const RunRequest& request, GuestRegs& regs);

// IA32_VMX_PINBASED_CTLS allowed-1 bit 6: can this CPU count a budget? (Not on Bochs's
// core2_penryn_t9600 or bx_generic.)
bool has_preemption_timer();

// The benchmark's minimal C++ path: `n` times VMRESUME -> exit -> GUEST_RIP += instruction
// length, with no decoding. The current VMCS must be launched with a guest whose exits are all
// CPUID (guest "cpuid_loop"). Returns TSC ticks per round trip in *per_trip (instructions, in
// Bochs). Stops early at the first other exit (*reason says which) or failure.
struct BenchResult {
    Outcome outcome;
    uint64_t done = 0;               // round trips completed
    uint64_t ticks = 0;              // TSC delta over those
    uint32_t reason = 0;             // the last exit reason seen
};
BenchResult bench_roundtrip(uint64_t n, GuestRegs& regs);

} // namespace vmx
