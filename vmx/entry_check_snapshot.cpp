// The Snapshot's field store and the list of fields the checker reads, with the capability that
// decides whether a processor has each (so the caller never has to probe with VMREAD).
#include "vmx/entry_check.hpp"

#include "vmx/controls.hpp"
#include "vmx/fields.hpp"

namespace vmx::entry {
namespace {

using namespace vmx::vmcs;

// A field, and the control that must be allowed to be 1 for the field to exist (gate_bit 0xFF:
// every VMX processor has it). The gates follow the field descriptions of SDM appendix B.
struct SnapField {
    uint32_t enc;
    ControlKind gate_kind;
    uint8_t gate_bit;
};

constexpr uint8_t kAlways = 0xFF;
constexpr ControlKind P = ControlKind::Pin, C1 = ControlKind::Primary,
                      C2 = ControlKind::Secondary, X = ControlKind::Exit, N = ControlKind::Entry;

constexpr SnapField kFields[] = {
    {VIRTUAL_PROCESSOR_ID, C2, 5}, {POSTED_INTR_NV, P, 7},
    {GUEST_ES_SELECTOR, P, kAlways}, {GUEST_CS_SELECTOR, P, kAlways},
    {GUEST_SS_SELECTOR, P, kAlways}, {GUEST_DS_SELECTOR, P, kAlways},
    {GUEST_FS_SELECTOR, P, kAlways}, {GUEST_GS_SELECTOR, P, kAlways},
    {GUEST_LDTR_SELECTOR, P, kAlways}, {GUEST_TR_SELECTOR, P, kAlways},
    {HOST_ES_SELECTOR, P, kAlways}, {HOST_CS_SELECTOR, P, kAlways},
    {HOST_SS_SELECTOR, P, kAlways}, {HOST_DS_SELECTOR, P, kAlways},
    {HOST_FS_SELECTOR, P, kAlways}, {HOST_GS_SELECTOR, P, kAlways},
    {HOST_TR_SELECTOR, P, kAlways},
    {IO_BITMAP_A, C1, 25}, {IO_BITMAP_B, C1, 25}, {MSR_BITMAP, C1, 28},
    {VM_EXIT_MSR_STORE_ADDR, P, kAlways}, {VM_EXIT_MSR_LOAD_ADDR, P, kAlways},
    {VM_ENTRY_MSR_LOAD_ADDR, P, kAlways}, {PML_ADDRESS, C2, 17},
    {VIRTUAL_APIC_PAGE_ADDR, C1, 21}, {APIC_ACCESS_ADDR, C2, 0},
    {POSTED_INTR_DESC_ADDR, P, 7}, {VM_FUNCTION_CONTROL, C2, 13}, {EPT_POINTER, C2, 1},
    {EPTP_LIST_ADDRESS, C2, 13}, {VMREAD_BITMAP, C2, 14}, {VMWRITE_BITMAP, C2, 14},
    {VE_INFORMATION_ADDRESS, C2, 18}, {TERTIARY_VM_EXEC_CONTROL, C1, 17},
    {SECONDARY_VM_EXIT_CONTROLS, X, 31},
    {VMCS_LINK_POINTER, P, kAlways}, {GUEST_IA32_DEBUGCTL, P, kAlways},
    {GUEST_IA32_PAT, N, 14}, {GUEST_IA32_EFER, N, 15},
    {GUEST_PDPTR0, C2, 1}, {GUEST_PDPTR1, C2, 1}, {GUEST_PDPTR2, C2, 1}, {GUEST_PDPTR3, C2, 1},
    {GUEST_BNDCFGS, N, 16},
    {HOST_IA32_PAT, X, 19}, {HOST_IA32_EFER, X, 21},
    {PIN_BASED_VM_EXEC_CONTROL, P, kAlways}, {CPU_BASED_VM_EXEC_CONTROL, P, kAlways},
    {CR3_TARGET_COUNT, P, kAlways}, {VM_EXIT_CONTROLS, P, kAlways},
    {VM_EXIT_MSR_STORE_COUNT, P, kAlways}, {VM_EXIT_MSR_LOAD_COUNT, P, kAlways},
    {VM_ENTRY_CONTROLS, P, kAlways}, {VM_ENTRY_MSR_LOAD_COUNT, P, kAlways},
    {VM_ENTRY_INTR_INFO_FIELD, P, kAlways}, {VM_ENTRY_EXCEPTION_ERROR_CODE, P, kAlways},
    {VM_ENTRY_INSTRUCTION_LEN, P, kAlways}, {TPR_THRESHOLD, C1, 21},
    {SECONDARY_VM_EXEC_CONTROL, C1, 31},
    {GUEST_ES_LIMIT, P, kAlways}, {GUEST_CS_LIMIT, P, kAlways}, {GUEST_SS_LIMIT, P, kAlways},
    {GUEST_DS_LIMIT, P, kAlways}, {GUEST_FS_LIMIT, P, kAlways}, {GUEST_GS_LIMIT, P, kAlways},
    {GUEST_LDTR_LIMIT, P, kAlways}, {GUEST_TR_LIMIT, P, kAlways},
    {GUEST_GDTR_LIMIT, P, kAlways}, {GUEST_IDTR_LIMIT, P, kAlways},
    {GUEST_ES_AR_BYTES, P, kAlways}, {GUEST_CS_AR_BYTES, P, kAlways},
    {GUEST_SS_AR_BYTES, P, kAlways}, {GUEST_DS_AR_BYTES, P, kAlways},
    {GUEST_FS_AR_BYTES, P, kAlways}, {GUEST_GS_AR_BYTES, P, kAlways},
    {GUEST_LDTR_AR_BYTES, P, kAlways}, {GUEST_TR_AR_BYTES, P, kAlways},
    {GUEST_INTERRUPTIBILITY_INFO, P, kAlways}, {GUEST_ACTIVITY_STATE, P, kAlways},
    {GUEST_CR0, P, kAlways}, {GUEST_CR3, P, kAlways}, {GUEST_CR4, P, kAlways},
    {GUEST_ES_BASE, P, kAlways}, {GUEST_CS_BASE, P, kAlways}, {GUEST_SS_BASE, P, kAlways},
    {GUEST_DS_BASE, P, kAlways}, {GUEST_FS_BASE, P, kAlways}, {GUEST_GS_BASE, P, kAlways},
    {GUEST_LDTR_BASE, P, kAlways}, {GUEST_TR_BASE, P, kAlways},
    {GUEST_GDTR_BASE, P, kAlways}, {GUEST_IDTR_BASE, P, kAlways},
    {GUEST_DR7, P, kAlways}, {GUEST_RIP, P, kAlways}, {GUEST_RFLAGS, P, kAlways},
    {GUEST_PENDING_DBG_EXCEPTIONS, P, kAlways},
    {GUEST_SYSENTER_ESP, P, kAlways}, {GUEST_SYSENTER_EIP, P, kAlways},
    {HOST_CR0, P, kAlways}, {HOST_CR3, P, kAlways}, {HOST_CR4, P, kAlways},
    {HOST_FS_BASE, P, kAlways}, {HOST_GS_BASE, P, kAlways}, {HOST_TR_BASE, P, kAlways},
    {HOST_GDTR_BASE, P, kAlways}, {HOST_IDTR_BASE, P, kAlways},
    {HOST_IA32_SYSENTER_ESP, P, kAlways}, {HOST_IA32_SYSENTER_EIP, P, kAlways},
    {HOST_RIP, P, kAlways},
};
constexpr size_t kFieldCount = sizeof kFields / sizeof kFields[0];
static_assert(kFieldCount <= kSnapshotFieldMax, "raise kSnapshotFieldMax");

const uint32_t* encodings()
{
    // Filled on every call (cheap, idempotent): no guarded static initialisation in the kernel.
    static uint32_t list[kFieldCount];
    for (size_t i = 0; i < kFieldCount; ++i)
        list[i] = kFields[i].enc;
    return list;
}

int slot_of(const Snapshot& s, uint32_t enc)
{
    for (uint32_t i = 0; i < s.field_count; ++i)
        if (s.encoding[i] == enc)
            return static_cast<int>(i);
    return -1;
}

bool is_snapshot_field(uint32_t enc)
{
    for (const SnapField& f : kFields)
        if (f.enc == enc)
            return true;
    return false;
}

} // namespace

bool Snapshot::set(uint32_t enc, uint64_t v)
{
    int i = slot_of(*this, enc);
    if (i < 0) {
        if (!is_snapshot_field(enc) || field_count >= kSnapshotFieldMax)
            return false;
        i = static_cast<int>(field_count++);
        encoding[i] = enc;
    }
    value[i] = v;
    return true;
}

bool Snapshot::get(uint32_t enc, uint64_t* v) const
{
    int i = slot_of(*this, enc);
    if (i < 0)
        return false;
    if (v)
        *v = value[i];
    return true;
}

uint64_t Snapshot::operator[](uint32_t enc) const
{
    uint64_t v = 0;
    get(enc, &v);
    return v;
}

const uint32_t* snapshot_fields(size_t* count)
{
    *count = kFieldCount;
    return encodings();
}

size_t fields_supported(const VmxCaps& caps, uint32_t* out, size_t max)
{
    uint64_t vmcs_enum = 0;
    // A.9: without IA32_VMX_VMCS_ENUM, every index is taken as possible.
    uint16_t highest = caps_msr(caps, IA32_VMX_VMCS_ENUM, &vmcs_enum)
                           ? vmcs_enum_highest_index(vmcs_enum) : 0x1FF;
    size_t n = 0;
    for (const SnapField& f : kFields) {
        if (((f.enc >> 1) & 0x1FF) > highest)
            continue;
        if (f.gate_bit != kAlways) {
            ControlCaps c = control_caps(caps, f.gate_kind);
            if (!c.available || !((c.allowed1 >> f.gate_bit) & 1))
                continue;
        }
        if (n < max)
            out[n] = f.enc;
        ++n;
    }
    return n;
}

} // namespace vmx::entry
