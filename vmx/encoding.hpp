// VMCS component encodings taken apart (SDM 25.11.2, "VMREAD, VMWRITE, and Encodings of VMCS
// Fields"), and the lecture's slide on encodings as a function: describe_field(0x400A).
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "vmx/fields.hpp"

namespace vmx {

// Bit layout of a 32-bit field encoding (the operand of VMREAD/VMWRITE):
//   0      access type: 0 = full, 1 = high (the upper 32 bits of a 64-bit field)
//   9:1    index
//   11:10  type: 0 control, 1 read-only data (VM-exit information), 2 guest state, 3 host state
//   12     reserved, must be 0
//   14:13  width: 0 16-bit, 1 64-bit, 2 32-bit, 3 natural width
//   31:15  reserved, must be 0 (in 64-bit mode the register's bits 63:32 count as well)
struct EncodingParts {
    uint64_t raw;
    bool high;               // bit 0
    uint16_t index;          // bits 9:1
    FieldType type;          // bits 11:10
    Width width;             // bits 14:13
    uint64_t reserved_bits;  // raw & (bit 12 | bits 63:15): must be 0
    bool high_not_64bit;     // access type "high" on a field that is not 64 bits wide
    bool valid;              // neither of the two problems above
};

constexpr uint64_t kEncodingReservedMask = ~uint64_t{0x6FFF};

EncodingParts decode_encoding(uint64_t encoding);
uint32_t make_encoding(Width width, FieldType type, uint16_t index, bool high);

// One paragraph about an encoding, whether or not it names a field of the table, e.g.
//   "0x0000400A is CR3_TARGET_COUNT, the CR3-target count: a 32-bit control field (SDM B.3.1).
//    Encoding bits: access type (bit 0) = 0 full, index (bits 9:1) = 5, type (bits 11:10) = 0
//    control, width (bits 14:13) = 2 32-bit."
// The SDM alias is named when there is one ("SDM alias: EXIT_REASON."); reserved bits and the
// high-access rule are explained when broken. snprintf-style return.
size_t describe_field(uint64_t encoding, char* buf, size_t cap);

} // namespace vmx
