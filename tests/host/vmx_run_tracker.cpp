// The VMX lifecycle as vmx::Tracker records it: off -> root -> current -> launched, per VMCS.
#include <gtest/gtest.h>

#include <string>

#include "vmx/tracker.hpp"

using namespace vmx;

namespace {

std::string describe(const Tracker& t)
{
    char buf[300];
    t.describe(buf, sizeof buf);
    return buf;
}

TEST(VmxTracker, LifecycleStates)
{
    Tracker t;
    EXPECT_STREQ(t.state_name(), "off");
    EXPECT_EQ(t.vmxon_region(), Tracker::kNone);
    t.vmxon_succeeded(0x1000);
    EXPECT_STREQ(t.state_name(), "root");
    EXPECT_EQ(t.vmxon_region(), 0x1000u);
    t.vmclear_succeeded(0x2000);
    EXPECT_EQ(t.launch_state(0x2000), LaunchState::clear);
    t.vmptrld_succeeded(0x2000);
    EXPECT_STREQ(t.state_name(), "current");
    EXPECT_EQ(t.current(), 0x2000u);
    t.entry_succeeded();
    EXPECT_STREQ(t.state_name(), "launched");
    EXPECT_EQ(t.launch_state(0x2000), LaunchState::launched);
    t.vmclear_succeeded(0x2000);                 // VMCLEAR of the current VMCS: none current
    EXPECT_EQ(t.current(), Tracker::kNone);
    EXPECT_STREQ(t.state_name(), "root");
    EXPECT_EQ(t.launch_state(0x2000), LaunchState::clear);
    t.vmxoff_succeeded();
    EXPECT_STREQ(t.state_name(), "off");
    EXPECT_EQ(t.current(), Tracker::kNone);
}

TEST(VmxTracker, VmxonForgetsTheCurrentVmcs)
{
    Tracker t;
    t.vmxon_succeeded(0x1000);
    t.vmptrld_succeeded(0x3000);
    t.vmxoff_succeeded();
    t.vmxon_succeeded(0x1000);
    EXPECT_EQ(t.current(), Tracker::kNone);
}

TEST(VmxTracker, UnknownLaunchStateForAVmcsNeverCleared)
{
    Tracker t;
    t.vmxon_succeeded(0x1000);
    t.vmptrld_succeeded(0x4000);
    EXPECT_EQ(t.launch_state(0x4000), LaunchState::unknown);
    EXPECT_NE(describe(t).find("launch state unknown"), std::string::npos) << describe(t);
}

TEST(VmxTracker, RegistersBelongToTheCurrentVmcs)
{
    Tracker t;
    t.regs().rax = 7;                            // no VMCS: the scratch set
    t.vmxon_succeeded(0x1000);
    t.vmptrld_succeeded(0x2000);
    EXPECT_EQ(t.regs().rax, 0u);
    t.regs().rax = 1;
    t.vmptrld_succeeded(0x3000);
    t.regs().rax = 2;
    t.vmptrld_succeeded(0x2000);
    EXPECT_EQ(t.regs().rax, 1u);
    t.vmptrld_succeeded(0x3000);
    EXPECT_EQ(t.regs().rax, 2u);
    EXPECT_EQ(*guest_reg_slot(t.regs(), 0), 2u);
    EXPECT_STREQ(kGuestRegNames[14], "r15");
}

TEST(VmxTracker, EvictsTheOldestButNeverTheCurrentVmcs)
{
    Tracker t;
    t.vmxon_succeeded(0x1000);
    t.vmptrld_succeeded(0x100000);
    t.entry_succeeded();
    t.regs().rbx = 42;
    for (uint64_t i = 1; i <= 3 * Tracker::kMaxVmcs; ++i)
        t.vmclear_succeeded(0x100000 + i * 0x1000);
    EXPECT_EQ(t.current(), 0x100000u);
    EXPECT_EQ(t.launch_state(0x100000), LaunchState::launched);
    EXPECT_EQ(t.regs().rbx, 42u);
    EXPECT_EQ(t.launch_state(0x100000 + 3 * Tracker::kMaxVmcs * 0x1000), LaunchState::clear);
    EXPECT_EQ(t.launch_state(0x101000), LaunchState::unknown);   // evicted long ago
}

TEST(VmxTracker, DescribeSaysWhereYouAre)
{
    Tracker t;
    EXPECT_NE(describe(t).find("not in VMX operation"), std::string::npos);
    t.vmxon_succeeded(0x5000);
    EXPECT_NE(describe(t).find("VMXON region 0x5000"), std::string::npos) << describe(t);
    EXPECT_NE(describe(t).find("no current VMCS"), std::string::npos);
    t.vmclear_succeeded(0x6000);
    t.vmptrld_succeeded(0x6000);
    EXPECT_NE(describe(t).find("current VMCS 0x6000 (clear)"), std::string::npos) << describe(t);
}

} // namespace
