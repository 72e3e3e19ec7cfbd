// docs/entry-checks.md lists every rule of the VM-entry checker: the block between the
// "rules:begin" and "rules:end" markers must equal the table rendered from vmx::entry::rules().
// On a mismatch the test prints the expected block: paste it into the document.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "vmx/entry_check.hpp"

namespace {

std::string render_rules()
{
    size_t n = 0;
    const vmx::entry::Rule* r = vmx::entry::rules(&n);
    std::ostringstream out;
    int area = -1;
    for (size_t i = 0; i < n; ++i) {
        if (static_cast<int>(r[i].area) != area) {
            area = static_cast<int>(r[i].area);
            out << (i ? "\n" : "") << "### " << vmx::entry::area_name(r[i].area) << " ("
                << vmx::entry::class_name(r[i].cls) << ")\n\n"
                << "| id | SDM | rule |\n|---|---|---|\n";
        }
        out << "| `" << r[i].id << "` | " << r[i].section << " | " << r[i].rule << " |\n";
    }
    return out.str();
}

TEST(EntryCheckDocs, RuleListMatchesTheTable)
{
    std::ifstream in(VMXLAB_DOCS_DIR "/entry-checks.md");
    ASSERT_TRUE(in) << "cannot read " VMXLAB_DOCS_DIR "/entry-checks.md";
    std::stringstream ss;
    ss << in.rdbuf();
    std::string doc = ss.str();
    const std::string begin = "<!-- rules:begin -->\n", end = "<!-- rules:end -->";
    size_t b = doc.find(begin), e = doc.find(end);
    ASSERT_NE(b, std::string::npos);
    ASSERT_NE(e, std::string::npos);
    std::string block = doc.substr(b + begin.size(), e - b - begin.size());
    std::string want = render_rules();
    EXPECT_EQ(block, want) << "expected block:\n" << want;
}

// Each worked example starts with "    <id> (<section>, <class>)": they must match the table.
TEST(EntryCheckDocs, WorkedExamplesNameRealRules)
{
    std::ifstream in(VMXLAB_DOCS_DIR "/entry-checks.md");
    ASSERT_TRUE(in);
    std::string line;
    int examples = 0;
    while (std::getline(in, line)) {
        if (line.rfind("    ", 0) != 0 || line.find(" (") == std::string::npos || line.back() != ')')
            continue;
        std::string id = line.substr(4, line.find(" (") - 4);
        const vmx::entry::Rule* r = vmx::entry::find_rule(id.c_str());
        if (!r)
            continue;   // a wrapped hint line, not an example header
        ++examples;
        std::string want = std::string(" (") + r->section + ", " + vmx::entry::class_name(r->cls) + ")";
        EXPECT_EQ(line.substr(line.find(" (")), want) << line;
    }
    EXPECT_GE(examples, 6);
}

TEST(EntryCheckDocs, DocNamesTheEditionOfDocsSdm)
{
    std::ifstream in(VMXLAB_DOCS_DIR "/sdm.md");
    ASSERT_TRUE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_NE(ss.str().find("325462-080US"), std::string::npos);
}

} // namespace
