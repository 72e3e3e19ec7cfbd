// Likely causes added to failed VMX instructions (vmx/diagnose.hpp). Exit reason 33's hint is the
// VM-entry checker's (vmx/entry_check*, tests/host/test_entry_check_*).
#include <gtest/gtest.h>

#include <string>

#include "vmx/diagnose.hpp"

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

} // namespace
