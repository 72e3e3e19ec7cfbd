// The guest's general-purpose registers. VM entry and exit switch only RSP, RIP and RFLAGS
// (they are in the VMCS, SDM 25.4.1 / 27.3.1); the other fifteen are the VMM's to save and
// restore, so vmx_enter (entry.asm) loads these before entry and stores them at exit.
#pragma once
#include <stdint.h>

namespace vmx {

struct GuestRegs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};

// Names in the struct's order ("rax" ... "r15"): index i names the i-th member.
constexpr const char* kGuestRegNames[] = {
    "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8",
    "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};
constexpr unsigned kGuestRegCount = 15;

inline uint64_t* guest_reg_slot(GuestRegs& regs, unsigned index)
{
    return reinterpret_cast<uint64_t*>(&regs) + index;
}

} // namespace vmx
