// Helpers shared by the VM-entry checker's rule files: address widths, canonical addresses,
// allowed-0/1 checks and the hint wording they share.
#include "vmx/entry_check_internal.hpp"

#include "vmx/fields.hpp"

namespace vmx::entry {

unsigned phys_width(const Snapshot& s)
{
    // CPUID.80000008H missing: 36 bits (SDM Vol. 3A 4.1.4). IA32_VMX_BASIC[48] limits the
    // addresses in VMCS pointer fields to 32 bits (A.1).
    unsigned w = s.maxphyaddr ? s.maxphyaddr : 36;
    if (w > 64)
        w = 64;   // a nonsensical CPUID value must not make a shift undefined
    uint64_t basic = 0;
    if (caps_msr(s.caps, IA32_VMX_BASIC, &basic) && decode_basic(basic).phys_addr_32bit && w > 32)
        w = 32;
    return w;
}

bool beyond_width(const Snapshot& s, uint64_t pa)
{
    unsigned w = phys_width(s);
    return w < 64 && (pa >> w) != 0;
}

bool canonical(const Snapshot& s, uint64_t la)
{
    unsigned w = s.linear_width ? s.linear_width : 48;
    if (w >= 64)
        return true;
    unsigned shift = 64 - w;
    return static_cast<uint64_t>(static_cast<int64_t>(la << shift) >> shift) == la;
}

const char* field_name(uint32_t enc)
{
    const FieldInfo* f = find_field_by_encoding(enc);
    return f ? f->name : "?";
}

bool check_address(Ctx& c, R r, uint32_t enc, uint64_t align, const char* align_text)
{
    uint64_t a = c[enc];
    if (a & (align - 1)) {
        c.add(r, enc).str(field_name(enc)).chr(' ').hex(a).str(" is not ").str(align_text)
            .str(" aligned (bits ").dec(align == 16 ? 3 : align == 64 ? 5 : 11)
            .str(":0 must be 0) -- write ").hex(a & ~(align - 1));
        return false;
    }
    if (beyond_width(c.s, a)) {
        c.add(r, enc).str(field_name(enc)).chr(' ').hex(a).str(" sets bits beyond the ")
            .dec(phys_width(c.s)).str("-bit physical-address width -- use an address below ")
            .hex(uint64_t{1} << phys_width(c.s));
        return false;
    }
    return true;
}

bool check_msr_area(Ctx& c, R r, uint32_t addr_enc, uint32_t count_enc)
{
    uint64_t count = c[count_enc];
    if (count == 0)
        return true;
    if (!check_address(c, r, addr_enc, 16, "16-byte"))
        return false;
    uint64_t last = c[addr_enc] + count * 16 - 1;
    if (beyond_width(c.s, last)) {
        c.add(r, addr_enc, count_enc).str("the last byte of the area, ").str(field_name(addr_enc))
            .str(" + ").dec(count).str(" * 16 - 1 = ").hex(last).str(", is beyond the ")
            .dec(phys_width(c.s)).str("-bit physical-address width -- move the area lower or ")
            .str("lower ").str(field_name(count_enc));
        return false;
    }
    return true;
}

void hint_fixed(TextBuf& h, const char* name, uint64_t value, uint64_t must1, uint64_t must0,
                const char* source)
{
    h.str(name).chr(' ').hex(value);
    if (must1)
        h.str(" lacks bits ").hex(must1).str(" that ").str(source).str(" requires");
    if (must1 && must0)
        h.str(" and");
    if (must0)
        h.str(" sets bits ").hex(must0).str(" that ").str(source).str(" forbids");
    h.str(" -- write ").hex((value | must1) & ~must0);
}

void check_control_word(Ctx& c, R r, ControlKind kind, uint32_t enc, uint64_t value)
{
    ControlCaps caps = control_caps(c.s.caps, kind);
    uint64_t must1 = caps.allowed0 & ~value;
    uint64_t must0 = value & ~caps.allowed1;
    if (!must1 && !must0)
        return;
    const char* msr = vmx_msr_name(caps.msr);
    if (!caps.available)
        msr = "the capability MSRs (this control word is not available)";
    hint_fixed(c.add(r, enc), field_name(enc), value, must1, must0, msr ? msr : "?");
}

bool pat_valid(uint64_t pat, unsigned* bad)
{
    for (unsigned i = 0; i < 8; ++i) {
        unsigned t = (pat >> (8 * i)) & 0xFF;
        if (t == 2 || t == 3 || t > 7) {
            *bad = i;
            return false;
        }
    }
    return true;
}

} // namespace vmx::entry
