#include "vmx/field_support.hpp"

#include "vmx/controls.hpp"

namespace vmx {
namespace {

// The control (word, bit) whose 1-setting a field needs; none = the field always exists.
struct Need { ControlKind kind; uint8_t bit; };
struct FieldNeed { uint32_t encoding; Need need; bool never; };

constexpr ControlKind Pin = ControlKind::Pin, Pri = ControlKind::Primary,
                      Sec = ControlKind::Secondary, Ter = ControlKind::Tertiary,
                      Exi = ControlKind::Exit, Ent = ControlKind::Entry;

// Appendix B's "exists only on processors that support the 1-setting of" notes (and the
// controls that make the field meaningful where the note is implicit). Encodings of full rows.
constexpr FieldNeed kNeeds[] = {
    { 0x0000, { Sec, 5 } },  { 0x0002, { Pin, 7 } },  { 0x0004, { Sec, 18 } }, { 0x0006, { Ter, 1 } },
    { 0x0008, { Ter, 4 } },  { 0x0810, { Sec, 9 } },  { 0x0812, { Sec, 17 } }, { 0x0814, {}, true },
    { 0x2000, { Pri, 25 } }, { 0x2002, { Pri, 25 } }, { 0x2004, { Pri, 28 } }, { 0x200E, { Sec, 17 } },
    { 0x2012, { Pri, 21 } }, { 0x2014, { Sec, 0 } },  { 0x2016, { Pin, 7 } },  { 0x2018, { Sec, 13 } },
    { 0x201A, { Sec, 1 } },  { 0x201C, { Sec, 9 } },  { 0x201E, { Sec, 9 } },  { 0x2020, { Sec, 9 } },
    { 0x2022, { Sec, 9 } },  { 0x2024, { Sec, 13 } }, { 0x2026, { Sec, 14 } }, { 0x2028, { Sec, 14 } },
    { 0x202A, { Sec, 18 } }, { 0x202C, { Sec, 20 } }, { 0x202E, { Sec, 15 } }, { 0x2030, { Sec, 23 } },
    { 0x2032, { Sec, 25 } }, { 0x2034, { Pri, 17 } }, { 0x2036, { Sec, 28 } }, { 0x2038, { Ter, 2 } },
    { 0x203A, { Ter, 2 } },  { 0x203C, {}, true },    { 0x203E, { Sec, 27 } }, { 0x2040, { Ter, 1 } },
    { 0x2042, { Ter, 4 } },  { 0x2044, { Exi, 31 } }, { 0x204A, { Ter, 7 } },  { 0x204C, { Ter, 7 } },
    { 0x2052, { Ent, 23 } }, { 0x2400, { Sec, 1 } },  { 0x2404, { Ent, 23 } }, { 0x2804, { Ent, 14 } },
    { 0x2806, { Ent, 15 } }, { 0x2808, { Ent, 13 } }, { 0x280A, { Sec, 1 } },  { 0x280C, { Sec, 1 } },
    { 0x280E, { Sec, 1 } },  { 0x2810, { Sec, 1 } },  { 0x2812, { Ent, 16 } }, { 0x2814, { Ent, 18 } },
    { 0x2816, { Ent, 21 } }, { 0x2818, { Ent, 22 } }, { 0x281A, { Ent, 23 } }, { 0x281C, { Ent, 23 } },
    { 0x281E, { Ent, 23 } }, { 0x2820, { Ent, 23 } }, { 0x2822, { Ent, 23 } }, { 0x2824, { Ent, 23 } },
    { 0x2826, { Ent, 23 } }, { 0x2828, { Ent, 23 } }, { 0x2C00, { Exi, 19 } }, { 0x2C02, { Exi, 21 } },
    { 0x2C04, { Exi, 12 } }, { 0x2C06, { Exi, 29 } }, { 0x2C08, { Exi, 31 } }, { 0x2C0A, { Exi, 31 } },
    { 0x2C0C, { Exi, 31 } }, { 0x2C0E, { Exi, 31 } }, { 0x2C10, { Exi, 31 } }, { 0x2C12, { Exi, 31 } },
    { 0x2C14, { Exi, 31 } }, { 0x2C16, { Exi, 31 } }, { 0x401C, { Pri, 21 } }, { 0x401E, { Pri, 31 } },
    { 0x4020, { Sec, 10 } }, { 0x4022, { Sec, 10 } }, { 0x4024, { Sec, 31 } }, { 0x482E, { Pin, 6 } },
    { 0x6828, { Ent, 20 } }, { 0x682A, { Ent, 20 } }, { 0x682C, { Ent, 20 } }, { 0x6C18, { Exi, 28 } },
    { 0x6C1A, { Exi, 28 } }, { 0x6C1C, { Exi, 28 } },
};

bool may_be_one(const VmxCaps& caps, Need n)
{
    ControlCaps c = control_caps(caps, n.kind);
    return c.available && ((c.allowed1 >> n.bit) & 1);
}

} // namespace

FieldSupport field_support(const FieldInfo& field, const VmxCaps& caps)
{
    uint64_t vmcs_enum = 0;
    uint32_t full = field.encoding & ~1u;
    if (caps_msr(caps, IA32_VMX_VMCS_ENUM, &vmcs_enum)
        && ((full >> 1) & 0x1FF) > vmcs_enum_highest_index(vmcs_enum))
        return FieldSupport::beyond_enum;
    for (const FieldNeed& f : kNeeds)
        if (f.encoding == full)
            return !f.never && may_be_one(caps, f.need) ? FieldSupport::supported
                                                        : FieldSupport::feature_missing;
    return FieldSupport::supported;
}

} // namespace vmx
