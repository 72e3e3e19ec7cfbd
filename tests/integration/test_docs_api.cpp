// docs/lua-api.md and docs/vmx-api.md cannot drift from help(): every function help() documents
// appears in those pages as a code span with the same call, name and parameters exactly as
// help() writes them (`vmx.invvpid(type, vpid [, la])`). One span may list several functions with
// a slash: `mem.read8/16/32/64(addr)`, `cpu.inb/inw/inl(port)`. The usages come from the running
// kernel's help registry, the pages from the source tree.
#include "tests/integration/targets.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <set>
#include <sstream>

#ifndef VMXLAB_SOURCE_DIR
#define VMXLAB_SOURCE_DIR "."
#endif

using namespace vmxlab::test;

namespace {

std::string read_file(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Every call a page shows in a code span: "mem.alloc(size [, align])" from "`mem.alloc(size [, align])`"
// or "`mem.alloc(size [, align]) -> addr`"; slash lists expanded.
// Fenced code blocks (``` ... ```, e.g. the lua-session examples) are not code spans: their
// backticks would pair with the prose's and shift every span after them, so they are left out.
std::string without_fences(const std::string& page)
{
    std::istringstream in(page);
    std::string out;
    bool fenced = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("```", 0) == 0) {
            fenced = !fenced;
            continue;
        }
        if (!fenced)
            out += line + '\n';
    }
    return out;
}

std::set<std::string> documented_calls(const std::string& markdown)
{
    const std::string page = without_fences(markdown);
    static const std::regex span("`([^`]+)`");
    static const std::regex numbers(R"(^([\w.]+?)(\d+(?:/\d+)+)(\(.*)$)");      // mem.read8/16/32/64(addr)
    static const std::regex names(R"(^((?:\w+\.)?)(\w+(?:/\w+)+)(\(.*)$)");     // cpu.inb/inw/inl(port)
    std::set<std::string> calls;
    for (auto it = std::sregex_iterator(page.begin(), page.end(), span); it != std::sregex_iterator(); ++it) {
        std::string s = (*it)[1].str();
        s = s.substr(0, s.find(" ->"));
        std::smatch m;
        if (std::regex_match(s, m, numbers) || std::regex_match(s, m, names)) {
            std::istringstream list(m[2].str());
            for (std::string part; std::getline(list, part, '/');)
                calls.insert(m[1].str() + part + m[3].str());
        } else {
            calls.insert(s);
        }
    }
    return calls;
}

TEST(DocsApi, EveryHelpFunctionIsInTheDocsWithItsParameters)
{
    auto opts = options_for(Target::qemu_kernel, current_test_name());
    VMXLAB_BOOT(b, opts);
    Match m = b.session->eval("for _, m in ipairs(debug.getregistry()['vmxlab.help'].modules) do "
                              "for _, f in ipairs(m.funcs) do print(f.usage) end end",
                              command_timeout(opts));
    ASSERT_TRUE(m) << m.error;
    std::set<std::string> calls;
    for (const char* page : { "/docs/lua-api.md", "/docs/vmx-api.md" }) {
        std::string text = read_file(std::string(VMXLAB_SOURCE_DIR) + page);
        ASSERT_FALSE(text.empty()) << page << " is missing";
        calls.merge(documented_calls(text));
    }
    std::istringstream usages(m.text);
    int checked = 0;
    for (std::string usage; std::getline(usages, usage);) {
        std::string call = usage.substr(0, usage.find(" ->"));
        if (call.find('(') == std::string::npos)
            continue;   // a table (vmx.fields, vmx.regs.<reg>), not a call
        ++checked;
        EXPECT_TRUE(calls.count(call)) << "help() documents `" << call << "` (" << usage
                                       << "), docs/lua-api.md and docs/vmx-api.md do not";
    }
    EXPECT_GT(checked, 60) << "help() listed too few functions:\n" << shown(m.text);
}

} // namespace
