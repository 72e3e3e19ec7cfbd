// SDM 27.2.1.2 and 27.2.1.3: the checks on the VM-exit and VM-entry control fields, event
// injection included. A failure is VMfailValid with VM-instruction error 7.
#include "vmx/entry_check_internal.hpp"

namespace vmx::entry {
namespace {

using namespace vmx::vmcs;
using namespace bits;

void check_exit_controls(Ctx& c)
{
    check_control_word(c, R::ctl_exit, ControlKind::Exit, VM_EXIT_CONTROLS, c.exit);
    if (!bit(c.pin, pin_timer) && bit(c.exit, x_save_timer))
        c.add(R::ctl_exit_timer, PIN_BASED_VM_EXEC_CONTROL, VM_EXIT_CONTROLS)
            .str("VM_EXIT_CONTROLS ").hex(c.exit).str(" sets save VMX-preemption timer value "
            "(bit 22) without PIN_BASED_VMX_PREEMPTION_TIMER -- write ").hex(c.exit & ~(1ull << 22));
    check_msr_area(c, R::ctl_exit_store, VM_EXIT_MSR_STORE_ADDR, VM_EXIT_MSR_STORE_COUNT);
    check_msr_area(c, R::ctl_exit_load, VM_EXIT_MSR_LOAD_ADDR, VM_EXIT_MSR_LOAD_COUNT);
}

bool error_code_vector(unsigned v, bool cet)
{
    // #DF, #TS, #NP, #SS, #GP, #PF, #AC deliver an error code; so does #CP, which exists only
    // on processors with CET.
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || (v == 21 && cet);
}

void check_type_vector(Ctx& c, uint64_t info, unsigned type, unsigned vector)
{
    uint64_t proc_caps = control_caps(c.s.caps, ControlKind::Primary).allowed1;
    if (type == 1 || (type == 7 && !bit(proc_caps, p_mtf)))
        c.add(R::ctl_inj_type, VM_ENTRY_INTR_INFO_FIELD).str("VM_ENTRY_INTR_INFO_FIELD ").hex(info)
            .str(" has type ").dec(type).str(type == 1 ? " (reserved)" : " (other event), which "
            "needs monitor-trap-flag support").str(" -- types are 0 external interrupt, 2 NMI, "
            "3 hardware exception, 4 software interrupt, 5 privileged software exception, 6 "
            "software exception");
    unsigned want = type == 2 ? 2 : type == 7 ? 0 : vector;
    if ((type == 2 || type == 7) && vector != want)
        c.add(R::ctl_inj_vector, VM_ENTRY_INTR_INFO_FIELD).str("VM_ENTRY_INTR_INFO_FIELD ")
            .hex(info).str(" injects ").str(type == 2 ? "an NMI" : "an other event").str(" with "
            "vector ").dec(vector).str("; it must be ").dec(want).str(" -- write ")
            .hex((info & ~0xFFull) | want);
    else if (type == 3 && vector > 31)
        c.add(R::ctl_inj_vector, VM_ENTRY_INTR_INFO_FIELD).str("VM_ENTRY_INTR_INFO_FIELD ")
            .hex(info).str(" injects a hardware exception with vector ").dec(vector).str("; "
            "exceptions are 0-31 -- inject vectors 32-255 as type 0 (external interrupt) or 4");
}

void check_error_code(Ctx& c, uint64_t info, unsigned type, unsigned vector)
{
    uint64_t basic = 0;
    caps_msr(c.s.caps, IA32_VMX_BASIC, &basic);
    bool any = decode_basic(basic).no_error_code_check;
    // CR0.PE counts only for an unrestricted guest: otherwise PE is fixed to 1 (a CR0 that
    // breaks that fails as guest state, later).
    bool pe = bit(c[GUEST_CR0], 0) || !bit(c.proc2, s_unrestricted), ec = bit(info, 11);
    bool may = type == 3 && pe;
    bool vec = error_code_vector(vector, c.s.cet_ss);
    bool must = may && !any && vec;
    bool bad = ec ? !(may && (any || vec)) : must;
    if (bad) {
        TextBuf& h = c.add(R::ctl_inj_ec, VM_ENTRY_INTR_INFO_FIELD, GUEST_CR0);
        h.str("VM_ENTRY_INTR_INFO_FIELD ").hex(info).str(ec ? " sets" : " clears")
            .str(" deliver-error-code (bit 11) for type ").dec(type).str(" vector ").dec(vector)
            .str(" with GUEST_CR0.PE = ").dec(bit(c[GUEST_CR0], 0)).str("; ");
        h.str(must ? "this exception pushes an error code" : "no error code is delivered here")
            .str(" -- write ").hex(ec ? info & ~0x800ull : info | 0x800);
        return;
    }
    uint64_t code = c[VM_ENTRY_EXCEPTION_ERROR_CODE];
    if (ec && (code >> 16))
        c.add(R::ctl_inj_ec_bits, VM_ENTRY_EXCEPTION_ERROR_CODE).str("VM_ENTRY_EXCEPTION_ERROR_CODE ")
            .hex(code).str(" sets bits 31:16 -- write ").hex(code & 0xFFFF);
}

void check_injection(Ctx& c)
{
    uint64_t info = c[VM_ENTRY_INTR_INFO_FIELD];
    if (!bit(info, 31))
        return;
    unsigned type = (info >> 8) & 7, vector = info & 0xFF;
    check_type_vector(c, info, type, vector);
    check_error_code(c, info, type, vector);
    if (info & 0x7FFFF000)
        c.add(R::ctl_inj_reserved, VM_ENTRY_INTR_INFO_FIELD).str("VM_ENTRY_INTR_INFO_FIELD ")
            .hex(info).str(" sets reserved bits 30:12 -- write ").hex(info & ~0x7FFFF000ull);
    if (type < 4 || type > 6)
        return;
    uint64_t misc = 0;
    caps_msr(c.s.caps, IA32_VMX_MISC, &misc);
    uint64_t len = c[VM_ENTRY_INSTRUCTION_LEN];
    bool zero_ok = decode_misc(misc).zero_length_injection;
    if (len > 15 || (len == 0 && !zero_ok))
        c.add(R::ctl_inj_length, VM_ENTRY_INSTRUCTION_LEN, VM_ENTRY_INTR_INFO_FIELD)
            .str("VM_ENTRY_INSTRUCTION_LEN ").dec(len).str(" for a software interrupt/exception "
            "(type ").dec(type).str("); it must be 1-15").str(zero_ok ? " or 0" : "")
            .str(" -- e.g. 2 for INT n (CD xx)");
}

} // namespace

void check_entry_controls(Ctx& c)
{
    check_exit_controls(c);
    check_control_word(c, R::ctl_entry, ControlKind::Entry, VM_ENTRY_CONTROLS, c.entry);
    check_injection(c);
    check_msr_area(c, R::ctl_entry_load, VM_ENTRY_MSR_LOAD_ADDR, VM_ENTRY_MSR_LOAD_COUNT);
    if (!c.s.in_smm && (bit(c.entry, n_smm) || bit(c.entry, n_dual)))
        c.add(R::ctl_entry_smm, VM_ENTRY_CONTROLS).str("VM_ENTRY_CONTROLS ").hex(c.entry)
            .str(" sets entry to SMM (bit 10) or deactivate dual-monitor treatment (bit 11) "
            "outside SMM -- write ").hex(c.entry & ~0xC00ull);
}

} // namespace vmx::entry
