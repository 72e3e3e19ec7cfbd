#include "vmx/field_decode.hpp"

#include "vmx/access_rights.hpp"
#include "vmx/caps_format.hpp"
#include "vmx/controls.hpp"
#include "vmx/errors.hpp"
#include "vmx/exit_qual.hpp"
#include "vmx/exit_reasons.hpp"
#include "vmx/intr_info.hpp"
#include "vmx/text.hpp"

namespace vmx {
namespace {

// "VM-instruction error 7: text" -> "text" (the describers' prefix before ": ").
const char* after_colon(const char* b)
{
    for (const char* p = b; *p; ++p)
        if (p[0] == ':' && p[1] == ' ')
            return p + 2;
    return b;
}

bool is_access_rights(const char* name)
{
    size_t n = 0;
    while (name[n])
        ++n;
    return n > 9 && str_eq(name + n - 9, "_AR_BYTES");
}

// Named controls that are 1, then the unnamed ones (mostly the default1 reserved bits) as a mask.
void bit_names(TextBuf& out, ControlKind kind, uint64_t v)
{
    uint64_t unnamed = 0;
    for (unsigned i = 0; i < 64; ++i) {
        if (!((v >> i) & 1))
            continue;
        if (const ControlBit* b = control_bit_at(kind, i))
            out.str(b->name).chr(' ');
        else
            unnamed |= uint64_t(1) << i;
    }
    if (unnamed)
        out.str("+ reserved ").hex(unnamed);
}

void cr_names(TextBuf& out, unsigned cr, uint64_t v)
{
    for (unsigned i = 0; i < 64; ++i)
        if ((v >> i) & 1) {
            const char* n = cr == 0 ? cr0_bit_name(i) : cr4_bit_name(i);
            if (n)
                out.str(n).chr(' ');
        }
}

// Control registers, control words and guest non-register state. false: not one of these.
bool decode_state(const FieldInfo& f, uint64_t v, const DecodeContext& ctx, TextBuf& out)
{
    using namespace vmcs;
    uint64_t mask = 0, shadow = 0;
    auto read = [&](uint32_t field, uint64_t* value) { return ctx.read && ctx.read(ctx.read_ctx, field, value); };
    switch (f.encoding) {
    case GUEST_CR0:
    case GUEST_CR4: {
        unsigned cr = f.encoding == GUEST_CR0 ? 0 : 4;
        cr_names(out, cr, v);
        // 26.3: the guest reads the shadow where the mask is 1 (actual/mask/shadow/apparent).
        if (read(cr == 0 ? CR0_GUEST_HOST_MASK : CR4_GUEST_HOST_MASK, &mask) && mask
            && read(cr == 0 ? CR0_READ_SHADOW : CR4_READ_SHADOW, &shadow))
            out.str("; the guest reads ").hex((v & ~mask) | (shadow & mask));
        return true;
    }
    case HOST_CR0: cr_names(out, 0, v); return true;
    case HOST_CR4: cr_names(out, 4, v); return true;
    case PIN_BASED_VM_EXEC_CONTROL: bit_names(out, ControlKind::Pin, v); return true;
    case CPU_BASED_VM_EXEC_CONTROL: bit_names(out, ControlKind::Primary, v); return true;
    case SECONDARY_VM_EXEC_CONTROL: bit_names(out, ControlKind::Secondary, v); return true;
    case TERTIARY_VM_EXEC_CONTROL: bit_names(out, ControlKind::Tertiary, v); return true;
    case VM_EXIT_CONTROLS: bit_names(out, ControlKind::Exit, v); return true;
    case VM_ENTRY_CONTROLS: bit_names(out, ControlKind::Entry, v); return true;
    case VMCS_LINK_POINTER:
        out.str(v == ~uint64_t(0) ? "none (all ones, as VM entry requires without shadowing)" : "");
        return true;
    case GUEST_ACTIVITY_STATE: {
        static const char* const states[] = { "active", "HLT", "shutdown", "wait-for-SIPI" };
        out.str(v < 4 ? states[v] : "reserved");
        return true;
    }
    case GUEST_INTERRUPTIBILITY_INFO:
        if (v & 1) out.str("blocking by STI ");
        if (v & 2) out.str("blocking by MOV SS ");
        if (v & 4) out.str("blocking by SMI ");
        if (v & 8) out.str("blocking by NMI ");
        return true;
    case GUEST_RFLAGS:
        if (!(v & 2)) out.str("bit 1 is 0: VM entry fails (27.3.1.4) ");
        if (v & (1u << 9)) out.str("IF ");
        if (v & (1u << 17)) out.str("VM ");
        return true;
    default:
        return false;
    }
}

// The VM-exit information fields and the event fields.
void decode_exit_info(const FieldInfo& f, uint64_t v, const DecodeContext& ctx, TextBuf& out)
{
    using namespace vmcs;
    char b[240];
    uint64_t reason = 0;
    switch (f.encoding) {
    case VM_INSTRUCTION_ERROR:
        if (v) {
            format_vm_instruction_error(v, b, sizeof b);
            out.str(after_colon(b));
        }
        return;
    case VM_EXIT_REASON:
        if (v == 0 && !ctx.saw_exit) {
            out.str("no VM exit yet");
            return;
        }
        format_exit_reason(uint32_t(v), b, sizeof b);
        out.str(after_colon(b));
        return;
    case EXIT_QUALIFICATION:
        if (ctx.read && ctx.read(ctx.read_ctx, VM_EXIT_REASON, &reason)) {
            uint16_t basic = uint16_t(reason);
            if (basic == 28 || basic == 29 || basic == 30 || basic == 48) {
                format_exit_qualification(basic, v, b, sizeof b);
                out.str(b);
            }
        }
        return;
    case VM_EXIT_INTR_INFO:
    case IDT_VECTORING_INFO_FIELD:
    case VM_ENTRY_INTR_INFO_FIELD: {
        if (!(v & kIntrInfoValid))
            return;
        IntrInfoField which = f.encoding == VM_EXIT_INTR_INFO ? IntrInfoField::VmExit
                            : f.encoding == IDT_VECTORING_INFO_FIELD ? IntrInfoField::IdtVectoring
                                                                     : IntrInfoField::VmEntry;
        format_intr_info(uint32_t(v), which, b, sizeof b);
        out.str(after_colon(b));
        return;
    }
    case HOST_RIP:
        if (ctx.trampoline && v == ctx.trampoline)
            out.str("vmxlab's exit trampoline");
        return;
    default:
        return;
    }
}

} // namespace

size_t decode_field_value(const FieldInfo& f, uint64_t v, const DecodeContext& ctx, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    if (is_access_rights(f.name)) {
        char b[200];
        format_access_rights(uint32_t(v), b, sizeof b);
        out.str(after_colon(b));
    } else if (!decode_state(f, v, ctx, out)) {
        decode_exit_info(f, v, ctx, out);
    }
    return out.length();
}

} // namespace vmx
