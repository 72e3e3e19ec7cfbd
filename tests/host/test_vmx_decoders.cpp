// Exit qualifications, interruption information and segment access rights.
#include <gtest/gtest.h>

#include <string>

#include "vmx/access_rights.hpp"
#include "vmx/exit_qual.hpp"
#include "vmx/intr_info.hpp"

using namespace vmx;

namespace {

template <typename F>
std::string fmt(F f, uint64_t v)
{
    char buf[256];
    f(v, buf, sizeof buf);
    return buf;
}

} // namespace

TEST(VmxExitQual, ControlRegisterAccess)
{
    CrAccessQual q = decode_cr_access(0x3);                     // MOV CR3, RAX
    EXPECT_EQ(q.cr, 3);
    EXPECT_EQ(q.access, CrAccessType::MovToCr);
    EXPECT_EQ(q.gpr, 0);
    q = decode_cr_access(0x318);                                 // MOV RBX, CR8
    EXPECT_EQ(q.cr, 8);
    EXPECT_EQ(q.access, CrAccessType::MovFromCr);
    EXPECT_EQ(q.gpr, 3);
    q = decode_cr_access(0x00010070);                            // LMSW [mem] with 0x0001
    EXPECT_EQ(q.access, CrAccessType::Lmsw);
    EXPECT_TRUE(q.lmsw_memory);
    EXPECT_EQ(q.lmsw_source, 1);
    EXPECT_EQ(q.cr, 0);
    EXPECT_EQ(fmt(format_cr_access, 0x3), "MOV to CR3 from RAX");
    EXPECT_EQ(fmt(format_cr_access, 0xF04), "MOV to CR4 from R15");
    EXPECT_EQ(fmt(format_cr_access, 0x318), "MOV from CR8 to RBX");
    EXPECT_EQ(fmt(format_cr_access, 0x20), "CLTS (clears CR0.TS)");
    EXPECT_EQ(fmt(format_cr_access, 0x00010070), "LMSW from memory, source data 0x0001");
    EXPECT_EQ(fmt(format_cr_access, 0x000B0030), "LMSW from a register, source data 0x000B");
    EXPECT_STREQ(cr_access_type_name(CrAccessType::Clts), "CLTS");
}

TEST(VmxExitQual, MovDr)
{
    DrAccessQual q = decode_dr_access(0x117);                    // MOV RCX, DR7
    EXPECT_EQ(q.dr, 7);
    EXPECT_TRUE(q.from_dr);
    EXPECT_EQ(q.gpr, 1);
    EXPECT_EQ(fmt(format_dr_access, 0x117), "MOV from DR7 to RCX");
    EXPECT_EQ(fmt(format_dr_access, 0x800), "MOV to DR0 from R8");
}

TEST(VmxExitQual, IoInstruction)
{
    IoQual q = decode_io(0x03F80000);                            // OUT DX, AL with DX = 0x3F8
    EXPECT_EQ(q.size, 1);
    EXPECT_FALSE(q.in);
    EXPECT_FALSE(q.string);
    EXPECT_FALSE(q.immediate);
    EXPECT_EQ(q.port, 0x3F8);
    q = decode_io(0x00600049);                                   // IN AX, 0x60
    EXPECT_EQ(q.size, 2);
    EXPECT_TRUE(q.in);
    EXPECT_TRUE(q.immediate);
    EXPECT_EQ(q.port, 0x60);
    EXPECT_EQ(decode_io(0x3).size, 4);
    EXPECT_EQ(decode_io(0x2).size, 0);                           // bits 2:0 = 2 are not used
    EXPECT_EQ(fmt(format_io, 0x03F80000), "OUT 1 byte to port 0x03F8 (DX)");
    EXPECT_EQ(fmt(format_io, 0x00600049), "IN 2 bytes from port 0x0060 (immediate)");
    EXPECT_EQ(fmt(format_io, 0x03F80030), "REP OUTS 1 byte to port 0x03F8 (DX)");
    EXPECT_EQ(fmt(format_io, 0x0CFC000B), "IN 4 bytes from port 0x0CFC (DX)");
}

TEST(VmxExitQual, EptViolation)
{
    // A write to a read-only mapping, found while translating a guest-linear address.
    EptViolationQual q = decode_ept_violation(0x18A);
    EXPECT_FALSE(q.read);
    EXPECT_TRUE(q.write);
    EXPECT_FALSE(q.fetch);
    EXPECT_TRUE(q.readable);
    EXPECT_FALSE(q.writable);
    EXPECT_FALSE(q.executable);
    EXPECT_TRUE(q.linear_valid);
    EXPECT_TRUE(q.linear_translation);
    EXPECT_EQ(fmt(format_ept_violation, 0x18A), "write to a page EPT maps r--; guest-linear "
                                                "address valid, access to its translation");
    EXPECT_EQ(fmt(format_ept_violation, 0x84),
              "instruction fetch to a page EPT maps ---; guest-linear address valid, access to a "
              "guest paging-structure entry");
    EXPECT_EQ(fmt(format_ept_violation, 0x1003), "read+write to a page EPT maps ---; no "
                                                 "guest-linear address; NMI unblocking due to IRET");
    EXPECT_TRUE(decode_ept_violation(1u << 16).asynchronous);
}

