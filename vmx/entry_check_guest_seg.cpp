// SDM 27.3.1.2: the checks on the guest segment registers (selector, base, limit, access rights
// of ES, CS, SS, DS, FS, GS, LDTR, TR) for 64-bit, protected-mode, virtual-8086 and
// unrestricted guests. A failure is a VM-entry failure with exit reason 33.
#include "vmx/entry_check_internal.hpp"

namespace vmx::entry {
namespace {

using namespace vmx::vmcs;
using namespace bits;

// Index order of the VMCS encodings: GUEST_ES_SELECTOR + 2 * index, likewise limit/AR/base.
enum Seg : unsigned { ES, CS, SS, DS, FS, GS, LDTR, TR };
const char* const kSegName[] = {"ES", "CS", "SS", "DS", "FS", "GS", "LDTR", "TR"};

uint32_t sel_enc(unsigned s) { return GUEST_ES_SELECTOR + 2 * s; }
uint32_t lim_enc(unsigned s) { return GUEST_ES_LIMIT + 2 * s; }
uint32_t ar_enc(unsigned s) { return GUEST_ES_AR_BYTES + 2 * s; }
uint32_t base_enc(unsigned s) { return GUEST_ES_BASE + 2 * s; }

struct SegView {
    Ctx& c;
    bool v86, ia32e, unrestricted;
    uint64_t sel(unsigned s) const { return c[sel_enc(s)]; }
    uint64_t lim(unsigned s) const { return c[lim_enc(s)]; }
    uint64_t ar(unsigned s) const { return c[ar_enc(s)]; }
    uint64_t base(unsigned s) const { return c[base_enc(s)]; }
    bool usable(unsigned s) const { return !bit(ar(s), 16); }
    // "CS or usable": the condition most access-rights checks share.
    bool checked(unsigned s) const { return s == CS || usable(s); }
};

bool granularity_ok(uint64_t limit, uint64_t ar)
{
    bool g = bit(ar, 15);
    if ((limit & 0xFFF) != 0xFFF && g)
        return false;
    return !((limit >> 20) && !g);
}

void hint_granularity(Ctx& c, R r, unsigned s, uint64_t limit, uint64_t ar)
{
    // G = 1 counts the limit in 4-KByte units: its low 12 bits read as all ones. A limit of
    // 1 MByte or more can only be expressed that way.
    TextBuf& h = c.add(r, lim_enc(s), ar_enc(s));
    h.str(kSegName[s]).str(" limit ").hex(limit).str(" with G = ").dec(bit(ar, 15));
    if (bit(ar, 15))
        h.str(": with G = 1 limit bits 11:0 must all be 1 -- write ").str(field_name(lim_enc(s)))
            .chr(' ').hex(limit | 0xFFF);
    else
        h.str(": a limit of 1 MByte or more needs G = 1 -- write ").str(field_name(ar_enc(s)))
            .chr(' ').hex(ar | 0x8000).str(" and ").str(field_name(lim_enc(s))).chr(' ')
            .hex(limit | 0xFFF);
}

void check_selectors_bases(SegView& v)
{
    Ctx& c = v.c;
    if (bit(v.sel(TR), 2))
        c.add(R::g_tr_ti, sel_enc(TR)).str("GUEST_TR_SELECTOR ").hex(v.sel(TR)).str(" has TI = 1;"
            " TR must come from the GDT -- write ").hex(v.sel(TR) & ~4ull);
    if (v.usable(LDTR) && bit(v.sel(LDTR), 2))
        c.add(R::g_ldtr_ti, sel_enc(LDTR)).str("GUEST_LDTR_SELECTOR ").hex(v.sel(LDTR))
            .str(" has TI = 1 -- write ").hex(v.sel(LDTR) & ~4ull);
    if (!v.v86 && !v.unrestricted && (v.sel(SS) & 3) != (v.sel(CS) & 3))
        c.add(R::g_ss_rpl, sel_enc(SS), sel_enc(CS)).str("GUEST_SS_SELECTOR RPL ").dec(v.sel(SS) & 3)
            .str(" differs from GUEST_CS_SELECTOR RPL ").dec(v.sel(CS) & 3).str("; in a guest that "
            "is not unrestricted SS.RPL must equal CS.RPL -- write ").hex((v.sel(SS) & ~3ull) | (v.sel(CS) & 3));
    for (unsigned s = ES; s <= GS && v.v86; ++s)
        if (v.base(s) != v.sel(s) * 16) {
            c.add(R::g_v86_base, base_enc(s), sel_enc(s)).str(field_name(base_enc(s))).chr(' ')
                .hex(v.base(s)).str(" is not the selector ").hex(v.sel(s)).str(" times 16 in "
                "virtual-8086 mode -- write ").hex(v.sel(s) * 16);
            break;
        }
    const unsigned canon[] = {TR, FS, GS, LDTR};
    for (unsigned s : canon)
        if ((s != LDTR || v.usable(LDTR)) && !canonical(c.s, v.base(s))) {
            c.add(R::g_base_canonical, base_enc(s)).str(field_name(base_enc(s))).chr(' ')
                .hex(v.base(s)).str(" is not canonical");
            break;
        }
    const unsigned low[] = {CS, SS, DS, ES};
    for (unsigned s : low)
        if ((s == CS || v.usable(s)) && (v.base(s) >> 32)) {
            c.add(R::g_base_high, base_enc(s)).str(field_name(base_enc(s))).chr(' ').hex(v.base(s))
                .str(" sets bits 63:32 -- write ").hex(v.base(s) & 0xFFFFFFFF);
            break;
        }
}

void check_v86(SegView& v)
{
    for (unsigned s = ES; s <= GS; ++s)
        if (v.lim(s) != 0xFFFF) {
            v.c.add(R::g_v86_limit, lim_enc(s)).str(field_name(lim_enc(s))).chr(' ').hex(v.lim(s))
                .str(" in virtual-8086 mode -- write 0xFFFF");
            break;
        }
    for (unsigned s = ES; s <= GS; ++s)
        if (v.ar(s) != 0xF3) {
            v.c.add(R::g_v86_ar, ar_enc(s)).str(field_name(ar_enc(s))).chr(' ').hex(v.ar(s))
                .str(" in virtual-8086 mode -- write 0xF3 (present DPL-3 read/write accessed data)");
            break;
        }
}

void check_types(SegView& v)
{
    Ctx& c = v.c;
    unsigned cs_type = v.ar(CS) & 15;
    bool cs_ok = cs_type == 9 || cs_type == 11 || cs_type == 13 || cs_type == 15 ||
                 (cs_type == 3 && v.unrestricted);
    if (!cs_ok)
        c.add(R::g_cs_type, ar_enc(CS)).str("GUEST_CS_AR_BYTES ").hex(v.ar(CS)).str(" has type ")
            .dec(cs_type).str("; CS must be accessed code (9, 11, 13, 15)").str(v.unrestricted ?
            " or type 3" : "").str(" -- write ").hex((v.ar(CS) & ~15ull) | 11);
    unsigned ss_type = v.ar(SS) & 15;
    if (v.usable(SS) && ss_type != 3 && ss_type != 7)
        c.add(R::g_ss_type, ar_enc(SS)).str("GUEST_SS_AR_BYTES ").hex(v.ar(SS)).str(" has type ")
            .dec(ss_type).str("; a usable SS is read/write accessed data (3 or 7) -- write ")
            .hex((v.ar(SS) & ~15ull) | 3);
    const unsigned data[] = {DS, ES, FS, GS};
    for (unsigned s : data) {
        unsigned t = v.ar(s) & 15;
        if (v.usable(s) && (!bit(t, 0) || (bit(t, 3) && !bit(t, 1)))) {
            c.add(R::g_data_type, ar_enc(s)).str(field_name(ar_enc(s))).chr(' ').hex(v.ar(s))
                .str(" has type ").dec(t).str(bit(t, 0) ? " (execute-only code)" : " (accessed bit"
                " clear)").str(" -- write ").hex(v.ar(s) | 1 | (bit(t, 3) ? 2 : 0));
            break;
        }
    }
    for (unsigned s = ES; s <= GS; ++s)
        if (v.checked(s) && !bit(v.ar(s), 4)) {
            c.add(R::g_seg_s, ar_enc(s)).str(field_name(ar_enc(s))).chr(' ').hex(v.ar(s))
                .str(" has S = 0 (system segment) -- write ").hex(v.ar(s) | 0x10);
            break;
        }
}

void check_dpl(SegView& v)
{
    Ctx& c = v.c;
    unsigned cs_type = v.ar(CS) & 15, cs_dpl = (v.ar(CS) >> 5) & 3, ss_dpl = (v.ar(SS) >> 5) & 3;
    bool bad = (cs_type == 3 && cs_dpl != 0) || ((cs_type == 9 || cs_type == 11) && cs_dpl != ss_dpl) ||
               ((cs_type == 13 || cs_type == 15) && cs_dpl > ss_dpl);
    if (bad)
        c.add(R::g_cs_dpl, ar_enc(CS), ar_enc(SS)).str("CS.DPL ").dec(cs_dpl).str(" (type ")
            .dec(cs_type).str(") does not fit SS.DPL ").dec(ss_dpl).str(" -- write "
            "GUEST_CS_AR_BYTES ").hex((v.ar(CS) & ~0x60ull) | (cs_type == 3 ? 0 : ss_dpl << 5));
    if (!v.unrestricted && ss_dpl != (v.sel(SS) & 3))
        c.add(R::g_ss_dpl, ar_enc(SS), sel_enc(SS)).str("SS.DPL ").dec(ss_dpl).str(" differs from "
            "GUEST_SS_SELECTOR RPL ").dec(v.sel(SS) & 3).str(" -- write GUEST_SS_AR_BYTES ")
            .hex((v.ar(SS) & ~0x60ull) | (v.sel(SS) & 3) << 5);
    if (ss_dpl != 0 && (cs_type == 3 || !bit(c[GUEST_CR0], 0)))
        c.add(R::g_ss_dpl_real, ar_enc(SS), GUEST_CR0).str("SS.DPL is ").dec(ss_dpl).str(" but ")
            .str(cs_type == 3 ? "CS has type 3" : "GUEST_CR0.PE = 0 (real mode)").str(" -- write "
            "GUEST_SS_AR_BYTES ").hex(v.ar(SS) & ~0x60ull);
    const unsigned data[] = {DS, ES, FS, GS};
    for (unsigned s : data) {
        unsigned dpl = (v.ar(s) >> 5) & 3, rpl = v.sel(s) & 3;
        if (!v.unrestricted && v.usable(s) && (v.ar(s) & 15) <= 11 && dpl < rpl) {
            c.add(R::g_data_dpl, ar_enc(s), sel_enc(s)).str(kSegName[s]).str(".DPL ").dec(dpl)
                .str(" is below its selector's RPL ").dec(rpl).str(" -- write ")
                .str(field_name(ar_enc(s))).chr(' ').hex((v.ar(s) & ~0x60ull) | rpl << 5);
            break;
        }
    }
}

void check_rest(SegView& v)
{
    Ctx& c = v.c;
    for (unsigned s = ES; s <= GS; ++s)
        if (v.checked(s) && !bit(v.ar(s), 7)) {
            c.add(R::g_seg_p, ar_enc(s)).str(field_name(ar_enc(s))).chr(' ').hex(v.ar(s))
                .str(" has P = 0; a usable segment must be present -- write ").hex(v.ar(s) | 0x80)
                .str(s == CS ? "" : " (or 0x10000 to mark it unusable)");
            break;
        }
    for (unsigned s = ES; s <= GS; ++s)
        if (v.checked(s) && (v.ar(s) & 0xFFFE0F00)) {
            c.add(R::g_seg_reserved, ar_enc(s)).str(field_name(ar_enc(s))).chr(' ').hex(v.ar(s))
                .str(" sets reserved bits 11:8 or 31:17 -- write ").hex(v.ar(s) & ~0xFFFE0F00ull);
            break;
        }
    if (v.ia32e && bit(v.ar(CS), 13) && bit(v.ar(CS), 14))
        c.add(R::g_cs_l_db, ar_enc(CS)).str("GUEST_CS_AR_BYTES ").hex(v.ar(CS)).str(" has L = 1 and "
            "D/B = 1; 64-bit code needs D/B = 0 -- write ").hex(v.ar(CS) & ~0x4000ull);
    for (unsigned s = ES; s <= GS; ++s)
        if (v.checked(s) && !granularity_ok(v.lim(s), v.ar(s))) {
            hint_granularity(c, R::g_seg_g, s, v.lim(s), v.ar(s));
            break;
        }
}

void check_system(Ctx& c, SegView& v, unsigned s, const R* r)
{
    // r: type, s, p, reserved, granularity
    uint64_t ar = v.ar(s);
    unsigned t = ar & 15;
    bool type_ok = s == LDTR ? t == 2 : (t == 11 || (t == 3 && !v.ia32e));
    if (!type_ok)
        c.add(r[0], ar_enc(s)).str(field_name(ar_enc(s))).chr(' ').hex(ar).str(" has type ").dec(t)
            .str(s == LDTR ? "; an LDT is type 2 -- write " : v.ia32e ? "; an IA-32e guest needs "
            "a busy 64-bit TSS (11) -- write " : "; TR must be a busy TSS (3 or 11) -- write ")
            .hex((ar & ~15ull) | (s == LDTR ? 2 : 11));
    if (bit(ar, 4))
        c.add(r[1], ar_enc(s)).str(field_name(ar_enc(s))).chr(' ').hex(ar)
            .str(" has S = 1; it is a system segment -- write ").hex(ar & ~0x10ull);
    if (!bit(ar, 7))
        c.add(r[2], ar_enc(s)).str(field_name(ar_enc(s))).chr(' ').hex(ar)
            .str(" has P = 0 -- write ").hex(ar | 0x80);
    if (ar & 0xFFFE0F00)
        c.add(r[3], ar_enc(s)).str(field_name(ar_enc(s))).chr(' ').hex(ar)
            .str(" sets reserved bits 11:8 or 31:17 -- write ").hex(ar & ~0xFFFE0F00ull);
    if (!granularity_ok(v.lim(s), ar))
        hint_granularity(c, r[4], s, v.lim(s), ar);
}

} // namespace

void check_guest_segments(Ctx& c)
{
    SegView v{c, bit(c[GUEST_RFLAGS], 17), bit(c.entry, n_ia32e), bit(c.proc2, s_unrestricted)};
    check_selectors_bases(v);
    if (v.v86) {
        check_v86(v);
    } else {
        check_types(v);
        check_dpl(v);
        check_rest(v);
    }
    const R tr[] = {R::g_tr_type, R::g_tr_s, R::g_tr_p, R::g_tr_reserved, R::g_tr_g};
    check_system(c, v, TR, tr);
    if (!v.usable(TR))
        c.add(R::g_tr_unusable, ar_enc(TR)).str("GUEST_TR_AR_BYTES ").hex(v.ar(TR)).str(" marks TR "
            "unusable (bit 16); the guest needs a task register -- write ").hex(v.ar(TR) & ~0x10000ull);
    const R ldtr[] = {R::g_ldtr_type, R::g_ldtr_s, R::g_ldtr_p, R::g_ldtr_reserved, R::g_ldtr_g};
    if (v.usable(LDTR))
        check_system(c, v, LDTR, ldtr);
}

} // namespace vmx::entry
