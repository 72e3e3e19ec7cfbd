#include "vmx/host.hpp"

#include "vmx/controls.hpp"
#include "vmx/fields.hpp"

namespace vmx {
namespace {

constexpr uint32_t msr_sysenter_cs = 0x174, msr_sysenter_esp = 0x175, msr_sysenter_eip = 0x176;
constexpr uint32_t msr_pat = 0x277, msr_perf_global_ctrl = 0x38F;
constexpr uint32_t msr_efer = 0xC0000080, msr_fs_base = 0xC0000100, msr_gs_base = 0xC0000101;

bool safe_rdmsr(uint32_t msr, uint64_t* v)
{
    arch::Fault f;
    return arch::rdmsr_safe(msr, v, &f);
}

uint16_t selector(uint16_t s) { return s & 0xF8; }   // 27.2.3: RPL and TI must be 0

} // namespace

bool cpu_has_vmx()
{
    // CPUID exits to the hypervisor under KVM: ask once.
    static int known = -1;
    if (known < 0)
        known = (arch::cpuid(1).ecx >> 5) & 1;
    return known;
}

const VmxCaps& host_caps()
{
    static VmxCaps caps;
    static bool read = false;
    if (!read) {
        MsrValue msrs[kMsrVmxCount];
        for (uint32_t i = 0; i < kMsrVmxCount; ++i) {
            msrs[i].msr = kMsrVmxFirst + i;
            msrs[i].present = cpu_has_vmx() && safe_rdmsr(msrs[i].msr, &msrs[i].value);
        }
        decode_caps(msrs, kMsrVmxCount, &caps);
        read = true;
    }
    return caps;
}

uint8_t physical_address_width()
{
    if (arch::cpuid(0x80000000).eax < 0x80000008)
        return 36;
    return uint8_t(arch::cpuid(0x80000008).eax & 0xFF);
}

Outcome write_host_state(uint32_t* failed_field)
{
    uint16_t cs, ss, ds, es;
    asm volatile("mov %%cs, %0" : "=r"(cs));
    asm volatile("mov %%ss, %0" : "=r"(ss));
    asm volatile("mov %%ds, %0" : "=r"(ds));
    asm volatile("mov %%es, %0" : "=r"(es));
    arch::DescriptorTables t = arch::descriptor_tables();
    uint64_t fs_base = 0, gs_base = 0, sys_cs = 0, sys_esp = 0, sys_eip = 0;
    safe_rdmsr(msr_fs_base, &fs_base);
    safe_rdmsr(msr_gs_base, &gs_base);
    safe_rdmsr(msr_sysenter_cs, &sys_cs);
    safe_rdmsr(msr_sysenter_esp, &sys_esp);
    safe_rdmsr(msr_sysenter_eip, &sys_eip);

    struct { uint32_t field; uint64_t value; } rows[] = {
        { vmcs::HOST_CR0, arch::read_cr0() }, { vmcs::HOST_CR3, arch::read_cr3() },
        { vmcs::HOST_CR4, arch::read_cr4() },
        { vmcs::HOST_CS_SELECTOR, selector(cs) }, { vmcs::HOST_SS_SELECTOR, selector(ss) },
        { vmcs::HOST_DS_SELECTOR, selector(ds) }, { vmcs::HOST_ES_SELECTOR, selector(es) },
        { vmcs::HOST_FS_SELECTOR, 0 }, { vmcs::HOST_GS_SELECTOR, 0 },
        { vmcs::HOST_TR_SELECTOR, selector(t.tr) },
        { vmcs::HOST_FS_BASE, fs_base }, { vmcs::HOST_GS_BASE, gs_base },
        { vmcs::HOST_TR_BASE, t.tr_base }, { vmcs::HOST_GDTR_BASE, t.gdtr_base },
        { vmcs::HOST_IDTR_BASE, t.idtr_base },
        { vmcs::HOST_IA32_SYSENTER_CS, sys_cs & 0xFFFFFFFF }, { vmcs::HOST_IA32_SYSENTER_ESP, sys_esp },
        { vmcs::HOST_IA32_SYSENTER_EIP, sys_eip },
        { vmcs::HOST_RIP, exit_trampoline_address() },
    };
    for (const auto& r : rows) {
        Outcome o = vmwrite(r.field, r.value);
        if (!o.ok()) {
            *failed_field = r.field;
            return o;
        }
    }
    // 25.7.1: these host MSRs are loaded at exit only when the exit controls say so.
    uint64_t exit_controls = 0;
    Outcome o = vmread(vmcs::VM_EXIT_CONTROLS, &exit_controls);
    if (!o.ok()) {
        *failed_field = vmcs::VM_EXIT_CONTROLS;
        return o;
    }
    struct { uint64_t control; uint32_t field, msr; } msrs[] = {
        { ctl::exit::LOAD_IA32_EFER, vmcs::HOST_IA32_EFER, msr_efer },
        { ctl::exit::LOAD_IA32_PAT, vmcs::HOST_IA32_PAT, msr_pat },
        { ctl::exit::LOAD_IA32_PERF_GLOBAL_CTRL, vmcs::HOST_IA32_PERF_GLOBAL_CTRL, msr_perf_global_ctrl },
    };
    for (const auto& m : msrs) {
        uint64_t v = 0;
        if (!(exit_controls & m.control) || !safe_rdmsr(m.msr, &v))
            continue;
        o = vmwrite(m.field, v);
        if (!o.ok()) {
            *failed_field = m.field;
            return o;
        }
    }
    return o;
}

bool read_feature_control(uint64_t* v)
{
    return safe_rdmsr(kMsrFeatureControl, v);
}

} // namespace vmx
