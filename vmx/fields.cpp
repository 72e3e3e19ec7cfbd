// The field table, generated from field_list.hpp, and its lookups.
#include "vmx/fields.hpp"

#include "vmx/text.hpp"

namespace vmx {
namespace {

#define VMXLAB_T_CTL FieldType::Control
#define VMXLAB_T_RO FieldType::ReadOnly
#define VMXLAB_T_GST FieldType::Guest
#define VMXLAB_T_HST FieldType::Host
#define VMXLAB_S_LNX NameSource::Linux
#define VMXLAB_S_KUT NameSource::KvmUnitTests
#define VMXLAB_S_OWN NameSource::Vmxlab

#define VMXLAB_ONE(enc, name, w, type, sdm, src) \
    {enc, #name, sdm, w, VMXLAB_T_##type, false, VMXLAB_S_##src},
#define VMXLAB_TAB_W16(enc, name, type, sdm, src) \
    VMXLAB_ONE(enc, name, Width::Bits16, type, sdm, src)
#define VMXLAB_TAB_W32(enc, name, type, sdm, src) \
    VMXLAB_ONE(enc, name, Width::Bits32, type, sdm, src)
#define VMXLAB_TAB_WNAT(enc, name, type, sdm, src) \
    VMXLAB_ONE(enc, name, Width::Natural, type, sdm, src)
// 25.11.2: a 64-bit field has two encodings, full (bit 0 = 0) and high (bit 0 = 1).
#define VMXLAB_TAB_W64(enc, name, type, sdm, src) \
    VMXLAB_ONE(enc, name, Width::Bits64, type, sdm, src) \
    {(enc) + 1, #name "_HIGH", sdm, Width::Bits64, VMXLAB_T_##type, true, VMXLAB_S_##src},
#define VMXLAB_TAB_ROW(enc, name, width, type, sdm, src) \
    VMXLAB_TAB_##width(enc, name, type, sdm, src)

constexpr FieldInfo kFields[] = {VMXLAB_VMCS_FIELDS(VMXLAB_TAB_ROW)};

constexpr size_t kFieldCount = sizeof(kFields) / sizeof(kFields[0]);

bool is_alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Upper-snake-cases an appendix-B name: letters upper-cased, every run of other characters
// becomes one '_', text in parentheses is dropped, and "I/O" is the single word IO.
size_t sdm_alias(const FieldInfo& f, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    bool need_sep = false;
    for (const char* p = f.sdm_name; *p; ++p) {
        if (*p == '(') {
            while (*p && *p != ')')
                ++p;
            if (!*p)
                break;
            need_sep = out.length() > 0;
            continue;
        }
        bool io = p[0] == 'I' && p[1] == '/' && p[2] == 'O' && !is_alnum(p[3]);
        if (!io && !is_alnum(*p)) {
            need_sep = out.length() > 0;
            continue;
        }
        if (need_sep)
            out.chr('_');
        need_sep = false;
        if (io) {
            out.str("IO");
            p += 2;
        } else {
            out.chr(*p >= 'a' && *p <= 'z' ? static_cast<char>(*p - 'a' + 'A') : *p);
        }
    }
    if (f.high)
        out.str("_HIGH");
    return out.length();
}

} // namespace

size_t field_count()
{
    return kFieldCount;
}

const FieldInfo* field_at(size_t index)
{
    return index < kFieldCount ? &kFields[index] : nullptr;
}

const FieldInfo* find_field_by_name(const char* name)
{
    if (!name)
        return nullptr;
    for (const FieldInfo& f : kFields)
        if (str_eq(f.name, name))
            return &f;
    char alias[128];
    for (const FieldInfo& f : kFields) {
        size_t n = sdm_alias(f, alias, sizeof alias);
        if (n < sizeof alias && str_eq(alias, name))
            return &f;
    }
    return nullptr;
}

const FieldInfo* find_field_by_encoding(uint64_t encoding)
{
    for (const FieldInfo& f : kFields)
        if (f.encoding == encoding)
            return &f;
    return nullptr;
}

size_t field_alias(const FieldInfo& field, char* buf, size_t cap)
{
    char alias[128];
    size_t n = sdm_alias(field, alias, sizeof alias);
    TextBuf out(buf, cap);
    if (n < sizeof alias && !str_eq(alias, field.name))
        out.str(alias);
    return out.length();
}

const char* width_name(Width width)
{
    switch (width) {
    case Width::Bits16: return "16-bit";
    case Width::Bits64: return "64-bit";
    case Width::Bits32: return "32-bit";
    case Width::Natural: return "natural-width";
    }
    return "?";
}

const char* type_name(FieldType type)
{
    switch (type) {
    case FieldType::Control: return "control";
    case FieldType::ReadOnly: return "read-only data";
    case FieldType::Guest: return "guest-state";
    case FieldType::Host: return "host-state";
    }
    return "?";
}

} // namespace vmx
