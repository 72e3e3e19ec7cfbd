#include "vmx/entry_live.hpp"

#include "arch/cpu.hpp"
#include "vmx/fields.hpp"
#include "vmx/host.hpp"
#include "vmx/instr.hpp"
#include "vmx/text.hpp"

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

bool msr_missing(uint32_t index)
{
    arch::Fault f;
    uint64_t v = 0;
    return !arch::try_run([&] { v = arch::rdmsr(index); }, &f);
}

bool named_by_other_rule(uint32_t index)
{
    return index == 0xC0000100 || index == 0xC0000101 || (index >> 8) == 0x8 || index == 0x9B;
}

// A fact of this processor the rule table cannot know from a snapshot: an MSR it does not have
// (RDMSR raises #GP) cannot be loaded -- WRMSR raises #GP too, so the entry's MSR loading fails
// (SDM 27.4, exit reason 34) or the first VM exit aborts (28.6). Reported under the rules for a
// write WRMSR would refuse. Returns the number written (at most max).
size_t missing_msr_findings(const Snapshot& s, Area area, Finding* out, size_t max)
{
    bool exit = area == Area::Abort;
    uint32_t addr_f = exit ? vmcs::VM_EXIT_MSR_LOAD_ADDR : vmcs::VM_ENTRY_MSR_LOAD_ADDR;
    uint64_t count = s[exit ? vmcs::VM_EXIT_MSR_LOAD_COUNT : vmcs::VM_ENTRY_MSR_LOAD_COUNT], addr = s[addr_f];
    const Rule* rule = find_rule(exit ? "abort.exit_msr_load.value" : "msr_load.value");
    size_t n = 0;
    for (uint64_t i = 0; rule && !(addr & 0xF) && i < count && i < 512 && n < max; ++i) {
        uint32_t e[2] = {};
        if (!read_phys(nullptr, addr + 16 * i, e, sizeof e))
            return n;
        if (e[1] || named_by_other_rule(e[0]) || !msr_missing(e[0]))
            continue;
        Finding& f = out[n++];
        f = Finding{};
        f.rule = rule;
        f.fields[0] = {addr_f, exit ? "VM_EXIT_MSR_LOAD_ADDR" : "VM_ENTRY_MSR_LOAD_ADDR", addr};
        f.fields[1] = {0, "MSR entry index", e[0]};
        f.field_count = 2;
        TextBuf(f.hint, sizeof f.hint).str(exit ? "VM-exit" : "VM-entry").str(" MSR-load entry ").dec(i + 1)
            .str(" names MSR ").hex(e[0]).str(", which this processor does not have (RDMSR raises #GP), so "
            "WRMSR would fail").str(exit ? ": the first VM exit would abort" : "").str(" -- remove the entry");
        if (!exit)
            return n;                  // loading stops at the first failing entry
    }
    return n;
}

// check() plus the missing-MSR facts, in the order the processor meets them: MSR loading on
// entry before the conditions of the first VM exit.
size_t check_with_cpu_facts(const Snapshot& s, AreaMask areas, Finding* out, size_t max)
{
    size_t n = check(s, areas, out, max);
    if (n > max)
        return n;
    static const Area kAreas[] = {Area::MsrLoad, Area::Abort};
    for (Area a : kAreas) {
        if (!(areas & area_bit(a)) || n == max)
            continue;
        Finding extra[4];
        size_t k = missing_msr_findings(s, a, extra, 4);
        size_t at = n;                 // before the first finding of a later class
        for (size_t i = 0; i < n; ++i)
            if (a == Area::MsrLoad && out[i].rule->cls == Class::Abort) {
                at = i;
                break;
            }
        for (size_t j = 0; j < k && n < max; ++j, ++n, ++at) {
            for (size_t m = n; m > at; --m)
                out[m] = out[m - 1];
            out[at] = extra[j];
        }
    }
    return n;
}

} // namespace

bool read_live(Snapshot* snap, bool resume)
{
    *snap = Snapshot{};
    snap->caps = host_caps();
    snap->maxphyaddr = physical_address_width();
    snap->resume = resume;
    snap->read = read_phys;
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
        snap->set(vmcs::PIN_BASED_VM_EXEC_CONTROL, pin | (pc.allowed1 & ((1u << 0) | (1u << 6))));
    return true;
}

long check_live(AreaMask areas, Finding* out, size_t max, bool resume)
{
    static Snapshot snap;              // ~2.6 KiB: not on the Lua thread's stack
    if (!read_live(&snap, resume))
        return -1;
    return long(check_with_cpu_facts(snap, areas, out, max));
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
    if (!read_live(&snap, resume) || check_with_cpu_facts(snap, kAllAreas, &first, 1) == 0)
        return false;
    // VMfailValid 7/8 leave before any exit; an entry-failure exit (33/34) still loads the host
    // state and the VM-exit MSR-load area (27.8), so it can abort too.
    if (first.rule->cls == Class::Controls || first.rule->cls == Class::Host)
        return false;
    return check_with_cpu_facts(snap, area_bit(Area::Abort), finding, 1) > 0;
}

} // namespace vmx::entry
