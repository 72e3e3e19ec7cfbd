// Leaving the machine: QEMU's isa-debug-exit (when the test runner adds it), Bochs's 0x8900
// shutdown port, ACPI soft-off on the PIIX4 PM block (QEMU 0x604, Bochs/old QEMU 0xB004),
// and reboot through the keyboard controller or a triple fault.
#include "arch/x86_64/x86.hpp"

namespace arch {

[[noreturn]] void halt_forever()
{
    for (;;)
        asm volatile("cli; hlt");
}

[[noreturn]] void poweroff(int status)
{
    // isa-debug-exit: QEMU exits with (status << 1) | 1. Absent device: the write is ignored.
    outb(0xF4, uint8_t(status));
    for (const char* p = "Shutdown"; *p; ++p)
        outb(0x8900, uint8_t(*p));
    outw(0x604, 0x2000);
    outw(0xB004, 0x2000);
    halt_forever();
}

[[noreturn]] void reboot()
{
    for (int i = 0; i < 100000 && (inb(0x64) & 0x02); ++i)
        ;
    outb(0x64, 0xFE);                                   // pulse the CPU reset line
    struct [[gnu::packed]] { uint16_t limit; uint64_t base; } empty { 0, 0 };
    asm volatile("lidt %0; int3" ::"m"(empty));        // no IDT: triple fault resets
    halt_forever();
}

Emulator emulator()
{
    // A hypervisor says who it is in CPUID 0x40000000 (QEMU TCG "TCGTCGTCGTCG", KVM "KVMKVMKVM").
    if (cpuid(1).ecx & (1u << 31)) {
        CpuidResult r = cpuid(0x40000000);
        char sig[13];
        __builtin_memcpy(sig, &r.ebx, 4);
        __builtin_memcpy(sig + 4, &r.ecx, 4);
        __builtin_memcpy(sig + 8, &r.edx, 4);
        sig[12] = 0;
        if (!__builtin_memcmp(sig, "TCGTCGTCGTCG", 12) || !__builtin_memcmp(sig, "KVMKVMKVM", 9))
            return Emulator::qemu;
    }
    // Bochs sets no hypervisor bit; its BIOS (rombios, 128 KiB at 0xE0000) carries the project's
    // name. (QEMU's SeaBIOS has "BOCHS" as an ACPI OEM id, hence the longer string.)
    static constexpr char marker[] = "The Bochs Project";
    const char* rom = reinterpret_cast<const char*>(0xE0000);
    for (size_t i = 0; i + sizeof marker < 0x20000; ++i)
        if (rom[i] == 'T' && !__builtin_memcmp(rom + i, marker, sizeof marker - 1))
            return Emulator::bochs;
    return Emulator::unknown;
}

const char* emulator_name(Emulator e)
{
    switch (e) {
    case Emulator::qemu: return "qemu";
    case Emulator::bochs: return "bochs";
    default: return "unknown";
    }
}

} // namespace arch
