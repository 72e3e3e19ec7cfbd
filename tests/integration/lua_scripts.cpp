// Lua test scripts: header parsing and the verdict on a run's output (lua_scripts.hpp).
#include "tests/integration/lua_scripts.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace vmxlab::test {

void PrintTo(const ScriptCase& c, std::ostream* os)
{
    *os << c.name << " on " << target_name(c.target);
    if (c.timeout_s > 0)
        *os << " timeout=" << c.timeout_s;
}

namespace {

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

// Applies one `key=value` word of a header line to `c`; false for an unknown key.
bool apply_header_word(const std::string& w, ScriptCase& c, std::string& targets, bool& library)
{
    auto eq = w.find('=');
    std::string key = w.substr(0, eq), value = eq == std::string::npos ? "" : w.substr(eq + 1);
    if (key == "library")
        library = true;
    else if (key == "targets")
        targets = value;
    else if (key == "cpu")
        c.cpu = value;
    else if (key == "memory")
        c.memory_mib = std::atoi(value.c_str());
    else if (key == "timeout")
        c.timeout_s = std::atoi(value.c_str());
    else
        return false;
    return true;
}

} // namespace

std::vector<ScriptCase> script_cases(const std::string& file, std::string* error)
{
    ScriptCase base;
    base.path = file;
    base.name = std::filesystem::path(file).filename().string();
    std::string targets = "qemu,bochs";
    static const std::regex uses_reporter(R"(^[^-]*dofile\s*\(?\s*["']vmx_report\.lua)");
    bool is_test = false, library = false;
    std::ifstream in(file);
    std::string line;
    for (int i = 0; std::getline(in, line); ++i) {
        if (std::regex_search(line, uses_reporter))
            is_test = true;
        auto at = line.find("vmxlab-test:");
        if (i >= 20 || line.rfind("--", 0) != 0 || at == std::string::npos)
            continue;
        is_test = true;
        std::istringstream words(line.substr(at + 12));
        for (std::string w; words >> w;)
            if (!apply_header_word(w, base, targets, library)) {
                *error = base.name + ": unknown word '" + w + "' in its vmxlab-test: line";
                return {};
            }
    }
    std::vector<ScriptCase> out;
    if (!is_test || library)
        return out;
    std::replace(targets.begin(), targets.end(), ',', ' ');
    std::istringstream list(targets);
    for (std::string t; list >> t;) {
        ScriptCase c = base;
        if (!parse_target(t, &c.target)) {
            *error = base.name + ": unknown target '" + t + "' (qemu, qemu_kernel, qemu_iso, qemu_uefi, bochs, kvm)";
            return {};
        }
        out.push_back(c);
    }
    return out;
}

std::vector<ScriptCase> all_script_cases(const std::string& dir, std::string* error)
{
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.is_regular_file() && e.path().extension() == ".lua")
            files.push_back(e.path().string());
    if (ec) {
        *error = "the Lua tests directory " + dir + ": " + ec.message();
        return {};
    }
    std::sort(files.begin(), files.end());
    std::vector<ScriptCase> out;
    for (const auto& f : files) {
        auto cases = script_cases(f, error);
        if (!error->empty())
            return {};
        out.insert(out.end(), cases.begin(), cases.end());
    }
    if (out.empty())
        *error = "the Lua tests directory " + dir + " has no test script (no `-- vmxlab-test:` header)";
    return out;
}

namespace {

struct Summary {
    bool found = false;
    int passed = 0, failed = 0, skipped = 0;
    std::string line;
};

// The output's lines that start with `prefix`, and the last summary line.
std::string lines_starting(const std::string& out, const char* prefix, int* count)
{
    std::istringstream in(out);
    std::string r;
    *count = 0;
    for (std::string l; std::getline(in, l);)
        if (l.rfind(prefix, 0) == 0) {
            ++*count;
            r += l + "\n";
        }
    return r;
}

Summary last_summary(const std::string& out)
{
    static const std::regex re(R"(^(\d+) passed, (\d+) failed(, (\d+) skipped)?$)");
    Summary s;
    std::istringstream in(out);
    std::smatch m;
    for (std::string l; std::getline(in, l);)
        if (std::regex_match(l, m, re)) {
            s = {true, std::stoi(m[1]), std::stoi(m[2]), m[4].matched ? std::stoi(m[4]) : 0, l};
        }
    return s;
}

std::string tail_of(const std::string& s) { return s.size() > 3000 ? "..." + s.substr(s.size() - 3000) : s; }

} // namespace

Verdict judge(const ScriptRun& run)
{
    Summary s = last_summary(run.output);
    int fail_lines = 0, pass_lines = 0, skip_lines = 0;
    std::string fails = lines_starting(run.output, "FAIL:", &fail_lines);
    lines_starting(run.output, "PASS:", &pass_lines);
    std::string skips = lines_starting(run.output, "SKIP:", &skip_lines);
    if (!run.ended)
        return {Verdict::fail, "the script did not end normally (" + run.end_detail + ")"
                + (s.found ? ", although it printed \"" + s.line + "\"" : "") + "\n" + fails + tail_of(run.output)};
    if (!s.found)
        return {Verdict::fail, "no \"N passed, M failed\" line; output:\n" + tail_of(run.output)};
    if (s.failed > 0 || fail_lines > 0)
        return {Verdict::fail, s.line + "\n" + fails};
    if (pass_lines < s.passed)
        return {Verdict::fail, s.line + ", but only " + std::to_string(pass_lines) + " PASS: lines were printed"};
    if (s.passed == 0 && s.skipped > 0 && skip_lines > 0)
        return {Verdict::skip, skips};
    if (s.passed == 0)
        return {Verdict::fail, s.line + ": a test script must check something (0 checks executed)"};
    return {Verdict::pass, s.line};
}

} // namespace vmxlab::test
