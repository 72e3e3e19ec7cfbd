// Likely causes added to failed VMX instructions (vmx/diagnose.hpp), and the software guest-state
// checks behind exit reason 33's hint (vmx/guest_check.hpp), with Bochs's corei7_skylake_x MSRs.
#include <gtest/gtest.h>

#include <string>

#include "vmx/diagnose.hpp"
#include "vmx/guest_check.hpp"

using namespace vmx;

namespace {

std::string explain(const FailureFacts& f)
{
    char buf[600];
    explain_failure(f, buf, sizeof buf);
    return buf;
}

FailureFacts valid(Instr i, uint32_t error, uint64_t operand, const Tracker* t)
{
    FailureFacts f { i, FailureKind::fail_valid };
    f.error = error;
    f.operand = operand;
    f.tracker = t;
    return f;
}

struct VmxDiagnoseRoot : ::testing::Test {
    Tracker t;
    void SetUp() override
    {
        t.vmxon_succeeded(0x10000);
        t.vmclear_succeeded(0x20000);
        t.vmptrld_succeeded(0x20000);
    }
};

TEST_F(VmxDiagnoseRoot, VmresumeOfANonLaunchedVmcs)
{
    std::string s = explain(valid(Instr::vmresume, 5, 0x20000, &t));
    EXPECT_NE(s.find("vmlaunch was never run on VMCS 0x20000 since its last vmclear"), std::string::npos) << s;
}

TEST_F(VmxDiagnoseRoot, VmlaunchOfALaunchedVmcs)
{
    t.entry_succeeded();
    std::string s = explain(valid(Instr::vmlaunch, 4, 0x20000, &t));
    EXPECT_NE(s.find("launched already"), std::string::npos) << s;
}

TEST_F(VmxDiagnoseRoot, VmxonPointerGivenToVmclearAndVmptrld)
{
    EXPECT_NE(explain(valid(Instr::vmclear, 3, 0x10000, &t)).find("VMXON region given to vmxon"), std::string::npos);
    EXPECT_NE(explain(valid(Instr::vmptrld, 10, 0x10000, &t)).find("VMXON region"), std::string::npos);
}

TEST_F(VmxDiagnoseRoot, AddressesAndRevisions)
{
    EXPECT_NE(explain(valid(Instr::vmclear, 2, 0x20008, &t)).find("not 4 KiB aligned"), std::string::npos);
    FailureFacts f = valid(Instr::vmclear, 2, uint64_t(1) << 40, &t);
    f.phys_width = 39;
    EXPECT_NE(explain(f).find("beyond the 39-bit physical-address width"), std::string::npos) << explain(f);
    f = valid(Instr::vmptrld, 11, 0x30000, &t);
    f.region_readable = true;
    f.region_dword = 0x2C;
    f.cpu_revision = 0x2B;
    EXPECT_NE(explain(f).find("starts with 0x0000002C but this CPU's revision identifier is 0x0000002B"),
              std::string::npos) << explain(f);
}

TEST_F(VmxDiagnoseRoot, FieldErrors)
{
    EXPECT_NE(explain(valid(Instr::vmread, 12, 0x6FFE, &t)).find("0x6FFE is not a VMCS field encoding"),
              std::string::npos) << explain(valid(Instr::vmread, 12, 0x6FFE, &t));
    EXPECT_NE(explain(valid(Instr::vmread, 12, 0x0000, &t)).find("VIRTUAL_PROCESSOR_ID (0x0000) is not supported"),
              std::string::npos) << explain(valid(Instr::vmread, 12, 0, &t));
    FailureFacts f = valid(Instr::vmwrite, 13, 0x4402, &t);
    EXPECT_NE(explain(f).find("VM_EXIT_REASON (0x4402) is read-only: IA32_VMX_MISC[29] = 0"), std::string::npos)
        << explain(f);
}

TEST_F(VmxDiagnoseRoot, VmxonTwice)
{
    EXPECT_NE(explain(valid(Instr::vmxon, 15, 0x10000, &t)).find("already on (VMXON region 0x10000)"),
              std::string::npos);
    FailureFacts f { Instr::vmxon, FailureKind::fail_invalid };
    f.tracker = &t;
    EXPECT_NE(explain(f).find("cannot report error 15"), std::string::npos) << explain(f);
}

TEST_F(VmxDiagnoseRoot, EntryFailuresUseTheCallersFindings)
{
    FailureFacts f = valid(Instr::vmlaunch, 7, 0x20000, &t);
    EXPECT_NE(explain(f).find("vmx.adjust"), std::string::npos);
    f.detail = "pin: forced on: bit 1";
    EXPECT_EQ(explain(f), "pin: forced on: bit 1");
    f = valid(Instr::vmlaunch, 8, 0x20000, &t);
    EXPECT_NE(explain(f).find("vmx.host_state()"), std::string::npos);
}

TEST(VmxDiagnose, ExceptionsAndNoCurrentVmcs)
{
    Tracker off;
    FailureFacts f { Instr::vmxon, FailureKind::fault };
    f.vector = 6;
    f.tracker = &off;
    f.cr4_vmxe = false;
    EXPECT_NE(explain(f).find("CR4.VMXE = 0"), std::string::npos);
    f = FailureFacts { Instr::vmread, FailureKind::fault };
    f.vector = 6;
    f.tracker = &off;
    EXPECT_NE(explain(f).find("not in VMX operation"), std::string::npos) << explain(f);
    f = FailureFacts { Instr::vmxon, FailureKind::fault };
    f.vector = 13;
    f.detail = "CR0.NE (bit 5) must be 1";
    EXPECT_EQ(explain(f), "CR0.NE (bit 5) must be 1");
    Tracker root;
    root.vmxon_succeeded(0x1000);
    f = FailureFacts { Instr::vmread, FailureKind::fail_invalid };
    f.tracker = &root;
    EXPECT_NE(explain(f).find("no current VMCS"), std::string::npos);
    f = FailureFacts { Instr::vmxon, FailureKind::fail_invalid };
    f.operand = 0x1008;
    EXPECT_NE(explain(f).find("not 4 KiB aligned"), std::string::npos);
    EXPECT_STREQ(instr_name(Instr::invvpid), "invvpid");
}

// ---- software guest-state checks -----------------------------------------------------------

VmxCaps skylake_caps()
{
    static const uint64_t v[] = {
        0x00d810000000002b, 0x0000007f00000016, 0xf7f9fffe0401e172, 0x007fffff00036dff,
        0x0000ffff000011ff, 0x00000000600401e0, 0x80000021, 0xffffffff, 0x2000, 0x003727ff, 0x34,
        0x02177fff00000000, 0x00000f0106334141, 0x0000007f00000016, 0xf7f9fffe04006172,
        0x007fffff00036dfb, 0x0000ffff000011fb, 0x1};
    MsrValue m[18];
    for (uint32_t i = 0; i < 18; ++i)
        m[i] = { 0x480 + i, v[i], true };
    VmxCaps caps {};
    decode_caps(m, 18, &caps);
    return caps;
}

// vmxlib.guest64's state: 64-bit, flat segments, busy TSS, link pointer all ones.
GuestStateFields good_guest()
{
    GuestStateFields g {};
    g.cr0 = 0x80000033;
    g.cr4 = 0x2620;
    g.dr7 = 0x400;
    g.rflags = 0x202;
    g.rip = 0x18B000;
    g.link_pointer = ~uint64_t(0);
    g.cs_ar = 0xA09B;
    g.ss_ar = 0xC093;
    g.tr_ar = 0x8B;
    g.ldtr_ar = 0x10000;
    g.entry_controls = 0x13FB;
    return g;
}

std::string check(const GuestStateFields& g)
{
    char buf[800];
    check_guest_state(g, skylake_caps(), buf, sizeof buf);
    return buf;
}

TEST(VmxGuestCheck, AGoodGuestPasses)
{
    EXPECT_EQ(check(good_guest()), "");
}

TEST(VmxGuestCheck, FindsTheCommonMistakes)
{
    GuestStateFields g = good_guest();
    g.rflags = 0;
    EXPECT_NE(check(g).find("GUEST_RFLAGS bit 1 is 0"), std::string::npos) << check(g);
    g = good_guest();
    g.tr_ar = 0x89;
    EXPECT_NE(check(g).find("GUEST_TR_AR_BYTES"), std::string::npos) << check(g);
    g = good_guest();
    g.link_pointer = 0;
    EXPECT_NE(check(g).find("VMCS_LINK_POINTER"), std::string::npos);
    g = good_guest();
    g.cr4 &= ~uint64_t(0x2000);
    EXPECT_NE(check(g).find("GUEST_CR4"), std::string::npos);
    EXPECT_NE(check(g).find("VMXE"), std::string::npos) << check(g);
    g = good_guest();
    g.cr4 &= ~uint64_t(0x20);
    EXPECT_NE(check(g).find("IA32E_MODE needs GUEST_CR4.PAE"), std::string::npos) << check(g);
    g = good_guest();
    g.cs_ar = 0xE09B;                        // L = 1 and D/B = 1
    EXPECT_NE(check(g).find("L = 1 and D/B = 1"), std::string::npos);
    g = good_guest();
    g.ss_ar = 0xC0F3;                        // DPL 3
    EXPECT_NE(check(g).find("SS.DPL differs"), std::string::npos);
    g = good_guest();
    g.rip = 0x0000800000000000;
    EXPECT_NE(check(g).find("not canonical"), std::string::npos);
    g = good_guest();
    g.activity_state = 5;
    EXPECT_NE(check(g).find("GUEST_ACTIVITY_STATE"), std::string::npos);
}

// The lecture's V86 guest (27.3.1.2): all segments AR 0xF3, CS is not a "code segment" then.
TEST(VmxGuestCheck, Virtual8086GuestUsesItsOwnSegmentRules)
{
    GuestStateFields g = good_guest();
    g.entry_controls &= ~uint64_t(1u << 9);
    g.cr0 = 0x80000031;
    g.cr4 = 0x2010;
    g.rflags = 0x20002;                      // VM = 1
    g.rip = 0x0100;
    g.cs_ar = g.ss_ar = 0xF3;
    EXPECT_EQ(check(g), "");
    g.cs_ar = 0x9B;
    EXPECT_NE(check(g).find("GUEST_CS_AR_BYTES must be 0xF3 in virtual-8086 mode"), std::string::npos) << check(g);
    EXPECT_EQ(check(g).find("SS.DPL differs"), std::string::npos) << check(g);
}

TEST(VmxGuestCheck, UnrestrictedGuestMayRunWithoutPaging)
{
    GuestStateFields g = good_guest();
    g.entry_controls &= ~uint64_t(1u << 9);
    g.cr0 = 0x30;                            // PE = PG = 0, NE = 1
    g.cr4 = 0x2000;
    g.rip = 0x7C00;
    g.tr_ar = 0x8B;
    EXPECT_NE(check(g).find("GUEST_CR0"), std::string::npos);
    g.secondary_controls = 1u << 7;
    EXPECT_EQ(check(g).find("GUEST_CR0"), std::string::npos) << check(g);
}

} // namespace
