#include "vmx/run.hpp"

#include "vmx/caps.hpp"
#include "vmx/controls.hpp"
#include "vmx/exit_reasons.hpp"
#include "vmx/fields.hpp"
#include "vmx/host.hpp"
#include "vmx/intr_info.hpp"

extern "C" int vmx_enter(vmx::GuestRegs* regs, int resume);   // entry.asm

namespace vmx {
namespace {

constexpr uint64_t pin_ext_intr_exiting = ctl::pin::EXT_INTR_EXITING;   // 25.6.1
constexpr uint64_t pin_preemption_timer = ctl::pin::PREEMPTION_TIMER;
constexpr uint64_t exit_ack_intr_on_exit = ctl::exit::ACK_INTR_ON_EXIT; // 25.7.1
constexpr uint16_t reason_external_interrupt = 1, reason_preemption_timer = 52;
constexpr uint16_t reason_ept_violation = 48, reason_ept_misconfig = 49;
// The watchdog's slice in preemption-timer ticks (TSC >> IA32_VMX_MISC[4:0]): in Bochs (rate 0)
// that many guest instructions, some 40 ms of host time.
constexpr uint32_t watchdog_ticks = 1u << 22;

// After a VM exit there is a current VMCS and these fields exist on every VMX processor, so
// the plain instruction is enough (no fault recovery, flags not needed).
inline uint64_t read_field(uint64_t field)
{
    uint64_t v;
    asm volatile("vmread %1, %0" : "=r"(v) : "r"(field) : "cc");
    return v;
}
inline void write_field(uint64_t field, uint64_t value)
{
    asm volatile("vmwrite %1, %0" ::"r"(field), "r"(value) : "cc", "memory");
}

void read_exit(ExitRecord& e)
{
    e.reason = uint32_t(read_field(vmcs::VM_EXIT_REASON));
    e.qualification = read_field(vmcs::EXIT_QUALIFICATION);
    e.guest_rip = read_field(vmcs::GUEST_RIP);
    e.instruction_length = uint32_t(read_field(vmcs::VM_EXIT_INSTRUCTION_LEN));
    e.instruction_info = uint32_t(read_field(vmcs::VMX_INSTRUCTION_INFO));
    e.intr_info = uint32_t(read_field(vmcs::VM_EXIT_INTR_INFO));
    e.intr_error = uint32_t(read_field(vmcs::VM_EXIT_INTR_ERROR_CODE));
    e.idt_vectoring_info = uint32_t(read_field(vmcs::IDT_VECTORING_INFO_FIELD));
    e.idt_vectoring_error = uint32_t(read_field(vmcs::IDT_VECTORING_ERROR_CODE));
    e.guest_linear = read_field(vmcs::GUEST_LINEAR_ADDRESS);
    uint16_t basic = uint16_t(e.reason);
    // Only CPUs with EPT have this field; reading it elsewhere would set VM_INSTRUCTION_ERROR.
    e.guest_physical = basic == reason_ept_violation || basic == reason_ept_misconfig
                           ? read_field(vmcs::GUEST_PHYSICAL_ADDRESS) : 0;
}

uint64_t pin_allowed1()
{
    static uint64_t allowed1 = ~uint64_t(0);
    if (allowed1 == ~uint64_t(0)) {
        ControlCaps c = control_caps(host_caps(), ControlKind::Pin);
        allowed1 = c.available ? c.allowed1 : 0;
    }
    return allowed1;
}

// The pin-based controls as the user set them, and as run() enters with them.
struct Forcing {
    uint64_t pin = 0, exit_controls = 0, forced = 0;
    bool have_vmcs = false, watchdog = false;
};

// Forces "external-interrupt exiting" (so Ctrl-C reaches the kernel) and, for a budget or as a
// watchdog, the VMX-preemption timer, writing them into the current VMCS.
Forcing force_pin_controls(const RunRequest& request)
{
    Forcing fc;
    // Without a current VMCS the VMREAD fails; then the entry is still attempted, so that the
    // processor reports the misuse itself (VMfailInvalid).
    uint64_t& pin = fc.pin;
    fc.have_vmcs = (request.vmcs_current ? vmread_plain(vmcs::PIN_BASED_VM_EXEC_CONTROL, &pin)
                                         : vmread(vmcs::PIN_BASED_VM_EXEC_CONTROL, &pin)).ok()
                   && vmread_plain(vmcs::VM_EXIT_CONTROLS, &fc.exit_controls).ok();
    fc.forced = pin;
    if (pin_allowed1() & pin_ext_intr_exiting)
        fc.forced |= pin_ext_intr_exiting;
    // A watchdog where the CPU has the preemption timer and nobody else uses it: Bochs 2.7 does
    // not take external-interrupt exits for a guest entered with RFLAGS.IF = 0 (it evaluates the
    // interrupt mask before it is in the guest), so the timer's exits let the host look for a
    // Ctrl-C regularly. They are absorbed like the host's interrupts.
    fc.watchdog = !request.use_budget && !(pin & pin_preemption_timer)
                  && (pin_allowed1() & pin_preemption_timer);
    if (request.use_budget || fc.watchdog) {
        fc.forced |= pin_preemption_timer;
        if (fc.have_vmcs)
            vmwrite_plain(vmcs::VMX_PREEMPTION_TIMER_VALUE,
                          request.use_budget ? request.budget : watchdog_ticks);
    }
    if (fc.have_vmcs && fc.forced != pin)
        vmwrite_plain(vmcs::PIN_BASED_VM_EXEC_CONTROL, fc.forced);
    return fc;
}

} // namespace

bool has_preemption_timer() { return pin_allowed1() & pin_preemption_timer; }

RunResult run(const RunRequest& request, GuestRegs& regs)
{
    RunResult r;
    const Forcing fc = force_pin_controls(request);
    const uint64_t pin = fc.pin, exit_controls = fc.exit_controls, forced = fc.forced;
    const bool have_vmcs = fc.have_vmcs, watchdog = fc.watchdog;

    uint64_t breaks = arch::break_count();
    bool resume = request.resume;
    for (;;) {
        r.outcome = request.vmcs_current ? enter_plain(resume, regs) : enter(resume, regs);
        if (!r.outcome.ok())
            break;
        read_exit(r.exit);
        if (r.exit.reason & kExitReasonEntryFailure)
            break;                      // VM-entry failure: nothing ran, launch state unchanged
        r.entered = true;
        resume = true;
        uint16_t basic = uint16_t(r.exit.reason);
        if (basic == reason_external_interrupt) {
            // With "acknowledge interrupt on exit" the PIC has handed over the vector and waits
            // for an EOI: the kernel's handler must run or COM1 would fall silent.
            if ((exit_controls & exit_ack_intr_on_exit) && (r.exit.intr_info & kIntrInfoValid))
                arch::deliver_irq(uint8_t(r.exit.intr_info));
            // Otherwise enter() re-enabled interrupts and the kernel took the IRQ already.
            if (arch::break_count() != breaks) {
                r.exit.interrupted = true;
                break;
            }
            if (!(pin & pin_ext_intr_exiting)) {
                ++r.exit.host_interrupts;
                continue;               // the user did not ask for these exits
            }
        }
        if (basic == reason_preemption_timer && request.use_budget && !(pin & pin_preemption_timer))
            r.exit.budget_expired = true;
        if (basic == reason_preemption_timer && watchdog) {
            // enter() has re-enabled interrupts: an IRQ the guest left pending was taken there.
            if (arch::break_count() != breaks) {
                r.exit.interrupted = true;
                break;
            }
            ++r.exit.host_interrupts;
            continue;
        }
        break;
    }
    if (have_vmcs && forced != pin)
        vmwrite_plain(vmcs::PIN_BASED_VM_EXEC_CONTROL, pin);
    if (r.outcome.ok() && !(r.exit.reason & kExitReasonEntryFailure))
        r.exit.guest_exception = decode_guest_exception(uint16_t(r.exit.reason), regs);
    return r;
}

BenchResult bench_roundtrip(uint64_t n, GuestRegs& regs)
{
    BenchResult b;
    arch::InterruptsOff off;
    int rc = 0;
    if (!arch::try_run([&] {
            uint64_t t0 = arch::rdtsc();
            for (; b.done < n; ++b.done) {
                rc = vmx_enter(&regs, 1);
                if (rc)
                    break;
                b.reason = uint32_t(read_field(vmcs::VM_EXIT_REASON));
                if (b.reason != 10)
                    break;
                write_field(vmcs::GUEST_RIP, read_field(vmcs::GUEST_RIP)
                                                 + read_field(vmcs::VM_EXIT_INSTRUCTION_LEN));
            }
            b.ticks = arch::rdtsc() - t0;
        }, &b.outcome.fault))
        b.outcome.status = Status::fault;
    else if (rc == 1)
        b.outcome.status = Status::fail_invalid;
    else if (rc == 2) {
        b.outcome.status = Status::fail_valid;
        b.outcome.error = uint32_t(read_field(vmcs::VM_INSTRUCTION_ERROR));
    }
    return b;
}

} // namespace vmx
