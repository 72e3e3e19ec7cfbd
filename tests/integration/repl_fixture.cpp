#include "tests/integration/repl_fixture.hpp"

namespace vmxlab::test {

std::map<Target, std::unique_ptr<Session>>& ReplTest::shared()
{
    static std::map<Target, std::unique_ptr<Session>> sessions;   // killed at exit
    return sessions;
}

void ReplTest::SetUp()
{
    // The log directory is named after the test case (suite, case and target): ctest runs each
    // case in its own process, in parallel, so no two share a work directory (and a Bochs config).
    options_ = options_for(GetParam(), current_test_name());
    auto& slot = shared()[GetParam()];
    if (slot && slot->running())
        return;
    slot.reset();
    VMXLAB_BOOT(b, options_);
    slot = std::move(b.session);
}

Match ReplTest::sync()
{
    static int n = 0;
    std::string marker = "sync-" + std::to_string(++n);
    Match m;
    if (!session().send_line("'" + marker + "'", &m.error))
        return m;
    m = session().expect(marker + "\n", timeout());
    if (m)
        m = session().expect_prompt(timeout());
    return m;
}

void ReplTest::TearDown()
{
    auto& slot = shared()[GetParam()];
    if (!slot)
        return;   // skipped, or the boot failed
    if (!HasFatalFailure() && slot->running()) {
        Match m = sync();
        EXPECT_TRUE(m.ok) << "the prompt did not come back after the test: " << m.error;
        if (m) {
            m = eval("1+1");
            EXPECT_TRUE(m.ok) << "1+1 after the test: " << m.error;
            EXPECT_EQ(m.text, "2") << "1+1 after the test";
        }
    } else if (!slot->running()) {
        ADD_FAILURE() << "the emulator exited during the test\n--- last output:\n" << slot->tail();
    }
    if (HasFailure())
        slot.reset();   // kill it: the next test starts from a fresh boot
}

std::string target_param_name(const ::testing::TestParamInfo<Target>& info)
{
    return target_name(info.param);
}

} // namespace vmxlab::test
