#include "vmx/guest_exception.hpp"

#include "vmx/intr_info.hpp"
#include "vmx/text.hpp"

namespace vmx {

namespace {
constexpr uint16_t reason_vmcall = 18;
constexpr uint8_t vector_page_fault = 14;

// The exceptions for which the processor pushes an error code (SDM 6.3.1 / Table 6-1): #DF, #TS,
// #NP, #SS, #GP, #PF, #AC, #CP; the others have none to show.
bool pushes_error_code(uint8_t v) { return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21; }
} // namespace

GuestException decode_guest_exception(uint16_t basic_reason, const GuestRegs& regs)
{
    GuestException x {};
    if (basic_reason != reason_vmcall || regs.rax != kGuestExceptionMagic || regs.rbx > 255)
        return x;
    x.valid = true;
    x.vector = uint8_t(regs.rbx);
    x.error_code = regs.rcx;
    x.rip = regs.rdx;
    x.cr2 = regs.rsi;
    return x;
}

size_t format_guest_exception(const GuestException& x, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    if (!x.valid)
        return 0;
    out.str("guest exception ").dec(x.vector);
    if (const char* name = exception_mnemonic(x.vector))
        out.chr(' ').str(name);
    out.str(" at RIP ").hex(x.rip);
    if (pushes_error_code(x.vector))
        out.str(", error code ").hex(x.error_code);
    if (x.vector == vector_page_fault)
        out.str(", CR2 ").hex(x.cr2);
    out.str(" (reported by the guest's IDT handler)");
    return out.length();
}

} // namespace vmx
