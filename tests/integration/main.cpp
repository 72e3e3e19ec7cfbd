// integration_tests' main: GoogleTest, with the exit status ctest reads when it runs one test case
// per process (tests/integration/CMakeLists.txt):
//   0   every selected test ran and passed
//   1   a test failed, or no test ran at all (a filter that matches nothing is an error, not a pass),
//       or a test was skipped without saying why
//   77  every selected test was skipped, each with its reason (ctest's SKIP_RETURN_CODE)
// `integration_tests --vmxlab-ctest-list` prints the ctest entries, one per test case:
//   <ctest name> <gtest filter> <label> <timeout in s>
// ctest reads that list each time it starts (ctest_list.cmake), so new Lua scripts in tests/lua
// appear without re-running cmake.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <gtest/gtest.h>
#include <iostream>
#include <regex>
#include <string>

namespace {

constexpr int skip_status = 77;

std::string lower(std::string s)
{
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// "Targets/Repl.CtrlCAtPromptDiscardsTheLine/bochs" -> "integration.repl.CtrlCAtPromptDiscardsTheLine.bochs";
// the Lua scripts: "Scripts/LuaScript.Passes/vmx_instr_bochs" -> "integration.lua.vmx_instr.bochs".
std::string ctest_name(const ::testing::TestInfo& t)
{
    std::string suite = t.test_suite_name(), name = t.name(), param;
    if (auto at = suite.find('/'); at != std::string::npos)
        suite = suite.substr(at + 1);
    if (auto at = name.find('/'); at != std::string::npos) {
        param = name.substr(at + 1);
        name = name.substr(0, at);
    }
    static const std::regex target_suffix("_(qemu_kernel|qemu_iso|qemu_uefi|bochs|kvm)$");
    param = std::regex_replace(param, target_suffix, ".$1");
    if (suite == "LuaScript")
        return "integration.lua." + param;
    return "integration." + lower(suite) + "." + name + (param.empty() ? "" : "." + param);
}

// The label says which emulator the case needs (for `ctest -L bochs`, `-LE bochs`): taken from
// the name, so a test that boots Bochs must say "bochs" in its suite, case or parameter name.
// The suites that boot nothing are "host".
std::string label_of(const std::string& ctest_name)
{
    std::string n = lower(ctest_name);
    for (const char* suite : { "integration.luaverdict.", "integration.luascripts." })
        if (n.rfind(suite, 0) == 0)
            return "host";
    for (const char* l : { "kvm", "uefi", "bochs" })
        if (n.find(l) != std::string::npos)
            return l;
    return "qemu";
}

int timeout_of(const ::testing::TestInfo& t, const std::string& label)
{
    // A Lua script's header may set its own limit; ScriptCase's printer shows it as "timeout=N".
    static const std::regex own(R"(timeout=(\d+))");
    std::smatch m;
    std::string param = t.value_param() ? t.value_param() : "";
    if (std::regex_search(param, m, own))
        return std::stoi(m[1]) + 120;
    return label == "bochs" ? 900 : 300;
}

int list_ctest_entries()
{
    const auto* unit = ::testing::UnitTest::GetInstance();
    for (int i = 0; i < unit->total_test_suite_count(); ++i) {
        const auto* suite = unit->GetTestSuite(i);
        for (int j = 0; j < suite->total_test_count(); ++j) {
            const auto* t = suite->GetTestInfo(j);
            std::string name = ctest_name(*t), label = label_of(name);
            std::cout << name << ' ' << suite->name() << '.' << t->name() << ' ' << label << ' '
                      << timeout_of(*t, label) << '\n';
        }
    }
    return 0;
}

// The exit status for the run that just ended (see the top of this file).
int status_of_run()
{
    const auto* unit = ::testing::UnitTest::GetInstance();
    int ran = 0, passed = 0, skipped = 0, failed = 0;
    for (int i = 0; i < unit->total_test_suite_count(); ++i) {
        const auto* suite = unit->GetTestSuite(i);
        for (int j = 0; j < suite->total_test_count(); ++j) {
            const auto* t = suite->GetTestInfo(j);
            if (!t->should_run())
                continue;
            ++ran;
            const auto* r = t->result();
            if (r->Failed()) {
                ++failed;
            } else if (r->Skipped()) {
                bool has_reason = false;
                for (int k = 0; k < r->total_part_count(); ++k)
                    if (r->GetTestPartResult(k).skipped() && *r->GetTestPartResult(k).message())
                        has_reason = true;
                if (has_reason) {
                    ++skipped;
                } else {
                    std::cerr << "vmxlab: " << suite->name() << '.' << t->name() << " skipped without a reason\n";
                    ++failed;
                }
            } else {
                ++passed;
            }
        }
    }
    if (failed > 0)
        return 1;
    if (ran == 0) {
        std::cerr << "vmxlab: no test ran (a --gtest_filter that matches nothing?)\n";
        return 1;
    }
    return passed == 0 && skipped > 0 ? skip_status : 0;
}

} // namespace

int main(int argc, char** argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--vmxlab-ctest-list") == 0)
            return list_ctest_entries();
    int gtest_status = RUN_ALL_TESTS();
    int status = status_of_run();
    return status == 0 && gtest_status != 0 ? 1 : status;
}
