// The one header through which kernel/, vmx/ and lua_bindings/ reach the x86-64 hardware
// (the idea of SerenityOS's Kernel/Arch/CPU.h). Implementations live in arch/x86_64/.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace arch {

// ---- Bring-up -------------------------------------------------------------------------------
void init();                 // GDT+TSS, IDT, PIC (remapped, masked), COM1, TSC calibration
void enable_interrupts();
void disable_interrupts();

// ---- CPU exceptions caught instead of fatal (kvm-unit-tests' ASM_TRY idea) ------------------
struct Fault {
    uint8_t vector;          // 0..31
    uint64_t error_code;     // 0 when the vector pushes none
    uint64_t rip;            // where it happened
    uint64_t cr2;            // for #PF
};
// Runs fn(ctx). Returns true if it returned normally; false if it raised a CPU exception,
// in which case *fault says which and execution resumes here (callee-saved state restored).
bool try_call(void (*fn)(void*), void* ctx, Fault* fault);
template <typename F>
bool try_run(F&& f, Fault* fault)
{
    return try_call([](void* p) { (*static_cast<F*>(p))(); }, &f, fault);
}
const char* vector_mnemonic(uint8_t vector);   // "#GP", "#UD", ...
bool vector_has_error_code(uint8_t vector);

// ---- Serial console (COM1, 115200 8N1, interrupt-driven receive) -------------------------------
void serial_write(const char* s, size_t n);
// Next received byte; -1 if none (block == false) or if a Ctrl-C went to the break handler while
// it waited (so a blocked io.read lets the interruption through).
int serial_read(bool block);
// Called from the COM1 interrupt when Ctrl-C (0x03) arrives while a handler is set; the byte is
// then consumed. nullptr: Ctrl-C is queued like any other byte.
void set_break_handler(void (*handler)());
// How many Ctrl-C bytes COM1 has received since boot (handled or queued). A VMM notices that the
// user pressed Ctrl-C while a guest ran by comparing two readings.
uint64_t break_count();

// ---- Time -------------------------------------------------------------------------------------
uint64_t tsc_hz();                             // calibrated against the PIT at boot
uint64_t ms_since_boot();
struct WallClock { int year, month, day, hour, minute, second; };
WallClock cmos_time();                          // the RTC, read as UTC

// ---- Power ------------------------------------------------------------------------------------
[[noreturn]] void poweroff(int status);         // QEMU isa-debug-exit, Bochs 0x8900, ACPI
[[noreturn]] void reboot();
[[noreturn]] void halt_forever();
// What an unrecoverable exception does after its report: power off (tests) or halt (default).
void set_poweroff_on_fatal(bool on);
enum class Emulator { unknown, qemu, bochs };
Emulator emulator();
const char* emulator_name(Emulator);

// ---- What a VMM needs to describe the running host (VMCS host-state area, SDM 25.5) ----------
struct DescriptorTables {
    uint64_t gdtr_base, idtr_base;
    uint16_t gdtr_limit, idtr_limit;
    uint16_t tr;                 // STR
    uint64_t tr_base;            // from TR's GDT descriptor (16 bytes in 64-bit mode)
};
DescriptorTables descriptor_tables();
// Runs the kernel's own handler for an interrupt that was acknowledged elsewhere (a VM exit with
// "acknowledge interrupt on exit" took the vector from the PIC): as if it had arrived through the
// IDT, EOI included. Vectors outside the PIC's 0x20..0x2F are ignored.
void deliver_irq(uint8_t vector);

// ---- Identity-mapped RAM ----------------------------------------------------------------------
void map_identity(uint64_t top);                // extend the 4 GiB boot mapping up to `top`
uint64_t mapped_top();

