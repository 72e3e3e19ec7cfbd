#include "vmx/entry_live.hpp"

#include "arch/cpu.hpp"
#include "vmx/fields.hpp"
#include "vmx/host.hpp"
#include "vmx/instr.hpp"

namespace vmx::entry {
namespace {

bool read_phys(void*, uint64_t pa, void* out, size_t n)
{
    arch::Fault f;
    auto* dst = static_cast<uint8_t*>(out);
    return arch::try_run([&] {
        const volatile uint8_t* src = reinterpret_cast<const volatile uint8_t*>(pa);
        for (size_t i = 0; i < n; ++i)
            dst[i] = src[i];
    }, &f);
}

// Snapshot::msr_exists: RDMSR under a fault guard -- #GP means the processor does not have it
// (the value read is discarded).
bool msr_exists(void*, uint32_t index)
{
    arch::Fault f;
    uint64_t v = 0;
    return arch::try_run([&] { v = arch::rdmsr(index); }, &f);
}

// The CPUID.(EAX=7,ECX=0) facts the checker needs: EBX[2] SGX, ECX[7] CET shadow stacks (leaf 7
// may be missing on older processors, e.g. penryn: then neither).
void leaf7_facts(Snapshot* snap)
{
    if (arch::cpuid(0).eax < 7)
        return;
    arch::CpuidResult r = arch::cpuid(7, 0);
    snap->sgx = (r.ebx >> 2) & 1;
    snap->cet_ss = (r.ecx >> 7) & 1;
}

} // namespace

bool read_live(Snapshot* snap, bool resume)
{
    *snap = Snapshot{};
    snap->caps = host_caps();
    snap->maxphyaddr = physical_address_width();
    snap->resume = resume;
    snap->read = read_phys;
    snap->msr_exists = msr_exists;
    leaf7_facts(snap);
    uint32_t enc[kSnapshotFieldMax];
    size_t n = fields_supported(snap->caps, enc, kSnapshotFieldMax);
    if (n > kSnapshotFieldMax)
        n = kSnapshotFieldMax;
    for (size_t i = 0; i < n; ++i) {
        uint64_t v = 0;
        if (!vmread(enc[i], &v).ok())
            return false;
        snap->set(enc[i], v);
    }
    // vmx::run() enters with "external-interrupt exiting" and, where the CPU has it, the
    // VMX-preemption timer forced on (Ctrl-C and the watchdog, vmx/run.hpp): check what it enters.
    uint64_t pin = 0;
    ControlCaps pc = control_caps(snap->caps, ControlKind::Pin);
    if (snap->get(vmcs::PIN_BASED_VM_EXEC_CONTROL, &pin))
        snap->set(vmcs::PIN_BASED_VM_EXEC_CONTROL, pin | (pc.allowed1 & (ctl::pin::EXT_INTR_EXITING | ctl::pin::PREEMPTION_TIMER)));
    return true;
}

long check_live(AreaMask areas, Finding* out, size_t max, bool resume)
{
    static Snapshot snap;              // ~2.6 KiB: not on the Lua thread's stack
    if (!read_live(&snap, resume))
        return -1;
    return long(check(snap, areas, out, max));
}

bool would_abort(Finding* finding, bool resume)
{
    uint64_t store = 0, load = 0;
    if (!vmread(vmcs::VM_EXIT_MSR_STORE_COUNT, &store).ok() || !vmread(vmcs::VM_EXIT_MSR_LOAD_COUNT, &load).ok())
        return false;
    if (store == 0 && load == 0)
        return false;
    static Snapshot snap;
    static Finding first;
    if (!read_live(&snap, resume) || check(snap, kAllAreas, &first, 1) == 0)
        return false;
    // VMfailValid 7/8 leave before any exit; an entry-failure exit (33/34) still loads the host
    // state and the VM-exit MSR-load area (27.8), so it can abort too.
    if (first.rule->cls == Class::Controls || first.rule->cls == Class::Host)
        return false;
    return check(snap, area_bit(Area::Abort), finding, 1) > 0;
}

} // namespace vmx::entry