TEST(VmxExitQual, DispatchByExitReason)
{
    char buf[128];
    format_exit_qualification(28, 0x3, buf, sizeof buf);
    EXPECT_STREQ(buf, "MOV to CR3 from RAX");
    format_exit_qualification(30, 0x03F80000, buf, sizeof buf);
    EXPECT_STREQ(buf, "OUT 1 byte to port 0x03F8 (DX)");
    format_exit_qualification(12, 0, buf, sizeof buf);
    EXPECT_STREQ(buf, "exit qualification 0x0");
    EXPECT_STREQ(gpr_name(4), "RSP");
    EXPECT_STREQ(gpr_name(16), "?");
}

TEST(VmxIntrInfo, Decode)
{
    IntrInfo i = decode_intr_info(0x80000B0E);                   // #PF with error code
    EXPECT_TRUE(i.valid);
    EXPECT_EQ(i.vector, 14);
    EXPECT_EQ(i.type, EventType::HardwareException);
    EXPECT_TRUE(i.error_code_valid);
    EXPECT_FALSE(i.nmi_unblocking);
    i = decode_intr_info(0x80001202);                            // NMI, unblocking due to IRET
    EXPECT_EQ(i.type, EventType::Nmi);
    EXPECT_TRUE(i.nmi_unblocking);
    EXPECT_EQ(i.reserved_bits, 0u);
    // Bit 12 is undefined in IDT-vectoring information and reserved for VM entry.
    EXPECT_FALSE(decode_intr_info(0x80001202, IntrInfoField::IdtVectoring).nmi_unblocking);
    EXPECT_EQ(decode_intr_info(0x80001202, IntrInfoField::VmEntry).reserved_bits, 0x1000u);
    EXPECT_FALSE(decode_intr_info(0x0000030E).valid);
}

TEST(VmxIntrInfo, MakeAndFormat)
{
    EXPECT_EQ(make_intr_info(14, EventType::HardwareException, true), 0x80000B0Eu);
    EXPECT_EQ(make_intr_info(0x80, EventType::SoftwareInterrupt, false), 0x80000480u);
    EXPECT_EQ(make_intr_info(0, EventType::OtherEvent, false), 0x80000700u);
    char buf[128];
    format_intr_info(0x80000B0E, IntrInfoField::VmExit, buf, sizeof buf);
    EXPECT_STREQ(buf, "0x80000B0E: valid, hardware exception 14 (#PF), error code valid");
    format_intr_info(0x80000306, IntrInfoField::IdtVectoring, buf, sizeof buf);
    EXPECT_STREQ(buf, "0x80000306: valid, hardware exception 6 (#UD)");
    format_intr_info(0x80000603, IntrInfoField::VmExit, buf, sizeof buf);
    EXPECT_STREQ(buf, "0x80000603: valid, software exception 3 (#BP)");
    format_intr_info(0x800000EC, IntrInfoField::VmExit, buf, sizeof buf);
    EXPECT_STREQ(buf, "0x800000EC: valid, external interrupt 236");
    format_intr_info(0x80000700, IntrInfoField::VmEntry, buf, sizeof buf);
    EXPECT_STREQ(buf, "0x80000700: valid, other event 0 (pending MTF VM exit)");
    format_intr_info(0x80000B0D, IntrInfoField::VmEntry, buf, sizeof buf);
    EXPECT_STREQ(buf, "0x80000B0D: valid, hardware exception 13 (#GP), deliver error code");
    format_intr_info(0, IntrInfoField::VmExit, buf, sizeof buf);
    EXPECT_STREQ(buf, "0x00000000: not valid");
    EXPECT_STREQ(event_type_name(EventType::PrivilegedSoftwareException),
                 "privileged software exception");
    EXPECT_EQ(exception_mnemonic(15), nullptr);
    EXPECT_STREQ(exception_mnemonic(21), "#CP");
}

TEST(VmxAccessRights, DecodeAndFormat)
{
    AccessRights ar = decode_access_rights(0xA09B);              // 64-bit code, DPL 0
    EXPECT_EQ(ar.type, 0xB);
    EXPECT_TRUE(ar.s);
    EXPECT_EQ(ar.dpl, 0);
    EXPECT_TRUE(ar.present);
    EXPECT_TRUE(ar.l);
    EXPECT_FALSE(ar.db);
    EXPECT_TRUE(ar.g);
    EXPECT_FALSE(ar.unusable);
    EXPECT_EQ(fmt(format_access_rights, 0xA09B),
              "0x0000A09B: code, execute/read, accessed; S=1 DPL=0 P=1 AVL=0 L=1 D/B=0 G=1");
    EXPECT_EQ(fmt(format_access_rights, 0xC0F3),
              "0x0000C0F3: data, read/write, accessed; S=1 DPL=3 P=1 AVL=0 L=0 D/B=1 G=1");
    EXPECT_EQ(fmt(format_access_rights, 0x8B),
              "0x0000008B: 32/64-bit TSS (busy); S=0 DPL=0 P=1 AVL=0 L=0 D/B=0 G=0");
    EXPECT_EQ(fmt(format_access_rights, 0x10000),
              "0x00010000: unusable; system, reserved; S=0 DPL=0 P=0 AVL=0 L=0 D/B=0 G=0");
    EXPECT_NE(fmt(format_access_rights, 0x0F9B).find("reserved bits 0xF00 set"), std::string::npos);
    EXPECT_TRUE(decode_access_rights(0x10000).unusable);
}

TEST(VmxAccessRights, FromDescriptor)
{
    // The usual flat 64-bit code and data descriptors.
    EXPECT_EQ(access_rights_from_descriptor(0x00AF9B000000FFFFull), 0xA09Bu);
    EXPECT_EQ(access_rights_from_descriptor(0x00CF93000000FFFFull), 0xC093u);
    EXPECT_STREQ(segment_type_name(2, false), "LDT");
}
