// Shared by the files of the VM-entry checker (vmx/entry_check*.cpp): the rule enumerators and
// the context a check adds its findings to. Not a public header.
#pragma once
#include "vmx/entry_check.hpp"
#include "vmx/entry_check_rules.hpp"
#include "vmx/fields.hpp"
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
    // Records a finding of rule r with up to three fields (kNoField = none; 0 is the encoding
    // of VIRTUAL_PROCESSOR_ID) and returns the hint buffer for the caller to fill in.
    static constexpr uint32_t kNoField = 0xFFFFFFFF;
    TextBuf& add(R r, uint32_t f1 = kNoField, uint32_t f2 = kNoField, uint32_t f3 = kNoField);
    // Adds a named non-field value (an MSR-area entry) to the last finding.
    void add_value(const char* name, uint64_t value);
    // Sets the last finding's exit qualification (an MSR-load entry's number).
    void set_qualification(uint32_t q);
    uint64_t operator[](uint32_t enc) const { return s[enc]; }
};

// ---- shared helpers (entry_check_util.cpp) ----
inline bool bit(uint64_t v, unsigned n) { return (v >> n) & 1; }
unsigned phys_width(const Snapshot& s);         // MAXPHYADDR, 32 if IA32_VMX_BASIC[48]
bool beyond_width(const Snapshot& s, uint64_t pa);
bool canonical(const Snapshot& s, uint64_t la);
const char* field_name(uint32_t enc);
// A physical address a VMCS pointer field holds: aligned to `align` bytes and within the
// physical-address width; else adds a finding of rule r naming the field. true if it was fine.
bool check_address(Ctx& c, R r, uint32_t enc, uint64_t align, const char* align_text);
// The same for an MSR area of count 16-byte entries (the last byte must be within the width too).
bool check_msr_area(Ctx& c, R r, uint32_t addr_enc, uint32_t count_enc);
// A control word against its capability MSR (allowed-0/1, TRUE MSRs when IA32_VMX_BASIC[55]).
void check_control_word(Ctx& c, R r, ControlKind kind, uint32_t enc, uint64_t value);
// "value ... lacks bits 0x.. (must be 1) ... sets bits 0x.. (must be 0) ... write 0x.."
void hint_fixed(TextBuf& h, const char* name, uint64_t value, uint64_t must1, uint64_t must0,
                const char* source);
// A PAT value (8 memory-type bytes) is valid: every byte 0, 1, 4, 5, 6 or 7. Else returns
// false and the index of the first bad byte.
bool pat_valid(uint64_t pat, unsigned* bad);

// Named control bits (SDM 25.6-25.8).
namespace bits {
constexpr unsigned pin_ext_intr = 0, pin_nmi = 3, pin_vnmi = 5, pin_timer = 6, pin_posted = 7;
constexpr unsigned p_tpr_shadow = 21, p_nmi_window = 22, p_io_bitmaps = 25, p_mtf = 27,
                   p_msr_bitmaps = 28, p_secondary = 31, p_tertiary = 17;
constexpr unsigned s_apic_access = 0, s_ept = 1, s_x2apic = 4, s_vpid = 5, s_unrestricted = 7,
                   s_apic_reg = 8, s_vid = 9, s_vmfunc = 13, s_shadow = 14, s_pml = 17, s_ve = 18,
                   s_mbec = 22;
constexpr unsigned x_host64 = 9, x_ack = 15, x_save_pat = 18, x_load_pat = 19, x_load_efer = 21,
                   x_save_timer = 22;
constexpr unsigned n_load_debug = 2, n_ia32e = 9, n_smm = 10, n_dual = 11, n_load_pat = 14,
                   n_load_efer = 15;
} // namespace bits

void check_controls(Ctx& c);
void check_entry_controls(Ctx& c);
void check_host(Ctx& c);
void check_guest(Ctx& c);
void check_guest_segments(Ctx& c);
void check_guest_state(Ctx& c);
void check_msr_load(Ctx& c);
void check_abort(Ctx& c);

} // namespace vmx::entry
