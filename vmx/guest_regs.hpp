// The guest's general-purpose registers. VM entry and exit switch only RSP, RIP and RFLAGS
// (they are in the VMCS, SDM 25.4.1 / 27.3.1); the other fifteen are the VMM's to save and
// restore, so vmx_enter (entry.asm) loads these before entry and stores them at exit.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace vmx {

struct GuestRegs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};
// vmx/entry.asm's G_RAX..G_R15 (0, 8, ..., 112) address the members in this order.
static_assert(offsetof(GuestRegs, rax) == 0 && offsetof(GuestRegs, rbx) == 8 && offsetof(GuestRegs, rcx) == 16
              && offsetof(GuestRegs, rdx) == 24 && offsetof(GuestRegs, rsi) == 32 && offsetof(GuestRegs, rdi) == 40
              && offsetof(GuestRegs, rbp) == 48 && offsetof(GuestRegs, r8) == 56 && offsetof(GuestRegs, r9) == 64
              && offsetof(GuestRegs, r10) == 72 && offsetof(GuestRegs, r11) == 80 && offsetof(GuestRegs, r12) == 88
              && offsetof(GuestRegs, r13) == 96 && offsetof(GuestRegs, r14) == 104 && offsetof(GuestRegs, r15) == 112
              && sizeof(GuestRegs) == 120,
              "GuestRegs' layout must match vmx/entry.asm's G_* offsets");

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
