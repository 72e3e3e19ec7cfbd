// The VMCS field catalogue: every field of SDM appendix B with its encoding, Linux name, width and
// type, looked up by name or encoding and iterated in the SDM's order. Pure data; no VMREAD here.
// Section numbers follow SDM 325462-080US (docs/sdm.md), whose Vol. 3C chapter 25 is "Virtual
// Machine Control Structures" (25.11.2 encodings, 28.2.1 exit qualifications, 31.4 instruction errors);
// appendix letters (A capability MSRs, B encodings, C exit reasons) are the same in every edition.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "vmx/field_list.hpp"

namespace vmx {

// Encoding bits 14:13 (SDM 25.11.2). The numeric values are the encoding's.
enum class Width : uint8_t { Bits16 = 0, Bits64 = 1, Bits32 = 2, Natural = 3 };
// Encoding bits 11:10. "ReadOnly" is the SDM's "VM-exit information"/"read-only data" type.
enum class FieldType : uint8_t { Control = 0, ReadOnly = 1, Guest = 2, Host = 3 };
// Where a field's name comes from (see field_list.hpp).
enum class NameSource : uint8_t { Linux, KvmUnitTests, Vmxlab };

struct FieldInfo {
    uint32_t encoding;
    const char* name;        // Linux spelling, e.g. "GUEST_CR0", "VMCS_LINK_POINTER_HIGH"
    const char* sdm_name;    // appendix B wording, e.g. "CR3-target count"
    Width width;             // a _HIGH row keeps Bits64: it is half of a 64-bit field
    FieldType type;
    bool high;               // encoding bit 0: the high 32 bits of a 64-bit field
    NameSource source;
};

// One enumerator per field (and per _HIGH half), generated from field_list.hpp:
// vmx::vmcs::GUEST_CR0 == 0x6800, vmx::vmcs::VMCS_LINK_POINTER_HIGH == 0x2801.
namespace vmcs {
#define VMXLAB_ENUM_W16(enc, name) name = enc,
#define VMXLAB_ENUM_W32(enc, name) name = enc,
#define VMXLAB_ENUM_WNAT(enc, name) name = enc,
#define VMXLAB_ENUM_W64(enc, name) name = enc, name##_HIGH = enc + 1,
#define VMXLAB_ENUM_ROW(enc, name, width, type, sdm, source) VMXLAB_ENUM_##width(enc, name)
enum Field : uint32_t { VMXLAB_VMCS_FIELDS(VMXLAB_ENUM_ROW) };
#undef VMXLAB_ENUM_ROW
#undef VMXLAB_ENUM_W64
#undef VMXLAB_ENUM_WNAT
#undef VMXLAB_ENUM_W32
#undef VMXLAB_ENUM_W16
} // namespace vmcs

// Iteration in table order (SDM appendix B order, each _HIGH row right after its full row).
size_t field_count();
const FieldInfo* field_at(size_t index);            // nullptr past the end

// Case-sensitive. Accepts the Linux-style name ("VM_EXIT_REASON") or the SDM alias
// ("EXIT_REASON"); a _HIGH suffix works with both. nullptr if unknown.
const FieldInfo* find_field_by_name(const char* name);
// Exact encoding, full or high. nullptr if no field of the table has it.
const FieldInfo* find_field_by_encoding(uint64_t encoding);

// The SDM alias of a field: its appendix-B name upper-snake-cased ("Exit reason" -> EXIT_REASON,
// "Address of I/O bitmap A" -> ADDRESS_OF_IO_BITMAP_A), plus _HIGH for a high row. Writes it into
// buf (NUL-terminated, snprintf-style return value). Returns 0 and writes "" when the alias is
// spelled exactly like the field's name, i.e. there is no separate alias.
size_t field_alias(const FieldInfo& field, char* buf, size_t cap);

const char* width_name(Width width);        // "16-bit", "64-bit", "32-bit", "natural-width"
// "control", "read-only data", "guest-state", "host-state"
const char* type_name(FieldType type);

} // namespace vmx
