#include "vmx/encoding.hpp"

#include "vmx/text.hpp"

namespace vmx {
namespace {

// Appendix B's section number for a width/type pair: B.1 16-bit, B.2 64-bit, B.3 32-bit, B.4
// natural width; inside each, control, read-only, guest, host -- except B.1, which has no
// read-only fields (B.1.1 control, B.1.2 guest, B.1.3 host).
void put_sdm_section(TextBuf& out, Width width, FieldType type)
{
    static const int kChapter[] = {1, 2, 3, 4};  // indexed by Width's encoding value
    int chapter = kChapter[static_cast<int>(width)];
    int section = static_cast<int>(type) + 1;
    if (width == Width::Bits16) {
        if (type == FieldType::ReadOnly)
            return;
        section = type == FieldType::Control ? 1 : section - 1;
    }
    out.str(" (SDM B.").dec(static_cast<uint64_t>(chapter)).chr('.')
        .dec(static_cast<uint64_t>(section)).chr(')');
}

void put_bits(TextBuf& out, const EncodingParts& p)
{
    out.str(" Encoding bits: access type (bit 0) = ").dec(p.high ? 1 : 0)
        .str(p.high ? " high" : " full")
        .str(", index (bits 9:1) = ").dec(p.index)
        .str(", type (bits 11:10) = ").dec(static_cast<uint64_t>(p.type)).chr(' ')
        .str(type_name(p.type))
        .str(", width (bits 14:13) = ").dec(static_cast<uint64_t>(p.width)).chr(' ')
        .str(width_name(p.width)).chr('.');
}

} // namespace

EncodingParts decode_encoding(uint64_t encoding)
{
    EncodingParts p{};
    p.raw = encoding;
    p.high = (encoding & 1) != 0;
    p.index = static_cast<uint16_t>((encoding >> 1) & 0x1FF);
    p.type = static_cast<FieldType>((encoding >> 10) & 3);
    p.width = static_cast<Width>((encoding >> 13) & 3);
    p.reserved_bits = encoding & kEncodingReservedMask;
    // 25.11.2: the access type must be full for 16-bit, 32-bit and natural-width fields.
    p.high_not_64bit = p.high && p.width != Width::Bits64;
    p.valid = p.reserved_bits == 0 && !p.high_not_64bit;
    return p;
}

uint32_t make_encoding(Width width, FieldType type, uint16_t index, bool high)
{
    return static_cast<uint32_t>(static_cast<uint32_t>(width) << 13 |
                                 static_cast<uint32_t>(type) << 10 |
                                 static_cast<uint32_t>(index & 0x1FF) << 1 | (high ? 1u : 0u));
}

size_t describe_field(uint64_t encoding, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    EncodingParts p = decode_encoding(encoding);
    out.hex(encoding, encoding > 0xFFFFFFFFu ? 16 : 8);
    if (!p.valid) {
        out.str(" is not a valid VMCS field encoding:");
        if (p.reserved_bits != 0)
            out.str(" reserved bits ").hex(p.reserved_bits)
                .str(" are set (bit 12 and bits 15 and up must be 0)");
        if (p.reserved_bits != 0 && p.high_not_64bit)
            out.chr(';');
        if (p.high_not_64bit)
            out.str(" access type 1 (high) exists only for 64-bit fields, and this is ")
                .str(width_name(p.width));
        out.str(". VMREAD/VMWRITE of it fails with VM-instruction error 12.");
        put_bits(out, p);
        return out.length();
    }
    const FieldInfo* f = find_field_by_encoding(encoding);
    if (f) {
        out.str(" is ").str(f->name).str(", the ");
        if (f->high)
            out.str("high 32 bits of the ");
        // The SDM capitalises the first word of each name; in running text a plain word reads
        // lower-case ("Guest CR0" -> "guest CR0") while acronyms stay ("VMCS link pointer").
        const char* s = f->sdm_name;
        bool word = s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z';
        if (word)
            out.chr(static_cast<char>(s[0] - 'A' + 'a')).str(s + 1);
        else
            out.str(s);
        out.str(": ");
    } else {
        out.str(" names no field in vmxlab's table (SDM appendix B); it would be ");
    }
    out.str("a ").str(width_name(p.width)).chr(' ').str(type_name(p.type)).str(" field");
    put_sdm_section(out, p.width, p.type);
    out.chr('.');
    if (f) {
        char alias[128];
        if (field_alias(*f, alias, sizeof alias) > 0)
            out.str(" SDM alias: ").str(alias).chr('.');
    } else {
        out.str(" VMREAD/VMWRITE of an unsupported component fails with VM-instruction error 12.");
    }
    put_bits(out, p);
    return out.length();
}

} // namespace vmx
