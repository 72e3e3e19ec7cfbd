// The Lua test scripts of tests/lua (see docs/testing.md, "Writing a Lua test script"): which files
// are tests, on which targets they run, and how their output is judged.
//
// A file there is a test script if it has a `-- vmxlab-test:` line among its first 20 lines, or
// loads the reporter (`dofile("vmx_report.lua")`); other files (the reporter itself, benchmarks)
// are modules. That line may say how to run the script:
//   -- vmxlab-test: targets=bochs cpu=core2_penryn_t9600 memory=64 timeout=300
//   -- vmxlab-test: library          (never run on its own)
// targets: qemu (= qemu_kernel), bochs, kvm, qemu_iso, qemu_uefi; default "qemu,bochs".
#pragma once
#include "tests/integration/targets.hpp"
#include <ostream>
#include <string>
#include <vector>

namespace vmxlab::test {

struct ScriptCase {
    std::string path;     // tests/lua/test_foo.lua
    std::string name;     // test_foo.lua: the module name the kernel knows it by
    Target target = Target::qemu_kernel;
    std::string cpu;
    int memory_mib = 0;
    int timeout_s = 0;
};
// "vmx_instr.lua on bochs[ timeout=N]" (main.cpp reads the timeout for ctest's TIMEOUT).
void PrintTo(const ScriptCase& c, std::ostream* os);

// The cases of one file (none for a module or library); an unknown target is an error.
std::vector<ScriptCase> script_cases(const std::string& file, std::string* error);

// Every case of every *.lua in `dir`, sorted by file name. A directory that cannot be read, a
// header error, or a directory without a single test script is an error (*error set).
std::vector<ScriptCase> all_script_cases(const std::string& dir, std::string* error);

// What one script run produced.
struct ScriptRun {
    std::string output;        // everything printed while it ran (CRs stripped)
    bool ended = false;        // it returned normally (the driver's end marker / exit status)
    std::string end_detail;    // if not: how it ended instead
};

struct Verdict {
    enum Kind { pass, fail, skip } kind = fail;
    std::string message;       // why (fail), the SKIP lines (skip), the summary line (pass)
};

// The script passes if it ended normally, its last summary line "N passed, M failed[, K skipped]"
// says N > 0 and M = 0, it printed no "FAIL:" line and at least N "PASS:" lines. It is skipped
// if it ended normally with N = M = 0 and K > 0 (every check skipped, each SKIP line with its
// reason). Everything else fails: an error after the summary, no summary, zero checks.
Verdict judge(const ScriptRun& run);

} // namespace vmxlab::test
