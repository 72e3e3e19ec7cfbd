// SDM 27.4: the entries of the VM-entry MSR-load area (a bad entry ends the entry with exit
// reason 34, "VM-entry failure due to MSR loading", exit qualification = the entry's number);
// SDM 28.4/28.6/28.7: entries of the VM-exit MSR-store and MSR-load areas that would make the
// first VM exit end in a VMX abort. Entries are read through Snapshot::read; whether the
// processor has an entry's MSR is Snapshot::msr_exists's answer.
#include "vmx/entry_check_internal.hpp"

namespace vmx::entry {
namespace {

using namespace vmx::vmcs;

constexpr uint32_t kFsBase = 0xC0000100, kGsBase = 0xC0000101, kSmmMonitorCtl = 0x9B,
                   kSmbase = 0x9E, kEfer = 0xC0000080, kPat = 0x277;
// The entries read per area at most (the SDM recommends at most 512 * (IA32_VMX_MISC[27:25] + 1)).
constexpr uint64_t kMaxEntries = 4096;

struct Entry {
    uint64_t n;        // 1-based, as the exit qualification of exit reason 34 counts
    uint32_t index;    // the MSR
    uint32_t reserved; // bits 63:32
    uint64_t data;
};

bool x2apic(uint32_t msr) { return (msr >> 8) == 0x8; }

bool address_msr(uint32_t msr)
{
    // WRMSR raises #GP for a non-canonical value in these (SDM Vol. 4 / WRMSR).
    return msr == kFsBase || msr == kGsBase || msr == 0xC0000102 || msr == 0xC0000082 ||
           msr == 0xC0000083 || msr == 0x175 || msr == 0x176;
}

// An MSR this processor does not have (Snapshot::msr_exists says so; not asked: it has it).
bool missing(const Snapshot& s, uint32_t msr)
{
    return s.msr_exists && !s.msr_exists(s.msr_ctx, msr);
}

// Why WRMSR would refuse the entry's value with #GP, or nullptr if nothing vmxlab knows of.
const char* wrmsr_fault(const Snapshot& s, const Entry& e)
{
    unsigned bad = 0;
    if (missing(s, e.index))
        return "names an MSR this processor does not have (RDMSR raises #GP), so WRMSR would "
               "fail -- remove the entry";
    if (address_msr(e.index) && !canonical(s, e.data))
        return "writes a non-canonical address, which WRMSR refuses with #GP";
    if (e.index == kEfer && (e.data & ~uint64_t{0xD01}))
        return "sets reserved IA32_EFER bits, which WRMSR refuses with #GP";
    if (e.index == kPat && !pat_valid(e.data, &bad))
        return "writes an invalid IA32_PAT memory type, which WRMSR refuses with #GP";
    return nullptr;
}

void report(Ctx& c, R r, uint32_t addr_enc, const Entry& e, const char* area, const char* why)
{
    c.add(r, addr_enc).str(area).str(" entry ").dec(e.n).str(" (MSR ").hex(e.index).str(", data ")
        .hex(e.data).str(") ").str(why);
    if (r == R::m_fs_gs || r == R::m_x2apic || r == R::m_smm || r == R::m_reserved || r == R::m_value)
        c.set_qualification(static_cast<uint32_t>(e.n));   // 27.8: exit 34 names the entry
    c.add_value("MSR entry index", e.index);
    c.add_value("MSR entry data", e.data);
}

// Calls visit on each entry until it returns true (a finding was made) or the area ends.
template <typename Visit>
void walk(Ctx& c, uint32_t addr_enc, uint32_t count_enc, Visit visit)
{
    uint64_t addr = c[addr_enc], count = c[count_enc];
    if (!c.s.read || count == 0 || (addr & 15) || beyond_width(c.s, addr + count * 16 - 1))
        return;
    for (uint64_t i = 0; i < count && i < kMaxEntries; ++i) {
        uint8_t raw[16];
        if (!c.s.read(c.s.read_ctx, addr + 16 * i, raw, sizeof raw))
            return;
        Entry e{i + 1, 0, 0, 0};
        for (int b = 3; b >= 0; --b) {
            e.index = (e.index << 8) | raw[b];
            e.reserved = (e.reserved << 8) | raw[4 + b];
        }
        for (int b = 7; b >= 0; --b)
            e.data = (e.data << 8) | raw[8 + b];
        if (visit(e))
            return;
    }
}

} // namespace

void check_msr_load(Ctx& c)
{
    const char* area = "VM-entry MSR-load";
    walk(c, VM_ENTRY_MSR_LOAD_ADDR, VM_ENTRY_MSR_LOAD_COUNT, [&](const Entry& e) {
        const char* fault = wrmsr_fault(c.s, e);
        if (e.index == kFsBase || e.index == kGsBase)
            report(c, R::m_fs_gs, VM_ENTRY_MSR_LOAD_ADDR, e, area, "names IA32_FS_BASE/GS_BASE, "
                   "which entry loads from GUEST_FS_BASE/GUEST_GS_BASE -- write the base there");
        else if (x2apic(e.index))
            report(c, R::m_x2apic, VM_ENTRY_MSR_LOAD_ADDR, e, area, "names an x2APIC MSR "
                   "(0x800-0x8FF) -- remove the entry");
        else if (e.index == kSmmMonitorCtl && !c.s.in_smm)
            report(c, R::m_smm, VM_ENTRY_MSR_LOAD_ADDR, e, area, "names IA32_SMM_MONITOR_CTL, "
                   "writable only in SMM -- remove the entry");
        else if (e.reserved)
            report(c, R::m_reserved, VM_ENTRY_MSR_LOAD_ADDR, e, area, "has bits 63:32 set -- "
                   "clear the dword after the MSR index");
        else if (fault)
            report(c, R::m_value, VM_ENTRY_MSR_LOAD_ADDR, e, area, fault);
        else
            return false;
        return true;
    });
}

void check_abort(Ctx& c)
{
    const char* store = "VM-exit MSR-store";
    walk(c, VM_EXIT_MSR_STORE_ADDR, VM_EXIT_MSR_STORE_COUNT, [&](const Entry& e) {
        if (x2apic(e.index))
            report(c, R::a_store_x2apic, VM_EXIT_MSR_STORE_ADDR, e, store, "names an x2APIC MSR: "
                   "the first VM exit would end in a VMX abort -- remove the entry");
        else if (e.index == kSmbase && !c.s.in_smm)
            report(c, R::a_store_smbase, VM_EXIT_MSR_STORE_ADDR, e, store, "names IA32_SMBASE, "
                   "readable only in SMM: the first VM exit would abort -- remove the entry");
        else if (e.reserved)
            report(c, R::a_store_reserved, VM_EXIT_MSR_STORE_ADDR, e, store, "has bits 63:32 "
                   "set: the first VM exit would abort -- clear them");
        else if (missing(c.s, e.index))
            report(c, R::a_store_missing, VM_EXIT_MSR_STORE_ADDR, e, store, "names an MSR this "
                   "processor does not have (RDMSR raises #GP): the first VM exit would abort -- "
                   "remove the entry");
        else
            return false;
        return true;
    });
    const char* load = "VM-exit MSR-load";
    walk(c, VM_EXIT_MSR_LOAD_ADDR, VM_EXIT_MSR_LOAD_COUNT, [&](const Entry& e) {
        const char* fault = wrmsr_fault(c.s, e);
        if (e.index == kFsBase || e.index == kGsBase)
            report(c, R::a_load_fs_gs, VM_EXIT_MSR_LOAD_ADDR, e, load, "names IA32_FS_BASE/"
                   "GS_BASE: the first VM exit would abort -- put the base in HOST_FS_BASE/"
                   "HOST_GS_BASE");
        else if (x2apic(e.index))
            report(c, R::a_load_x2apic, VM_EXIT_MSR_LOAD_ADDR, e, load, "names an x2APIC MSR: "
                   "the first VM exit would end in a VMX abort -- remove the entry");
        else if (e.index == kSmmMonitorCtl)
            report(c, R::a_load_smm, VM_EXIT_MSR_LOAD_ADDR, e, load, "names IA32_SMM_MONITOR_CTL,"
                   " writable only in SMM: the first VM exit would abort -- remove the entry");
        else if (e.reserved)
            report(c, R::a_load_reserved, VM_EXIT_MSR_LOAD_ADDR, e, load, "has bits 63:32 set: "
                   "the first VM exit would abort -- clear them");
        else if (fault)
            report(c, R::a_load_value, VM_EXIT_MSR_LOAD_ADDR, e, load, fault);
        else
            return false;
        return true;
    });
}

} // namespace vmx::entry
