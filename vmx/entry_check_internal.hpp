// Shared by the files of the VM-entry checker (vmx/entry_check*.cpp): the rule enumerators and
// the context a check adds its findings to. Not a public header.
#pragma once
#include "vmx/entry_check.hpp"
#include "vmx/entry_check_rules.hpp"
#include "vmx/text.hpp"

namespace vmx::entry {

enum class R : uint16_t {
#define VMXLAB_RULE_ENUM(e, id, sec, area, text) e,
    VMXLAB_ENTRY_RULES(VMXLAB_RULE_ENUM)
#undef VMXLAB_RULE_ENUM
    count_
};

const Rule& rule_of(R r);

// What a check sees: the snapshot, the output and the control words decoded once.
struct Ctx {
    const Snapshot& s;
    Finding* out;
    size_t max;
    size_t count = 0;
    uint64_t pin = 0, proc = 0, proc2 = 0, proc3 = 0, exit = 0, entry = 0;
    char scratch[kHintMax];   // the hint of a finding beyond max goes here
    TextBuf hint{scratch, sizeof scratch};

    Ctx(const Snapshot& snap, Finding* o, size_t m);
    // Records a finding of rule r with up to three fields (0 = none) and returns the hint
    // buffer for the caller to fill in.
    TextBuf& add(R r, uint32_t f1 = 0, uint32_t f2 = 0, uint32_t f3 = 0);
    // Adds a named non-field value (an MSR-area entry) to the last finding.
    void add_value(const char* name, uint64_t value);
    uint64_t operator[](uint32_t enc) const { return s[enc]; }
};

void check_controls(Ctx& c);
void check_host(Ctx& c);
void check_guest(Ctx& c);
void check_msr_load(Ctx& c);
void check_abort(Ctx& c);

} // namespace vmx::entry
