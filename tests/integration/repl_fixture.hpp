// ReplTest: REPL tests parameterised by target, sharing one booted prompt per target while it
// stays healthy. After every test the prompt must still answer `1+1` with `2`; a test that failed
// or broke the prompt gets its emulator killed, and the next test boots a fresh one, so a crash
// in one check never hides the others. (Under ctest every test is its own process anyway.)
#pragma once
#include "tests/integration/targets.hpp"
#include <gtest/gtest.h>
#include <map>

namespace vmxlab::test {

class ReplTest : public ::testing::TestWithParam<Target> {
protected:
    void SetUp() override;
    void TearDown() override;

    Session& session() { return *shared()[GetParam()]; }
    Duration timeout() const { return command_timeout(options_); }
    Match eval(std::string_view line) { return session().eval(line, timeout()); }

    // Waits until everything the kernel printed so far is consumed: sends a marker expression and
    // waits for its value and the prompt after it.
    Match sync();

    SessionOptions options_;

private:
    static std::map<Target, std::unique_ptr<Session>>& shared();
};

// gtest parameter names: "qemu_kernel", "bochs", ...
std::string target_param_name(const ::testing::TestParamInfo<Target>& info);

} // namespace vmxlab::test

// Evaluates `line` into Match `var`; the test stops if no prompt comes back.
#define ASSERT_EVAL(var, line)                      \
    ::vmxlab::test::Match var = eval(line);         \
    ASSERT_TRUE(var.ok) << var.error

// The targets REPL tests run on: fast QEMU, and Bochs (the one with VMX).
#define VMXLAB_REPL_TARGETS ::testing::Values(::vmxlab::test::Target::qemu_kernel, ::vmxlab::test::Target::bochs)
