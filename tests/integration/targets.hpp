// The machines the integration tests boot, and where the build put the kernel, ISOs and scripts.
// Paths come from compile definitions (tests/integration/CMakeLists.txt); each can be overridden
// by an environment variable of the same name, e.g. VMXLAB_KERNEL_ELF=/tmp/k.elf.
#pragma once
#include "tests/integration/session.hpp"
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace vmxlab::test {

enum class Target {
    qemu_kernel,   // qemu -kernel kernel.elf -append "batch test" -initrd <scripts>: the fast path
    qemu_iso,      // vmxlab-test.iso through SeaBIOS + GRUB
    qemu_uefi,     // vmxlab-test.iso through OVMF + GRUB
    bochs,         // vmxlab-test.iso in Bochs, corei7_skylake_x unless a test says otherwise
    kvm,           // qemu -kernel with KVM: only where /dev/kvm has nested VMX
};
const char* target_name(Target t);   // "qemu_kernel", ... (usable in test names)
inline void PrintTo(Target t, std::ostream* os) { *os << target_name(t); }   // for gtest
bool has_vmx(Target t);              // the CPU the target emulates supports VMX

std::string kernel_elf();
std::string test_iso();
std::string interactive_iso();
std::string emulator_sh();
std::string lua_tests_dir();         // tests/lua
std::string scripts_dir();           // scripts
std::vector<std::string> boot_modules();   // every *.lua of scripts/ and tests/lua/

// Default options for a target; `name` names the log directory (use the test's name).
SessionOptions options_for(Target t, const std::string& name);

// Why `opts` cannot run here ("" if it can): the emulator or firmware is not installed
// (the test should skip). A missing kernel/ISO is a failure, reported by boot().
std::string skip_reason(const SessionOptions& opts);

// How long the first prompt and one REPL line may take on a target.
Duration boot_timeout(const SessionOptions& opts);
Duration command_timeout(const SessionOptions& opts);

struct Boot {
    std::unique_ptr<Session> session;   // null unless booted to the first prompt
    std::string skip;                   // non-empty: skip the test with this reason
    std::string error;                  // non-empty: fail the test with this message
    std::string banner;                 // everything before the first prompt
};
// Starts the emulator and waits for the first prompt.
Boot boot(const SessionOptions& opts);

inline bool contains(const std::string& s, const char* what) { return s.find(what) != std::string::npos; }

// The first `n` lines of `s`, each with its "\n" (for messages followed by a long traceback).
inline std::string first_lines(const std::string& s, int n)
{
    size_t end = 0;
    for (int i = 0; i < n; ++i) {
        size_t nl = s.find('\n', end);
        if (nl == std::string::npos)
            return s;
        end = nl + 1;
    }
    return s.substr(0, end);
}

// `s` cut to at most `max` characters (head and tail) for failure messages.
std::string shown(const std::string& s, size_t max = 2000);

// The name of the running gtest test, usable as a directory name.
std::string current_test_name();

} // namespace vmxlab::test

// In a TEST body: boots `opts` into `var` (a Boot), or skips / fails the test.
#define VMXLAB_BOOT(var, opts)                                   \
    auto var = ::vmxlab::test::boot(opts);                       \
    if (!var.skip.empty())                                       \
        GTEST_SKIP() << var.skip;                                \
    ASSERT_TRUE(var.session) << var.error
