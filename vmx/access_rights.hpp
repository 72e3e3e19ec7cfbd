// Segment access rights as the VMCS holds them (SDM 25.4.1, "Format of Access Rights"): the
// descriptor's bytes 5 and 6 spread over bits 15:0, plus an "unusable" bit 16.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace vmx {

struct AccessRights {
    uint8_t type;            // bits 3:0: segment type
    bool s;                  // bit 4: descriptor type (0 = system, 1 = code or data)
    uint8_t dpl;             // bits 6:5
    bool present;            // bit 7
    bool avl;                // bit 12: available for system software
    bool l;                  // bit 13: 64-bit mode active (CS only)
    bool db;                 // bit 14: default operation size (0 = 16-bit, 1 = 32-bit)
    bool g;                  // bit 15: granularity
    bool unusable;           // bit 16: segment unusable (0 = usable)
    uint32_t reserved_bits;  // bits 11:8 and 31:17 that are set
};

constexpr uint32_t kAccessRightsUnusable = 1u << 16;

AccessRights decode_access_rights(uint32_t raw);
// From a GDT/LDT descriptor: bits 47:40 become 7:0 and bits 55:52 become 15:12.
uint32_t access_rights_from_descriptor(uint64_t descriptor);
// "code, execute/read, accessed" or, for S=0, the system type ("32/64-bit TSS (busy)").
const char* segment_type_name(uint8_t type, bool s);

// "0x0000A09B: code, execute/read, accessed; S=1 DPL=0 P=1 AVL=0 L=1 D/B=0 G=1"
size_t format_access_rights(uint32_t raw, char* buf, size_t cap);

} // namespace vmx
