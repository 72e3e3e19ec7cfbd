// The report vmxlib's guest IDT handlers send through VMCALL (vmx/guest_exception.hpp).
#include <gtest/gtest.h>
#include <string>
#include "vmx/guest_exception.hpp"

namespace {

vmx::GuestRegs report(uint64_t vector, uint64_t error, uint64_t rip, uint64_t cr2)
{
    vmx::GuestRegs r {};
    r.rax = vmx::kGuestExceptionMagic;
    r.rbx = vector;
    r.rcx = error;
    r.rdx = rip;
    r.rsi = cr2;
    return r;
}

std::string text(const vmx::GuestException& x)
{
    char buf[200];
    size_t n = vmx::format_guest_exception(x, buf, sizeof buf);
    return std::string(buf, n);
}

TEST(GuestException, MagicMatchesTheHandlersAscii)
{
    // guests/idt_report.asm loads the same value; "vmxGEXC" spelled little-endian.
    uint64_t m = vmx::kGuestExceptionMagic;
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(&m)), "vmxGEXC");
}

TEST(GuestException, DecodesAVmcallReport)
{
    vmx::GuestException x = vmx::decode_guest_exception(18, report(13, 0x18, 0x1CB000, 0));
    ASSERT_TRUE(x.valid);
    EXPECT_EQ(x.vector, 13);
    EXPECT_EQ(x.error_code, 0x18u);
    EXPECT_EQ(x.rip, 0x1CB000u);
    EXPECT_EQ(text(x), "guest exception 13 #GP at RIP 0x1CB000, error code 0x18 (reported by the guest's IDT handler)");
}

TEST(GuestException, PageFaultShowsCr2)
{
    vmx::GuestException x = vmx::decode_guest_exception(18, report(14, 0x0, 0x1CB003, 0x7F0000000000));
    EXPECT_EQ(text(x), "guest exception 14 #PF at RIP 0x1CB003, error code 0x0, CR2 0x7F0000000000 "
                       "(reported by the guest's IDT handler)");
}

TEST(GuestException, VectorWithoutMnemonic)
{
    vmx::GuestException x = vmx::decode_guest_exception(18, report(0x80, 0, 0x1000, 0));
    EXPECT_EQ(text(x), "guest exception 128 at RIP 0x1000 (reported by the guest's IDT handler)");
}

// #UD pushes no error code (SDM 6.3.1): the report shows none rather than a 0 the CPU never gave.
TEST(GuestException, NoErrorCodeForVectorsThatPushNone)
{
    vmx::GuestException x = vmx::decode_guest_exception(18, report(6, 0, 0x41B000, 0));
    EXPECT_EQ(text(x), "guest exception 6 #UD at RIP 0x41B000 (reported by the guest's IDT handler)");
}

TEST(GuestException, OnlyVmcallWithTheMagic)
{
    EXPECT_FALSE(vmx::decode_guest_exception(10, report(13, 0, 0, 0)).valid) << "CPUID is no report";
    vmx::GuestRegs plain = report(13, 0, 0, 0);
    plain.rax = 40;   // cpuid_hlt_vmcall's own VMCALL
    EXPECT_FALSE(vmx::decode_guest_exception(18, plain).valid);
    EXPECT_FALSE(vmx::decode_guest_exception(18, report(256, 0, 0, 0)).valid) << "no vector 256";
    EXPECT_EQ(text(vmx::decode_guest_exception(12, report(13, 0, 0, 0))), "");
}

} // namespace
