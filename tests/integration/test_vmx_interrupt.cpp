// Ctrl-C while a VMX guest runs (issue 4, "a guest that never exits must not take the prompt
// away"): the spinning guest is stopped, the exit record says "interrupted by user", the guest
// state stays loaded and launched, and the prompt works. A plain key typed meanwhile does not stop
// the guest. Bochs only (the VMX runner here), on two CPU models.
#include "tests/integration/targets.hpp"
#include <gtest/gtest.h>
#include <thread>

using namespace vmxlab::test;
using namespace std::chrono_literals;

namespace {

class VmxInterrupt : public ::testing::TestWithParam<const char*> {};

TEST_P(VmxInterrupt, CtrlCStopsASpinningGuest)
{
    SessionOptions o = options_for(Target::bochs, current_test_name());
    o.cpu = GetParam();
    Boot b = boot(o);
    if (!b.skip.empty())
        GTEST_SKIP() << b.skip;
    ASSERT_TRUE(b.error.empty()) << b.error;
    Session& s = *b.session;
    Duration t = command_timeout(o);

    Match setup = s.eval("vl = require 'vmxlib'; g = vl.guest64('spin'); print(vmx.state())", t);
    ASSERT_TRUE(setup) << setup.error;
    ASSERT_EQ(setup.text.substr(0, setup.text.find('\t')), "current") << shown(setup.text);

    ASSERT_TRUE(s.send_line("e = vmx.vmlaunch(); print(e)"));
    std::this_thread::sleep_for(scaled(3s));
    EXPECT_FALSE(s.expect_prompt(1ms)) << "the guest spins: no prompt yet";
    ASSERT_TRUE(s.send("\x03"));
    Match stopped = s.expect_prompt(t);
    ASSERT_TRUE(stopped) << stopped.error;
    EXPECT_TRUE(contains(stopped.text, "guest interrupted by user")) << shown(stopped.text);
    EXPECT_TRUE(contains(stopped.text, "VM exit 1 EXTERNAL_INTERRUPT")) << shown(stopped.text);

    Match state = s.eval("print(vmx.state(), vmx.regs.rip == g.guest.entry, e.interrupted, e.reason)", t);
    ASSERT_TRUE(state) << state.error;
    EXPECT_EQ(state.text, "launched\ttrue\ttrue\t1") << "the guest stays loaded at its loop";

    // A normal key while the guest runs is absorbed; Ctrl-C then stops it again.
    ASSERT_TRUE(s.send_line("e = vmx.vmresume(); print(e.interrupted, e.host_interrupts)"));
    std::this_thread::sleep_for(scaled(2s));
    ASSERT_TRUE(s.send("x"));
    std::this_thread::sleep_for(scaled(2s));
    EXPECT_FALSE(s.expect_prompt(1ms)) << "a normal key does not stop the guest";
    ASSERT_TRUE(s.send("\x03"));
    Match again = s.expect_prompt(t);
    ASSERT_TRUE(again) << again.error;
    EXPECT_TRUE(std::regex_search(again.text, std::regex("true\t[1-9][0-9]*"))) << shown(again.text);

    // The "x" typed while the guest ran waits in the line; Enter makes it a chunk: the global x, nil.
    Match queued = s.eval("", t);
    ASSERT_TRUE(queued) << queued.error;
    EXPECT_EQ(queued.text, "nil") << "the key typed while the guest ran is kept for the prompt";
    Match after = s.eval("1+1", t);
    ASSERT_TRUE(after) << after.error;
    EXPECT_EQ(after.text, "2");
}

INSTANTIATE_TEST_SUITE_P(Models, VmxInterrupt, ::testing::Values("corei7_skylake_x", "core2_penryn_t9600"),
                         [](const auto& info) { return "bochs_" + std::string(info.param); });

} // namespace
