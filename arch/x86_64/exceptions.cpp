// Interrupt dispatch, recoverable faults and the fatal-exception report.
// A fault inside arch::try_call resumes at the guard (the binding then returns nil, msg, vector);
// any other exception prints vector, error code, RIP, CR2 and registers on COM1 and stops.
#include "arch/x86_64/x86.hpp"

extern "C" int arch_guard_call(void* guard, void (*fn)(void*), void* ctx);

namespace arch {
namespace {

struct Guard {                       // layout shared with arch_guard_call (isr.asm)
    uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip, rflags;
    Guard* prev;
    Fault* fault;
};
// arch_guard_call (isr.asm) stores the callee-saved registers, RSP, RIP and RFLAGS at these offsets.
static_assert(offsetof(Guard, rbx) == 0 && offsetof(Guard, rbp) == 8 && offsetof(Guard, r12) == 16
              && offsetof(Guard, r13) == 24 && offsetof(Guard, r14) == 32 && offsetof(Guard, r15) == 40
              && offsetof(Guard, rsp) == 48 && offsetof(Guard, rip) == 56 && offsetof(Guard, rflags) == 64,
              "Guard's layout must match isr.asm's arch_guard_call");
Guard* volatile current_guard;
bool poweroff_on_fatal;

const char* const mnemonics[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS", "#NP", "#SS",
    "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23", "#24", "#25",
    "#26", "#27", "#HV", "#VC", "#SX", "#31",
};
const char* const names[32] = {
    "divide error", "debug", "non-maskable interrupt", "breakpoint", "overflow", "BOUND range exceeded",
    "invalid opcode", "device not available", "double fault", "coprocessor segment overrun",
    "invalid TSS", "segment not present", "stack-segment fault", "general protection",
    "page fault", "reserved", "x87 floating-point error", "alignment check", "machine check",
    "SIMD floating-point exception", "virtualization exception", "control protection", "reserved",
    "reserved", "reserved", "reserved", "reserved", "reserved", "hypervisor injection",
    "VMM communication", "security exception", "reserved",
};

// NMI, #DF and #MC mean the machine is in trouble; never "recover" from them.
bool recoverable(uint64_t vector) { return vector < 32 && vector != 2 && vector != 8 && vector != 18; }

} // namespace

void set_poweroff_on_fatal(bool on) { poweroff_on_fatal = on; }

const char* vector_mnemonic(uint8_t v) { return v < 32 ? mnemonics[v] : "#??"; }

bool vector_has_error_code(uint8_t v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;
}

bool try_call(void (*fn)(void*), void* ctx, Fault* fault)
{
    Guard g {};
    g.prev = current_guard;
    g.fault = fault;
    current_guard = &g;
    int faulted = arch_guard_call(&g, fn, ctx);
    current_guard = g.prev;
    return !faulted;
}

} // namespace arch

namespace arch::x86 {

void panic_frame(const InterruptFrame& f, const char* why)
{
    uint64_t cr2 = read_cr2();
    serial_print("\r\n*** vmxlab: ");
    serial_print(why);
    if (f.vector < 32) {
        serial_print(": ");
        serial_print(arch::vector_mnemonic(uint8_t(f.vector)));
        serial_print(" ");
        serial_print(arch::names[f.vector]);
    }
    serial_print(" (vector ");
    serial_print_hex(f.vector, 2);
    serial_print(", error code ");
    serial_print_hex(f.error_code, 8);
    serial_print(")\r\n");
    struct { const char* name; uint64_t value; } rows[] = {
        { "RIP", f.rip }, { "CR2", cr2 }, { "RSP", f.rsp }, { "RFLAGS", f.rflags },
        { "RAX", f.rax }, { "RBX", f.rbx }, { "RCX", f.rcx }, { "RDX", f.rdx },
        { "RSI", f.rsi }, { "RDI", f.rdi }, { "RBP", f.rbp }, { "R8", f.r8 },
        { "R9", f.r9 }, { "R10", f.r10 }, { "R11", f.r11 }, { "R12", f.r12 },
        { "R13", f.r13 }, { "R14", f.r14 }, { "R15", f.r15 }, { "CS", f.cs },
        { "SS", f.ss }, { "CR0", read_cr0() }, { "CR3", read_cr3() }, { "CR4", read_cr4() },
    };
    int col = 0;
    for (auto& r : rows) {
        serial_print("  ");
        serial_print(r.name);
        for (int pad = 7 - int(__builtin_strlen(r.name)); pad > 0; --pad)
            serial_print(" ");
        serial_print("= ");
        serial_print_hex(r.value);
        if (++col % 3 == 0)
            serial_print("\r\n");
    }
    serial_print("*** vmxlab halted.\r\n");
    if (arch::poweroff_on_fatal)
        arch::poweroff(3);
    arch::halt_forever();
}

} // namespace arch::x86

using namespace arch::x86;

extern "C" void isr_dispatch(InterruptFrame* f)
{
    if (f->vector >= irq_base && f->vector < irq_base + 16) {
        unsigned irq = unsigned(f->vector - irq_base);
        if (pic_spurious(irq))
            return;
        if (irq == 4)
            serial_irq();
        pic_eoi(irq);
        return;
    }
    arch::Guard* g = arch::current_guard;
    if (g && arch::recoverable(f->vector)) {
        if (g->fault) {
            g->fault->vector = uint8_t(f->vector);
            g->fault->error_code = f->error_code;
            g->fault->rip = f->rip;
            g->fault->cr2 = f->vector == 14 ? arch::read_cr2() : 0;
        }
        // Resume as if arch_guard_call returned 1, with the state it saved.
        f->rbx = g->rbx; f->rbp = g->rbp; f->r12 = g->r12; f->r13 = g->r13;
        f->r14 = g->r14; f->r15 = g->r15;
        f->rsp = g->rsp; f->rip = g->rip; f->rflags = g->rflags;
        f->cs = kernel_cs; f->ss = kernel_ds;
        f->rax = 1;
        return;
    }
    panic_frame(*f, "unhandled CPU exception");
}
