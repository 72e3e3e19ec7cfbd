// Runs the Lua test scripts of tests/lua inside the kernel, one test case per script and target
// (lua_scripts.hpp says which files are tests and how a run is judged).
// On qemu/kvm the kernel boots with "batch test run=NAME" and powers off when the script ends:
// status 0 (QEMU exit status 1) means the script returned normally. On the ISO targets the test
// types a line at the prompt that runs the script under xpcall and prints an end marker saying
// whether it returned or raised. $VMXLAB_LUA_VIA_PROMPT=1 uses the prompt on qemu/kvm too (the
// harness self-test proves that path with it).
#include "tests/integration/lua_scripts.hpp"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>

using namespace vmxlab::test;

namespace {

std::vector<ScriptCase> cases()
{
    std::string error;
    return all_script_cases(lua_tests_dir(), &error);   // LuaScripts.Found reports the error
}

std::string case_name(const ::testing::TestParamInfo<ScriptCase>& info)
{
    std::string n = info.param.name.substr(0, info.param.name.size() - 4) + "_" + target_name(info.param.target);
    for (char& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch)))
            ch = '_';
    return n;
}

bool via_prompt(const SessionOptions& opts)
{
    const char* v = std::getenv("VMXLAB_LUA_VIA_PROMPT");
    return opts.mode != Mode::qemu_kernel || (v && std::string(v) == "1");
}

const std::string end_marker = "vmxlab-test-end: ";

// Runs `c` with run=NAME and waits for the power-off; fatal failures stop the test.
void run_to_poweroff(const ScriptCase& c, SessionOptions opts, Duration limit, ScriptRun* run)
{
    opts.append += " run=" + c.name;
    Session s(opts);
    std::string error;
    ASSERT_TRUE(s.start(&error)) << error;
    auto status = s.wait_exit(limit, &error);
    ASSERT_TRUE(status) << "run=" << c.name << " should power off when the script ends: " << error;
    run->output = s.output();
    run->ended = *status == 1;   // isa-debug-exit: (0 << 1) | 1
    run->end_detail = "run=" + c.name + " powered off with QEMU exit status " + std::to_string(*status)
        + ", not 1 (script status 0)";
}

// Types the line that runs `c` at the prompt and reads the end marker after its output.
void run_at_prompt(const ScriptCase& c, const SessionOptions& opts, Duration limit, ScriptRun* run)
{
    VMXLAB_BOOT(b, opts);
    Match m = b.session->eval("do local ok, e = xpcall(dofile, debug.traceback, '" + c.name + "') print('"
        + end_marker + "' .. (ok and 'returned' or 'raised\\n' .. tostring(e))) end", limit);
    ASSERT_TRUE(m) << m.error;
    auto at = m.text.rfind(end_marker);
    run->output = m.text.substr(0, at);
    std::string how = at == std::string::npos ? "no end marker" : m.text.substr(at + end_marker.size());
    run->ended = how == "returned";
    run->end_detail = "dofile('" + c.name + "') " + how;
}

class LuaScript : public ::testing::TestWithParam<ScriptCase> {};

TEST_P(LuaScript, Passes)
{
    const ScriptCase& c = GetParam();
    auto opts = options_for(c.target, "lua-" + case_name(::testing::TestParamInfo<ScriptCase>(c, 0)));
    if (!c.cpu.empty())
        opts.cpu = c.cpu;
    if (c.memory_mib > 0)
        opts.memory_mib = c.memory_mib;
    Duration limit = std::chrono::seconds(c.timeout_s > 0 ? c.timeout_s : opts.mode == Mode::bochs ? 600 : 120);
    if (auto why = skip_reason(opts); !why.empty())
        GTEST_SKIP() << why;
    ASSERT_TRUE(std::filesystem::exists(opts.image)) << opts.image << " does not exist: build it first";

    ScriptRun run;
    if (via_prompt(opts))
        run_at_prompt(c, opts, limit, &run);
    else
        run_to_poweroff(c, opts, limit, &run);
    if (HasFatalFailure())
        return;
    Verdict v = judge(run);
    if (v.kind == Verdict::skip)
        GTEST_SKIP() << c.name << " skipped every check:\n" << v.message;
    if (v.kind != Verdict::pass)
        ADD_FAILURE() << c.name << ": " << shown(v.message, 4000);
}

INSTANTIATE_TEST_SUITE_P(Scripts, LuaScript, ::testing::ValuesIn(cases()), case_name);

// The directory is readable and holds test scripts with valid headers: a wrong
// $VMXLAB_LUA_TESTS_DIR or a typo in a header is a failure, never zero tests.
TEST(LuaScripts, Found)
{
    std::string error;
    auto found = all_script_cases(lua_tests_dir(), &error);
    EXPECT_EQ(error, "");
    EXPECT_FALSE(found.empty());
}

} // namespace
