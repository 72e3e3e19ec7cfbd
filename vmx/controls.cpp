#include "vmx/controls.hpp"

#include "vmx/text.hpp"

namespace vmx {
namespace {

#define VMXLAB_CONTROL_ROW(bit, NAME, sdm, lnx, alias) {bit, #NAME, sdm, lnx, alias},

// 25.6.1, pin-based VM-execution controls.
constexpr ControlBit kPin[] = {VMXLAB_PIN_CONTROLS(VMXLAB_CONTROL_ROW)};

// 25.6.2, primary processor-based VM-execution controls.
constexpr ControlBit kPrimary[] = {VMXLAB_PRIMARY_CONTROLS(VMXLAB_CONTROL_ROW)};

// 25.6.2, secondary processor-based VM-execution controls.
constexpr ControlBit kSecondary[] = {VMXLAB_SECONDARY_CONTROLS(VMXLAB_CONTROL_ROW)};

// 25.6.2, tertiary processor-based controls (IA32_VMX_PROCBASED_CTLS3, 0x492).
constexpr ControlBit kTertiary[] = {VMXLAB_TERTIARY_CONTROLS(VMXLAB_CONTROL_ROW)};

// 25.7.1, primary VM-exit controls.
constexpr ControlBit kExit[] = {VMXLAB_EXIT_CONTROLS(VMXLAB_CONTROL_ROW)};

// 25.7.1, secondary VM-exit controls (IA32_VMX_EXIT_CTLS2, 0x493).
constexpr ControlBit kSecondaryExit[] = {VMXLAB_SECONDARY_EXIT_CONTROLS(VMXLAB_CONTROL_ROW)};

// 25.8.1, VM-entry controls.
constexpr ControlBit kEntry[] = {VMXLAB_ENTRY_CONTROLS(VMXLAB_CONTROL_ROW)};

// 25.6.14: VM-function controls; IA32_VMX_VMFUNC (0x491) reports which may be 1.
constexpr ControlBit kVmFunc[] = {VMXLAB_VMFUNC_CONTROLS(VMXLAB_CONTROL_ROW)};

#define VMXLAB_BITS(a) a, sizeof(a) / sizeof(a[0])
constexpr uint8_t kNoGate = 0xFF;

// default1 values: SDM A.2 (the same values as Linux's *_ALWAYSON_WITHOUT_TRUE_MSR).
constexpr ControlKindInfo kKinds[kControlKindCount] = {
    {ControlKind::Pin, "pin", "PIN_BASED_", "Pin-based VM-execution controls", 0x4000, 0x481,
     0x48D, false, 0x00000016, ControlKind::Pin, kNoGate, VMXLAB_BITS(kPin)},
    {ControlKind::Primary, "primary", "CPU_BASED_", "Primary processor-based VM-execution controls",
     0x4002, 0x482, 0x48E, false, 0x0401E172, ControlKind::Primary, kNoGate, VMXLAB_BITS(kPrimary)},
    {ControlKind::Secondary, "secondary", "SECONDARY_EXEC_",
     "Secondary processor-based VM-execution controls", 0x401E, 0x48B, 0, false, 0,
     ControlKind::Primary, 31, VMXLAB_BITS(kSecondary)},
    {ControlKind::Tertiary, "tertiary", "TERTIARY_EXEC_",
     "Tertiary processor-based VM-execution controls", 0x2034, 0x492, 0, true, 0,
     ControlKind::Primary, 17, VMXLAB_BITS(kTertiary)},
    {ControlKind::Exit, "exit", "VM_EXIT_", "Primary VM-exit controls", 0x400C, 0x483, 0x48F, false,
     0x00036DFF, ControlKind::Exit, kNoGate, VMXLAB_BITS(kExit)},
    {ControlKind::SecondaryExit, "secondary_exit", "SECONDARY_VM_EXIT_",
     "Secondary VM-exit controls", 0x2044, 0x493, 0, true, 0, ControlKind::Exit, 31,
     VMXLAB_BITS(kSecondaryExit)},
    {ControlKind::Entry, "entry", "VM_ENTRY_", "VM-entry controls", 0x4012, 0x484, 0x490, false,
     0x000011FF, ControlKind::Entry, kNoGate, VMXLAB_BITS(kEntry)},
    {ControlKind::VmFunc, "vmfunc", "VMX_VMFUNC_", "VM-function controls", 0x2018, 0x491, 0, true,
     0, ControlKind::Secondary, 13, VMXLAB_BITS(kVmFunc)},
};

struct KindAlias {
    const char* name;
    ControlKind kind;
};
constexpr KindAlias kKindAliases[] = {
    {"proc", ControlKind::Primary},    {"proc2", ControlKind::Secondary},
    {"proc3", ControlKind::Tertiary},  {"exit2", ControlKind::SecondaryExit},
    {"pinbased", ControlKind::Pin},    {"procbased", ControlKind::Primary},
};

} // namespace

const ControlKindInfo& control_kind_info(ControlKind kind)
{
    return kKinds[static_cast<size_t>(kind)];
}

const ControlKindInfo* find_control_kind(const char* name)
{
    for (const ControlKindInfo& k : kKinds)
        if (str_eq(k.name, name))
            return &k;
    for (const KindAlias& a : kKindAliases)
        if (str_eq(a.name, name))
            return &control_kind_info(a.kind);
    return nullptr;
}

const ControlBit* find_control_bit(ControlKind kind, const char* name)
{
    const ControlKindInfo& k = control_kind_info(kind);
    const char* bare = name;
    if (str_starts_with(name, k.prefix))
        for (const char* p = k.prefix; *p; ++p)
            ++bare;
    for (size_t i = 0; i < k.bit_count; ++i) {
        const ControlBit& b = k.bits[i];
        if (str_eq(b.name, bare) || str_eq(b.alias, name))
            return &b;
    }
    return nullptr;
}

const ControlBit* control_bit_at(ControlKind kind, unsigned bit)
{
    const ControlKindInfo& k = control_kind_info(kind);
    for (size_t i = 0; i < k.bit_count; ++i)
        if (k.bits[i].bit == bit)
            return &k.bits[i];
    return nullptr;
}

size_t control_full_name(const ControlKindInfo& kind, const ControlBit& bit, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    out.str(kind.prefix).str(bit.name);
    return out.length();
}

} // namespace vmx
