#include "vmx/access_rights.hpp"

#include "vmx/text.hpp"

namespace vmx {

AccessRights decode_access_rights(uint32_t raw)
{
    AccessRights ar{};
    ar.type = static_cast<uint8_t>(raw & 0xF);
    ar.s = (raw >> 4) & 1;
    ar.dpl = static_cast<uint8_t>((raw >> 5) & 3);
    ar.present = (raw >> 7) & 1;
    ar.avl = (raw >> 12) & 1;
    ar.l = (raw >> 13) & 1;
    ar.db = (raw >> 14) & 1;
    ar.g = (raw >> 15) & 1;
    ar.unusable = (raw >> 16) & 1;
    ar.reserved_bits = raw & 0xFFFE0F00u;
    return ar;
}

uint32_t access_rights_from_descriptor(uint64_t descriptor)
{
    uint32_t low = static_cast<uint32_t>((descriptor >> 40) & 0xFF);
    uint32_t high = static_cast<uint32_t>((descriptor >> 52) & 0xF);
    return low | high << 12;
}

const char* segment_type_name(uint8_t type, bool s)
{
    // Vol. 3A 3.4.5.1 (code and data) and 3.5 (system types in IA-32e mode).
    static const char* const kCodeData[16] = {
        "data, read-only", "data, read-only, accessed",
        "data, read/write", "data, read/write, accessed",
        "data, read-only, expand-down", "data, read-only, expand-down, accessed",
        "data, read/write, expand-down", "data, read/write, expand-down, accessed",
        "code, execute-only", "code, execute-only, accessed",
        "code, execute/read", "code, execute/read, accessed",
        "code, execute-only, conforming", "code, execute-only, conforming, accessed",
        "code, execute/read, conforming", "code, execute/read, conforming, accessed"};
    static const char* const kSystem[16] = {
        "system, reserved", "16-bit TSS (available)", "LDT", "16-bit TSS (busy)",
        "16-bit call gate", "task gate", "16-bit interrupt gate", "16-bit trap gate",
        "system, reserved", "32/64-bit TSS (available)", "system, reserved",
        "32/64-bit TSS (busy)", "32/64-bit call gate", "system, reserved",
        "32/64-bit interrupt gate", "32/64-bit trap gate"};
    return s ? kCodeData[type & 0xF] : kSystem[type & 0xF];
}

size_t format_access_rights(uint32_t raw, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    AccessRights ar = decode_access_rights(raw);
    out.hex(raw, 8).str(": ");
    // 27.3.1.2: for an unusable segment most other bits are not checked, so say that first.
    if (ar.unusable)
        out.str("unusable; ");
    out.str(segment_type_name(ar.type, ar.s)).chr(';');
    out.flag("S", ar.s).str(" DPL=").dec(ar.dpl);
    out.flag("P", ar.present).flag("AVL", ar.avl).flag("L", ar.l).flag("D/B", ar.db)
        .flag("G", ar.g);
    if (ar.reserved_bits)
        out.str("; reserved bits ").hex(ar.reserved_bits).str(" set");
    return out.length();
}

} // namespace vmx
