// The VM-entry checker's driver: the rule table, names, and check() running the areas in the
// order the processor does (SDM "VM Entries": controls, host state, guest state, MSR loading).
#include "vmx/entry_check_internal.hpp"

#include "vmx/fields.hpp"

namespace vmx::entry {
namespace {

constexpr Class class_of(Area a)
{
    return a == Area::Controls ? Class::Controls
         : a == Area::Host     ? Class::Host
         : a == Area::Guest    ? Class::Guest
         : a == Area::MsrLoad  ? Class::MsrLoad
                               : Class::Abort;
}

#define VMXLAB_RULE_ROW(e, id, sec, area, text) {id, sec, text, class_of(Area::area), Area::area},
const Rule kRules[] = {
    VMXLAB_ENTRY_RULES(VMXLAB_RULE_ROW)
    {nullptr, nullptr, nullptr, Class::Controls, Area::Controls}   // keeps the array non-empty
};
#undef VMXLAB_RULE_ROW
constexpr size_t kRuleCount = static_cast<size_t>(R::count_);

uint64_t control(const Snapshot& s, uint32_t enc)
{
    return s[enc];
}

} // namespace

const char* class_name(Class cls)
{
    switch (cls) {
    case Class::Controls: return "VMfailValid 7";
    case Class::Host: return "VMfailValid 8";
    case Class::Guest: return "exit 33";
    case Class::MsrLoad: return "exit 34";
    case Class::Abort: return "VMX abort";
    }
    return "?";
}

const char* area_name(Area area)
{
    switch (area) {
    case Area::Controls: return "controls";
    case Area::Host: return "host";
    case Area::Guest: return "guest";
    case Area::MsrLoad: return "msr_load";
    case Area::Abort: return "abort";
    }
    return "?";
}

AreaMask area_mask_by_name(const char* name)
{
    if (!name)
        return 0;
    if (str_eq(name, "all"))
        return kAllAreas;
    for (unsigned a = 0; a < 5; ++a)
        if (str_eq(name, area_name(static_cast<Area>(a))))
            return 1u << a;
    return 0;
}

const Rule* rules(size_t* count)
{
    *count = kRuleCount;
    return kRules;
}

const Rule* find_rule(const char* id)
{
    for (size_t i = 0; i < kRuleCount; ++i)
        if (str_eq(kRules[i].id, id))
            return &kRules[i];
    return nullptr;
}

const Rule& rule_of(R r)
{
    return kRules[static_cast<size_t>(r)];
}

Ctx::Ctx(const Snapshot& snap, Finding* o, size_t m) : s(snap), out(o), max(m)
{
    using namespace vmx::vmcs;
    pin = control(s, PIN_BASED_VM_EXEC_CONTROL);
    proc = control(s, CPU_BASED_VM_EXEC_CONTROL);
    // 25.6.2: the secondary/tertiary controls are in effect only when activated.
    proc2 = (proc >> 31) & 1 ? control(s, SECONDARY_VM_EXEC_CONTROL) : 0;
    proc3 = (proc >> 17) & 1 ? control(s, TERTIARY_VM_EXEC_CONTROL) : 0;
    exit = control(s, VM_EXIT_CONTROLS);
    entry = control(s, VM_ENTRY_CONTROLS);
}

TextBuf& Ctx::add(R r, uint32_t f1, uint32_t f2, uint32_t f3)
{
    size_t i = count++;
    if (i >= max) {
        hint = TextBuf(scratch, sizeof scratch);
        return hint;
    }
    Finding& f = out[i];
    f.rule = &rule_of(r);
    f.field_count = 0;
    // 27.8: exit qualifications of exit reason 33 that name their cause.
    f.qualification = (r == R::g_pdpte || r == R::g_pdpte_cr3) ? 2 : (r == R::g_link_addr || r == R::g_link_rev) ? 4 : 0;
    const uint32_t encs[] = {f1, f2, f3};
    for (uint32_t enc : encs) {
        if (enc == kNoField)
            continue;
        const FieldInfo* info = find_field_by_encoding(enc);
        f.fields[f.field_count++] = {enc, info ? info->name : "?", s[enc]};
    }
    hint = TextBuf(f.hint, sizeof f.hint);
    return hint;
}

void Ctx::set_qualification(uint32_t q)
{
    if (count > 0 && count <= max)
        out[count - 1].qualification = q;
}

void Ctx::add_value(const char* name, uint64_t value)
{
    if (count == 0 || count > max)
        return;
    Finding& f = out[count - 1];
    if (f.field_count < kFindingFieldMax)
        f.fields[f.field_count++] = {0, name, value};
}

size_t check(const Snapshot& snap, AreaMask areas, Finding* out, size_t max)
{
    Ctx c(snap, out, max);
    if (areas & area_bit(Area::Controls))
        check_controls(c);
    if (areas & area_bit(Area::Host))
        check_host(c);
    if (areas & area_bit(Area::Guest))
        check_guest(c);
    if (areas & area_bit(Area::MsrLoad))
        check_msr_load(c);
    if (areas & area_bit(Area::Abort))
        check_abort(c);
    return c.count;
}

} // namespace vmx::entry
