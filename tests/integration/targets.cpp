// Target -> emulator options, artefact paths, and the skip checks (delegated to emulator.sh --check).
#include "tests/integration/targets.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>

#ifndef VMXLAB_BUILD_DIR
#define VMXLAB_BUILD_DIR "build"
#endif
#ifndef VMXLAB_SOURCE_DIR
#define VMXLAB_SOURCE_DIR "."
#endif

namespace vmxlab::test {
namespace {

std::string from_env(const char* var, const std::string& fallback)
{
    const char* v = std::getenv(var);
    return v && *v ? v : fallback;
}

std::vector<std::string> lua_files(const std::string& dir)
{
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.is_regular_file() && e.path().extension() == ".lua")
            out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

const char* target_name(Target t)
{
    switch (t) {
    case Target::qemu_kernel: return "qemu_kernel";
    case Target::qemu_iso: return "qemu_iso";
    case Target::qemu_uefi: return "qemu_uefi";
    case Target::bochs: return "bochs";
    case Target::kvm: return "kvm";
    }
    return "?";
}

bool has_vmx(Target t) { return t == Target::bochs || t == Target::kvm; }

std::string kernel_elf() { return from_env("VMXLAB_KERNEL_ELF", VMXLAB_BUILD_DIR "/kernel.elf"); }
std::string test_iso() { return from_env("VMXLAB_TEST_ISO", VMXLAB_BUILD_DIR "/vmxlab-test.iso"); }
std::string interactive_iso() { return from_env("VMXLAB_ISO", VMXLAB_BUILD_DIR "/vmxlab.iso"); }
std::string emulator_sh() { return from_env("VMXLAB_EMULATOR_SH", VMXLAB_SOURCE_DIR "/tools/emulator.sh"); }
std::string lua_tests_dir() { return from_env("VMXLAB_LUA_TESTS_DIR", VMXLAB_SOURCE_DIR "/tests/lua"); }
std::string scripts_dir() { return from_env("VMXLAB_SCRIPTS_DIR", VMXLAB_SOURCE_DIR "/scripts"); }

std::vector<std::string> boot_modules()
{
    auto mods = lua_files(scripts_dir());
    auto tests = lua_files(lua_tests_dir());
    mods.insert(mods.end(), tests.begin(), tests.end());
    return mods;
}

SessionOptions options_for(Target t, const std::string& name)
{
    SessionOptions o;
    o.name = name;
    o.emulator_sh = emulator_sh();
    o.log_root = from_env("VMXLAB_TEST_LOG_DIR", VMXLAB_BUILD_DIR "/integration-logs");
    switch (t) {
    case Target::qemu_kernel:
    case Target::kvm:
        o.mode = Mode::qemu_kernel;
        o.image = kernel_elf();
        o.append = "batch test";
        o.modules = boot_modules();
        o.kvm = t == Target::kvm;
        break;
    case Target::qemu_iso:
        o.mode = Mode::qemu_iso;
        o.image = test_iso();
        break;
    case Target::qemu_uefi:
        o.mode = Mode::qemu_uefi;
        o.image = test_iso();
        break;
    case Target::bochs:
        o.mode = Mode::bochs;
        o.image = test_iso();
        o.cpu = "corei7_skylake_x";
        break;
    }
    return o;
}

std::string skip_reason(const SessionOptions& opts)
{
    static std::map<std::string, std::string> cache;
    std::string key = std::string(mode_name(opts.mode)) + (opts.kvm ? " --kvm" : "");
    auto it = cache.find(key);
    if (it != cache.end())
        return it->second;
    std::string cmd = "bash '" + opts.emulator_sh + "' " + key + " --check 2>&1";
    std::string out;
    int status = -1;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buf[512];
        while (std::fgets(buf, sizeof buf, p))
            out += buf;
        status = ::pclose(p);
    }
    while (!out.empty() && out.back() == '\n')
        out.pop_back();
    std::string reason;
    if (status != 0)
        reason = key + ": " + (out.empty() ? "cannot run (" + cmd + " failed)" : out);
    cache[key] = reason;
    return reason;
}

Duration boot_timeout(const SessionOptions& opts)
{
    switch (opts.mode) {
    case Mode::qemu_kernel: return 20s;
    case Mode::qemu_iso: return 30s;
    case Mode::qemu_uefi: return 60s;
    case Mode::bochs: return 120s;
    }
    return 60s;
}

Duration command_timeout(const SessionOptions& opts) { return opts.mode == Mode::bochs ? 60s : 15s; }

Boot boot(const SessionOptions& opts)
{
    Boot b;
    b.skip = skip_reason(opts);
    if (!b.skip.empty())
        return b;
    if (!std::filesystem::exists(opts.image)) {
        b.error = opts.image + " does not exist: build it first (cmake --build <build dir>)";
        return b;
    }
    auto s = std::make_unique<Session>(opts);
    if (!s->start(&b.error))
        return b;
    Match m = s->expect_prompt(boot_timeout(opts));
    if (!m) {
        b.error = "no prompt after boot: " + m.error;
        return b;
    }
    b.banner = m.text;
    b.session = std::move(s);
    return b;
}

std::string shown(const std::string& s, size_t max)
{
    if (s.size() <= max)
        return s;
    return s.substr(0, max / 2) + "\n[... " + std::to_string(s.size() - max) + " characters ...]\n"
        + s.substr(s.size() - max / 2);
}

std::string current_test_name()
{
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string n = info ? std::string(info->test_suite_name()) + "." + info->name() : "session";
    std::replace(n.begin(), n.end(), '/', '_');
    return n;
}

} // namespace vmxlab::test
