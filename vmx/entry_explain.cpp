#include "vmx/entry_explain.hpp"

#include "vmx/fields.hpp"
#include "vmx/text.hpp"

namespace vmx::entry {

size_t format_finding(const Finding& f, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    out.str(f.rule->id).str(" (SDM ").str(f.rule->section).str("): ").str(f.rule->rule);
    if (f.hint[0])
        out.str(" -- ").str(f.hint);
    bool pin = false;
    for (size_t i = 0; i < f.field_count && i < kFindingFieldMax; ++i) {
        out.str(i == 0 ? " [" : ", ").str(f.fields[i].name).chr('=').hex(f.fields[i].value)
            .str(i + 1 == f.field_count ? "]" : "");
        pin = pin || f.fields[i].encoding == vmcs::PIN_BASED_VM_EXEC_CONTROL;
    }
    // vmx.vmread shows the VMCS's own value; the checker sees what vmlaunch enters (vmx/run.hpp).
    if (pin)
        out.str(" (as vmlaunch enters it: it adds external-interrupt exiting, bit 0, and where the CPU"
                " has it the preemption timer, bit 6, to the value vmx.vmread shows)");
    return out.length();
}

size_t explain_entry_failure(Class actual, const Finding* findings, size_t n, size_t total, char* buf,
                             size_t cap)
{
    TextBuf out(buf, cap);
    size_t matching = 0, first = n;
    for (size_t i = 0; i < n; ++i)
        if (findings[i].rule->cls == actual) {
            if (first == n)
                first = i;
            ++matching;
        }
    if (first < n) {
        char line[600];
        format_finding(findings[first], line, sizeof line);
        out.str("checker: ").str(line);
        if (matching > 1 || total > n)
            out.str("; more findings: vmx.check() lists them");
        return out.length();
    }
    out.str("the checker found no broken rule that gives ").str(class_name(actual));
    if (n > 0) {
        out.str(" (its first finding predicts ").str(class_name(findings[0].rule->cls)).str(": ")
            .str(findings[0].rule->id).str(")");
    }
    out.str("; the failed check is one it does not model (under Bochs, its log names it)");
    return out.length();
}

} // namespace vmx::entry
