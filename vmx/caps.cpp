#include "vmx/caps.hpp"

namespace vmx {
namespace {

bool bit(uint64_t v, unsigned n)
{
    return (v >> n) & 1;
}

size_t slot(uint32_t msr)
{
    return msr - kMsrVmxFirst;
}

bool in_range(uint32_t msr)
{
    return msr >= kMsrVmxFirst && msr <= kMsrVmxLast;
}

} // namespace

const char* vmx_msr_name(uint32_t msr)
{
    static const char* const kNames[kMsrVmxCount] = {
        "IA32_VMX_BASIC",          "IA32_VMX_PINBASED_CTLS",    "IA32_VMX_PROCBASED_CTLS",
        "IA32_VMX_EXIT_CTLS",      "IA32_VMX_ENTRY_CTLS",       "IA32_VMX_MISC",
        "IA32_VMX_CR0_FIXED0",     "IA32_VMX_CR0_FIXED1",       "IA32_VMX_CR4_FIXED0",
        "IA32_VMX_CR4_FIXED1",     "IA32_VMX_VMCS_ENUM",        "IA32_VMX_PROCBASED_CTLS2",
        "IA32_VMX_EPT_VPID_CAP",   "IA32_VMX_TRUE_PINBASED_CTLS", "IA32_VMX_TRUE_PROCBASED_CTLS",
        "IA32_VMX_TRUE_EXIT_CTLS", "IA32_VMX_TRUE_ENTRY_CTLS",  "IA32_VMX_VMFUNC",
        "IA32_VMX_PROCBASED_CTLS3", "IA32_VMX_EXIT_CTLS2"};
    return in_range(msr) ? kNames[slot(msr)] : nullptr;
}

VmxBasic decode_basic(uint64_t v)
{
    VmxBasic b{};
    b.revision_id = static_cast<uint32_t>(v & 0x7FFFFFFF);
    b.region_size = static_cast<uint32_t>((v >> 32) & 0x1FFF);
    b.phys_addr_32bit = bit(v, 48);
    b.dual_monitor = bit(v, 49);
    b.memory_type = static_cast<uint8_t>((v >> 50) & 0xF);
    b.ins_outs_info = bit(v, 54);
    b.true_controls = bit(v, 55);
    b.no_error_code_check = bit(v, 56);
    return b;
}

VmxMisc decode_misc(uint64_t v)
{
    VmxMisc m{};
    m.preemption_timer_rate = static_cast<uint8_t>(v & 0x1F);
    m.store_efer_lma = bit(v, 5);
    m.activity_hlt = bit(v, 6);
    m.activity_shutdown = bit(v, 7);
    m.activity_wait_sipi = bit(v, 8);
    m.pt_in_vmx = bit(v, 14);
    m.rdmsr_smbase_in_smm = bit(v, 15);
    m.cr3_target_count = static_cast<uint16_t>((v >> 16) & 0x1FF);
    m.max_msr_list = 512u * (static_cast<uint32_t>((v >> 25) & 7) + 1);
    m.vmxoff_unblocks_smi_opt = bit(v, 28);
    m.vmwrite_exit_info = bit(v, 29);
    m.zero_length_injection = bit(v, 30);
    m.mseg_revision = static_cast<uint32_t>(v >> 32);
    return m;
}

EptVpidCaps decode_ept_vpid(uint64_t v)
{
    EptVpidCaps e{};
    e.execute_only = bit(v, 0);
    e.walk_length_4 = bit(v, 6);
    e.walk_length_5 = bit(v, 7);
    e.memtype_uc = bit(v, 8);
    e.memtype_wb = bit(v, 14);
    e.pde_2mb = bit(v, 16);
    e.pdpte_1gb = bit(v, 17);
    e.invept = bit(v, 20);
    e.accessed_dirty = bit(v, 21);
    e.advanced_exit_info = bit(v, 22);
    e.invept_single_context = bit(v, 25);
    e.invept_all_context = bit(v, 26);
    e.invvpid = bit(v, 32);
    e.invvpid_address = bit(v, 40);
    e.invvpid_single_context = bit(v, 41);
    e.invvpid_all_context = bit(v, 42);
    e.invvpid_single_keep_globals = bit(v, 43);
    return e;
}

bool decode_caps(const MsrValue* msrs, size_t count, VmxCaps* caps)
{
    *caps = VmxCaps{};
    for (size_t i = 0; i < count; ++i) {
        if (!in_range(msrs[i].msr) || !msrs[i].present)
            continue;
        caps->value[slot(msrs[i].msr)] = msrs[i].value;
        caps->present[slot(msrs[i].msr)] = true;
    }
    return caps->present[slot(IA32_VMX_BASIC)];
}

bool caps_msr(const VmxCaps& caps, uint32_t msr, uint64_t* value)
{
    if (!in_range(msr) || !caps.present[slot(msr)])
        return false;
    if (value)
        *value = caps.value[slot(msr)];
    return true;
}

ControlCaps control_caps(const VmxCaps& caps, ControlKind kind)
{
    const ControlKindInfo& k = control_kind_info(kind);
    ControlCaps c{};
    uint64_t basic = 0;
    bool use_true = k.true_msr != 0 && caps_msr(caps, IA32_VMX_BASIC, &basic) &&
                    decode_basic(basic).true_controls;
    c.msr = use_true ? k.true_msr : k.msr;
    uint64_t v = 0;
    if (!caps_msr(caps, c.msr, &v))
        return c;
    // A.3.2/A.3.3: the secondary (tertiary, ...) MSR exists only if the gating control of the
    // word above it may be 1 -- otherwise those controls are all 0.
    if (k.gate_bit != 0xFF) {
        ControlCaps gate = control_caps(caps, k.gate_kind);
        if (!gate.available || !bit(gate.allowed1, k.gate_bit))
            return c;
    }
    c.available = true;
    if (k.is_64bit) {
        // A.3.4, A.4.2, A.11: these MSRs report allowed-1 settings only; every bit may be 0.
        c.allowed0 = 0;
        c.allowed1 = v;
    } else {
        c.allowed0 = v & 0xFFFFFFFFu;
        c.allowed1 = v >> 32;
    }
    return c;
}

Adjusted adjust_controls(ControlKind kind, uint64_t wanted, const VmxCaps& caps)
{
    Adjusted a{};
    a.caps = control_caps(caps, kind);
    a.value = (wanted | a.caps.allowed0) & a.caps.allowed1;
    a.forced_on = a.value & ~wanted;
    a.forced_off = wanted & ~a.value;
    return a;
}

FixedCheck check_fixed_bits(uint64_t value, uint64_t fixed0, uint64_t fixed1)
{
    FixedCheck f{};
    f.must_be_one = fixed0 & ~value;
    f.must_be_zero = value & ~fixed1;
    f.ok = f.must_be_one == 0 && f.must_be_zero == 0;
    return f;
}

namespace {

FixedCheck check_cr(const VmxCaps& caps, uint32_t fixed0_msr, uint64_t value)
{
    uint64_t fixed0 = 0;
    uint64_t fixed1 = ~uint64_t{0};
    caps_msr(caps, fixed0_msr, &fixed0);
    caps_msr(caps, fixed0_msr + 1, &fixed1);
    return check_fixed_bits(value, fixed0, fixed1);
}

} // namespace

FixedCheck check_cr0(const VmxCaps& caps, uint64_t cr0)
{
    return check_cr(caps, IA32_VMX_CR0_FIXED0, cr0);
}

FixedCheck check_cr4(const VmxCaps& caps, uint64_t cr4)
{
    return check_cr(caps, IA32_VMX_CR4_FIXED0, cr4);
}

} // namespace vmx
