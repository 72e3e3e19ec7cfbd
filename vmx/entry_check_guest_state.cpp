// SDM 27.3.1.5 and 27.3.1.6: the checks on the guest's non-register state (activity and
// interruptibility state, pending debug exceptions, VMCS link pointer) and, with PAE paging, on
// the PDPTEs. A failure is a VM-entry failure with exit reason 33 (qualification 2 for PDPTEs).
#include "vmx/entry_check_internal.hpp"

namespace vmx::entry {
namespace {

using namespace vmx::vmcs;
using namespace bits;

enum : unsigned { kActive = 0, kHlt = 1, kShutdown = 2, kWaitSipi = 3 };
const char* const kActivityName[] = {"active", "HLT", "shutdown", "wait-for-SIPI"};

bool event_fits_activity(unsigned act, unsigned type, unsigned vector)
{
    if (act == kHlt)
        return type == 0 || type == 2 || type == 7 || (type == 3 && (vector == 1 || vector == 18));
    if (act == kShutdown)
        return type == 2 || (type == 3 && vector == 18);
    return act != kWaitSipi;
}

void check_activity(Ctx& c, uint64_t intr, uint64_t info)
{
    uint64_t act = c[GUEST_ACTIVITY_STATE], misc = 0;
    caps_msr(c.s.caps, IA32_VMX_MISC, &misc);
    bool supported = act == kActive || (act <= kWaitSipi && bit(misc, 5 + act));
    if (!supported) {
        c.add(R::g_activity, GUEST_ACTIVITY_STATE).str("GUEST_ACTIVITY_STATE ").dec(act)
            .str(" is not supported here (IA32_VMX_MISC[8:6] = ").dec((misc >> 6) & 7)
            .str(") -- write 0 (active)");
        return;
    }
    unsigned ss_dpl = (c[GUEST_SS_AR_BYTES] >> 5) & 3;
    if (act == kHlt && ss_dpl != 0)
        c.add(R::g_activity_hlt, GUEST_ACTIVITY_STATE, GUEST_SS_AR_BYTES).str("the HLT activity "
            "state needs CPL 0 but SS.DPL is ").dec(ss_dpl).str(" -- write GUEST_ACTIVITY_STATE 0");
    if (act != kActive && (intr & 3))
        c.add(R::g_activity_blocking, GUEST_ACTIVITY_STATE, GUEST_INTERRUPTIBILITY_INFO)
            .str("activity state ").str(kActivityName[act]).str(" with blocking by STI/MOV SS "
            "(GUEST_INTERRUPTIBILITY_INFO ").hex(intr).str(") -- write GUEST_INTERRUPTIBILITY_INFO ")
            .hex(intr & ~3ull);
    unsigned type = (info >> 8) & 7, vector = info & 0xFF;
    if (bit(info, 31) && !event_fits_activity(act, type, vector))
        c.add(R::g_activity_event, GUEST_ACTIVITY_STATE, VM_ENTRY_INTR_INFO_FIELD)
            .str("an event of type ").dec(type).str(" vector ").dec(vector).str(" cannot be "
            "injected into the ").str(kActivityName[act]).str(" state -- write "
            "GUEST_ACTIVITY_STATE 0 or inject nothing");
}

void check_interruptibility(Ctx& c, uint64_t intr, uint64_t info)
{
    uint64_t fl = c[GUEST_RFLAGS];
    unsigned type = (info >> 8) & 7;
    bool valid = bit(info, 31);
    if (intr >> 5)
        c.add(R::g_intr_reserved, GUEST_INTERRUPTIBILITY_INFO).str("GUEST_INTERRUPTIBILITY_INFO ")
            .hex(intr).str(" sets reserved bits 31:5 -- write ").hex(intr & 0x1F);
    if ((intr & 3) == 3)
        c.add(R::g_intr_sti_movss, GUEST_INTERRUPTIBILITY_INFO).str("GUEST_INTERRUPTIBILITY_INFO ")
            .hex(intr).str(" blocks by STI and by MOV SS at once -- write ").hex(intr & ~1ull);
    if (bit(intr, 0) && !bit(fl, 9))
        c.add(R::g_intr_sti_if, GUEST_INTERRUPTIBILITY_INFO, GUEST_RFLAGS).str("blocking by STI "
            "with GUEST_RFLAGS.IF = 0 (RFLAGS ").hex(fl).str(") -- STI sets IF: write "
            "GUEST_INTERRUPTIBILITY_INFO ").hex(intr & ~1ull);
    if (valid && type == 0 && (intr & 3))
        c.add(R::g_intr_ext, GUEST_INTERRUPTIBILITY_INFO, VM_ENTRY_INTR_INFO_FIELD)
            .str("an external interrupt is injected while GUEST_INTERRUPTIBILITY_INFO ").hex(intr)
            .str(" blocks by STI/MOV SS -- write ").hex(intr & ~3ull);
    if (valid && type == 2 && (bit(intr, 1) || (bit(c.pin, pin_vnmi) && bit(intr, 3))))
        c.add(R::g_intr_nmi, GUEST_INTERRUPTIBILITY_INFO, VM_ENTRY_INTR_INFO_FIELD)
            .str("an NMI is injected while GUEST_INTERRUPTIBILITY_INFO ").hex(intr)
            .str(bit(intr, 1) ? " blocks by MOV SS" : " blocks by (virtual) NMI").str(" -- write ")
            .hex(intr & ~0xAull);
    if (!c.s.in_smm && bit(intr, 2))
        c.add(R::g_intr_smi, GUEST_INTERRUPTIBILITY_INFO).str("GUEST_INTERRUPTIBILITY_INFO ")
            .hex(intr).str(" sets blocking by SMI (bit 2) outside SMM -- write ").hex(intr & ~4ull);
    // Bit 4 records an exit from enclave mode; it can be true only of a processor with SGX.
    if (bit(intr, 4) && (!c.s.sgx || bit(intr, 1)))
        c.add(R::g_intr_enclave, GUEST_INTERRUPTIBILITY_INFO).str("GUEST_INTERRUPTIBILITY_INFO ")
            .hex(intr).str(c.s.sgx ? " sets enclave interruption (bit 4) with blocking by MOV SS"
            : " sets enclave interruption (bit 4) on a processor without SGX").str(" -- write ")
            .hex(c.s.sgx ? intr & ~2ull : intr & ~0x10ull);
}

void check_pending_debug(Ctx& c, uint64_t intr)
{
    uint64_t pd = c[GUEST_PENDING_DBG_EXCEPTIONS];
    constexpr uint64_t reserved = 0xFF0 | 1u << 13 | 1u << 15 | ~0x1FFFFull;
    if (pd & reserved) {
        c.add(R::g_pending_dbg, GUEST_PENDING_DBG_EXCEPTIONS).str("GUEST_PENDING_DBG_EXCEPTIONS ")
            .hex(pd).str(" sets reserved bits ").hex(pd & reserved).str(" -- write ")
            .hex(pd & ~reserved);
        return;
    }
    if (!((intr & 3) || c[GUEST_ACTIVITY_STATE] == kHlt))
        return;
    bool tf = bit(c[GUEST_RFLAGS], 8), btf = bit(c[GUEST_IA32_DEBUGCTL], 1);
    bool want = tf && !btf;
    if (bit(pd, 14) != want)
        c.add(R::g_pending_bs, GUEST_PENDING_DBG_EXCEPTIONS, GUEST_RFLAGS, GUEST_IA32_DEBUGCTL)
            .str("GUEST_PENDING_DBG_EXCEPTIONS.BS is ").dec(bit(pd, 14)).str(" with RFLAGS.TF = ")
            .dec(tf).str(" and DEBUGCTL.BTF = ").dec(btf).str(" while blocked by STI/MOV SS or "
            "in HLT -- write ").hex(want ? pd | 0x4000 : pd & ~0x4000ull);
}

void check_link(Ctx& c)
{
    uint64_t link = c[VMCS_LINK_POINTER];
    if (link == ~uint64_t{0})
        return;
    if ((link & 0xFFF) || beyond_width(c.s, link)) {
        c.add(R::g_link_addr, VMCS_LINK_POINTER).str("VMCS_LINK_POINTER ").hex(link).str(" is not "
            "a 4-KByte aligned address within the physical-address width -- without VMCS "
            "shadowing write 0xFFFFFFFFFFFFFFFF");
        return;
    }
    uint32_t rev = 0;
    uint64_t basic = 0;
    if (!c.s.read || !c.s.read(c.s.read_ctx, link, &rev, 4) ||
        !caps_msr(c.s.caps, IA32_VMX_BASIC, &basic))
        return;
    uint32_t want = decode_basic(basic).revision_id | (bit(c.proc2, s_shadow) ? 1u << 31 : 0);
    if (rev != want)
        c.add(R::g_link_rev, VMCS_LINK_POINTER).str("VMCS_LINK_POINTER ").hex(link).str(" points to "
            "a region starting with ").hex(rev).str(", not the revision identifier ").hex(want)
            .str(" -- without VMCS shadowing write 0xFFFFFFFFFFFFFFFF");
}

// A PDPTE is valid if not present or without reserved bits (SDM 4.4.1: 2:1, 8:5, M and above).
bool pdpte_valid(const Snapshot& s, uint64_t e)
{
    return !bit(e, 0) || !((e & 0x1E6) || beyond_width(s, e));
}

void report_pdpte(Ctx& c, uint32_t enc, const char* name, uint64_t e)
{
    TextBuf& h = enc == Ctx::kNoField ? c.add(R::g_pdpte_cr3, GUEST_CR3) : c.add(R::g_pdpte, enc);
    if (enc == Ctx::kNoField)
        c.add_value(name, e);
    unsigned w = phys_width(c.s);
    h.str(name).chr(' ').hex(e).str(" is present with reserved bits set (2:1, 8:5 or beyond the ")
        .dec(w).str("-bit physical-address width) -- write ").hex(e & ~0x1E6ull & ((1ull << w) - 1))
        .str(" or 0 (not present)");
}

// 27.3.1.6: an entry to PAE paging loads the four PDPTEs -- from the VMCS with EPT, else from the
// 32-byte aligned table at GUEST_CR3[31:5] (4.4.1). Unreadable memory is not judged.
void check_pdptes(Ctx& c)
{
    uint64_t cr0 = c[GUEST_CR0], cr4 = c[GUEST_CR4];
    if (!bit(cr0, 31) || !bit(cr4, 5) || bit(c.entry, n_ia32e))
        return;
    static const char* const kName[] = {"PDPTE 0 at GUEST_CR3", "PDPTE 1 at GUEST_CR3",
                                        "PDPTE 2 at GUEST_CR3", "PDPTE 3 at GUEST_CR3"};
    bool ept = bit(c.proc2, s_ept);
    uint64_t table = c[GUEST_CR3] & 0xFFFFFFE0;
    for (unsigned i = 0; i < 4; ++i) {
        uint32_t enc = GUEST_PDPTR0 + 2 * i;
        uint64_t e = 0;
        if (ept)
            e = c[enc];
        else if (!c.s.read || !c.s.read(c.s.read_ctx, table + 8 * i, &e, sizeof e))
            return;
        if (!pdpte_valid(c.s, e)) {
            report_pdpte(c, ept ? enc : Ctx::kNoField, ept ? field_name(enc) : kName[i], e);
            return;
        }
    }
}

} // namespace

void check_guest_state(Ctx& c)
{
    uint64_t intr = c[GUEST_INTERRUPTIBILITY_INFO], info = c[VM_ENTRY_INTR_INFO_FIELD];
    check_link(c);
    check_pending_debug(c, intr);
    check_activity(c, intr, info);
    check_interruptibility(c, intr, info);
    check_pdptes(c);
}

} // namespace vmx::entry