// ---- Privileged instructions, plain forms: a fault is fatal unless inside try_run -------------
// The safe forms (further down) return the fault instead; use them wherever the operands come from
// a user or the CPU may refuse.
struct CpuidResult { uint32_t eax, ebx, ecx, edx; };
inline CpuidResult cpuid(uint32_t leaf, uint32_t subleaf = 0)
{
    CpuidResult r;
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}
inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t(hi) << 32) | lo;
}
inline void wrmsr(uint32_t msr, uint64_t v)
{
    asm volatile("wrmsr" ::"c"(msr), "a"(uint32_t(v)), "d"(uint32_t(v >> 32)) : "memory");
}
inline uint64_t rdtsc()
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t(hi) << 32) | lo;
}
inline uint64_t read_cr0() { uint64_t v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
inline uint64_t read_cr2() { uint64_t v; asm volatile("mov %%cr2, %0" : "=r"(v)); return v; }
inline uint64_t read_cr3() { uint64_t v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
inline uint64_t read_cr4() { uint64_t v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
inline uint64_t read_cr8() { uint64_t v; asm volatile("mov %%cr8, %0" : "=r"(v)); return v; }
inline void write_cr0(uint64_t v) { asm volatile("mov %0, %%cr0" ::"r"(v) : "memory"); }
inline void write_cr2(uint64_t v) { asm volatile("mov %0, %%cr2" ::"r"(v) : "memory"); }
inline void write_cr3(uint64_t v) { asm volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
inline void write_cr4(uint64_t v) { asm volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }
inline void write_cr8(uint64_t v) { asm volatile("mov %0, %%cr8" ::"r"(v) : "memory"); }
inline uint64_t read_rflags() { uint64_t v; asm volatile("pushfq; pop %0" : "=r"(v)); return v; }
inline uint8_t inb(uint16_t p) { uint8_t v; asm volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
inline uint16_t inw(uint16_t p) { uint16_t v; asm volatile("inw %1, %0" : "=a"(v) : "Nd"(p)); return v; }
inline uint32_t inl(uint16_t p) { uint32_t v; asm volatile("inl %1, %0" : "=a"(v) : "Nd"(p)); return v; }
inline void outb(uint16_t p, uint8_t v) { asm volatile("outb %0, %1" ::"a"(v), "Nd"(p)); }
inline void outw(uint16_t p, uint16_t v) { asm volatile("outw %0, %1" ::"a"(v), "Nd"(p)); }
inline void outl(uint16_t p, uint32_t v) { asm volatile("outl %0, %1" ::"a"(v), "Nd"(p)); }

// Interrupts off (CLI) for the guard's lifetime; at its end IF is what it was before (STI only if
// it was set), so guards nest and work with interrupts already off.
class InterruptsOff {
public:
    InterruptsOff() : was_on_(read_rflags() & (1u << 9)) { asm volatile("cli" ::: "memory"); }
    ~InterruptsOff()
    {
        if (was_on_)
            asm volatile("sti" ::: "memory");
    }
    InterruptsOff(const InterruptsOff&) = delete;
    InterruptsOff& operator=(const InterruptsOff&) = delete;

private:
    bool was_on_;
};

// ---- Privileged instructions, safe forms (kvm-unit-tests' rdmsr_safe/wrmsr_safe) ---------------
// True if the instruction completed; false if it raised a CPU exception (#GP for an unknown MSR or a
// reserved bit, #UD...), which *fault then describes, and nothing else happened.
inline bool rdmsr_safe(uint32_t msr, uint64_t* value, Fault* fault)
{
    return try_run([&] { *value = rdmsr(msr); }, fault);
}
inline bool wrmsr_safe(uint32_t msr, uint64_t value, Fault* fault)
{
    return try_run([&] { wrmsr(msr, value); }, fault);
}
inline bool write_cr0_safe(uint64_t v, Fault* fault) { return try_run([&] { write_cr0(v); }, fault); }
inline bool write_cr3_safe(uint64_t v, Fault* fault) { return try_run([&] { write_cr3(v); }, fault); }
inline bool write_cr4_safe(uint64_t v, Fault* fault) { return try_run([&] { write_cr4(v); }, fault); }
inline bool write_cr8_safe(uint64_t v, Fault* fault) { return try_run([&] { write_cr8(v); }, fault); }

} // namespace arch
