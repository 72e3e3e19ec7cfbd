// Runs the Lua test scripts of tests/lua inside the kernel and checks each one's closing summary
// line "N passed, M failed" (kvm-unit-tests style reports, STYLE.md item 11).
//
// A file there is a test script if it loads the test library (a line `... require "testlib"`,
// `require("testlib")` or `dofile("testlib.lua")`) or has a `-- vmxlab-test:` line among its
// first 20 lines; other files (testlib.lua itself, benchmarks) are modules, not tests. That line
// may say how to run the script:
//   -- vmxlab-test: targets=bochs cpu=core2_penryn_t9600 memory=64 timeout=300
//   -- vmxlab-test: library          (never run on its own)
// targets: qemu (= qemu_kernel), bochs, kvm, qemu_iso, qemu_uefi; default "qemu,bochs".
// On qemu/kvm the kernel boots with "batch test run=NAME" and powers off when the script ends;
// on the ISO targets the test sends dofile("NAME") at the prompt.
#include "tests/integration/targets.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace vmxlab::test;

namespace {

struct ScriptCase {
    std::string path;     // tests/lua/test_foo.lua
    std::string name;     // test_foo.lua: the module name the kernel knows it by
    Target target = Target::qemu_kernel;
    std::string cpu;
    int memory_mib = 0;
    int timeout_s = 0;
};

void PrintTo(const ScriptCase& c, std::ostream* os) { *os << c.name << " on " << target_name(c.target); }

bool parse_target(const std::string& s, Target* t)
{
    static const std::pair<const char*, Target> names[] = {{"qemu", Target::qemu_kernel},
        {"qemu_kernel", Target::qemu_kernel}, {"qemu_iso", Target::qemu_iso}, {"qemu_uefi", Target::qemu_uefi},
        {"bochs", Target::bochs}, {"kvm", Target::kvm}};
    for (const auto& [n, v] : names)
        if (s == n) {
            *t = v;
            return true;
        }
    return false;
}

std::vector<ScriptCase> cases_of(const std::filesystem::path& file)
{
    ScriptCase base;
    base.path = file.string();
    base.name = file.filename().string();
    std::string targets = "qemu,bochs";
    static const std::regex uses_testlib(R"(^[^-]*(require\s*\(?\s*["']testlib["']|dofile\s*\(?\s*["']testlib\.lua))");
    bool is_test = false;
    std::ifstream in(file);
    std::string line;
    for (int i = 0; std::getline(in, line); ++i) {
        if (std::regex_search(line, uses_testlib))
            is_test = true;
        auto at = line.find("vmxlab-test:");
        if (i >= 20 || line.rfind("--", 0) != 0 || at == std::string::npos)
            continue;
        is_test = true;
        std::istringstream words(line.substr(at + 12));
        for (std::string w; words >> w;) {
            auto eq = w.find('=');
            std::string key = w.substr(0, eq), value = eq == std::string::npos ? "" : w.substr(eq + 1);
            if (key == "library")
                return {};
            if (key == "targets")
                targets = value;
            else if (key == "cpu")
                base.cpu = value;
            else if (key == "memory")
                base.memory_mib = std::atoi(value.c_str());
            else if (key == "timeout")
                base.timeout_s = std::atoi(value.c_str());
        }
    }
    std::vector<ScriptCase> out;
    if (!is_test)
        return out;
    std::replace(targets.begin(), targets.end(), ',', ' ');
    std::istringstream list(targets);
    for (std::string t; list >> t;) {
        ScriptCase c = base;
        if (parse_target(t, &c.target))
            out.push_back(c);
    }
    return out;
}

std::vector<ScriptCase> all_cases()
{
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(lua_tests_dir(), ec))
        if (e.is_regular_file() && e.path().extension() == ".lua")
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<ScriptCase> out;
    for (const auto& f : files)
        for (auto& c : cases_of(f))
            out.push_back(std::move(c));
    return out;
}

std::string case_name(const ::testing::TestParamInfo<ScriptCase>& info)
{
    std::string n = info.param.name.substr(0, info.param.name.size() - 4) + "_" + target_name(info.param.target);
    for (char& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch)))
            ch = '_';
    return n;
}

std::string failing_lines(const std::string& out)
{
    std::istringstream in(out);
    std::string r;
    for (std::string l; std::getline(in, l);)
        if (l.find("FAIL") != std::string::npos || l.find("stack traceback") != std::string::npos)
            r += l + "\n";
    return r;
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

    std::string output;
    if (opts.mode == Mode::qemu_kernel) {
        opts.append += " run=" + c.name;
        if (auto why = skip_reason(opts); !why.empty())
            GTEST_SKIP() << why;
        ASSERT_TRUE(std::filesystem::exists(opts.image)) << opts.image << " does not exist: build it first";
        Session s(opts);
        std::string error;
        ASSERT_TRUE(s.start(&error)) << error;
        auto status = s.wait_exit(limit, &error);
        ASSERT_TRUE(status) << "run=" << c.name << " should power off when the script ends: " << error;
        output = s.output();
        EXPECT_EQ(*status, 1) << "exit status (0 << 1) | 1 expected after a passing script\n" << shown(failing_lines(output));
    } else {
        VMXLAB_BOOT(b, opts);
        ASSERT_TRUE(b.session->send_line("dofile('" + c.name + "')"));
        Match m = b.session->expect_prompt(limit);
        ASSERT_TRUE(m) << m.error;
        output = m.text;
    }
    static const std::regex summary(R"((\d+) passed, (\d+) failed)");
    std::smatch last;
    for (auto it = std::sregex_iterator(output.begin(), output.end(), summary); it != std::sregex_iterator(); ++it)
        last = *it;
    ASSERT_FALSE(last.empty()) << c.name << " printed no \"N passed, M failed\" line; output:\n"
                               << (output.size() > 3000 ? "..." + output.substr(output.size() - 3000) : output);
    EXPECT_GT(std::stoi(last[1].str()), 0) << "a test script must check something";
    EXPECT_EQ(std::stoi(last[2].str()), 0) << last[0].str() << "\n" << shown(failing_lines(output));
}

INSTANTIATE_TEST_SUITE_P(Scripts, LuaScript, ::testing::ValuesIn(all_cases()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(LuaScript);

} // namespace
