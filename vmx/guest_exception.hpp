// Exceptions a vmxlib guest handles itself, reported to the host. vmxlib.guest64 gives every guest
// its own IDT (GUEST_IDTR, in guest memory) whose 256 gates lead to guests/idt_report.asm: each
// handler executes VMCALL with RAX = kGuestExceptionMagic, RBX = vector, RCX = error code (0 for
// vectors without one), RDX = the RIP the exception frame holds, RSI = CR2. An exception that
// does not exit by itself (an injected event, 27.5.1; a vector cleared in EXCEPTION_BITMAP, 26.2)
// thus ends in a decoded exit instead of running the kernel's own handlers inside the guest.
// Pure logic: no hardware, no Lua (host-tested).
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "vmx/guest_regs.hpp"

namespace vmx {

// "vmxGEXC\0" read as a little-endian qword; guests/idt_report.asm loads the same value.
inline constexpr uint64_t kGuestExceptionMagic = 0x0043584547786D76ull;

struct GuestException {
    bool valid;          // this exit is a report from the guest's IDT handler
    uint8_t vector;      // 0-255
    uint64_t error_code; // as pushed by the processor (0 when the vector pushes none)
    uint64_t rip;        // the RIP saved in the exception frame: the faulting or next instruction
    uint64_t cr2;        // CR2 when the handler ran (the linear address of a #PF)
};

// The report carried by a VMCALL exit (basic reason 18) with the guest's registers as saved at
// that exit; valid = false for any other exit or VMCALL.
GuestException decode_guest_exception(uint16_t basic_reason, const GuestRegs& regs);

// "guest exception 13 #GP at RIP 0x1CB000, error code 0x18 (reported by the guest's IDT handler)";
// a #PF adds ", CR2 0x...". Returns the length (as TextBuf counts it).
size_t format_guest_exception(const GuestException& x, char* buf, size_t cap);

} // namespace vmx
