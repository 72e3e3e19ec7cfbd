// The VM-entry checker: the checks VMLAUNCH/VMRESUME make on the VMCS (SDM Vol. 3C "VM Entries":
// controls, host state, guest state, MSR loading) and the conditions under which the first VM
// exit would end in a VMX abort, done in software on a snapshot of the VMCS. A real processor
// only says "VMfailValid 7" or "exit reason 33"; this names the rule, the fields and the fix.
// Section numbers: the SDM edition named in docs/sdm.md. Every rule is listed in docs/entry-checks.md.
//
// Pure logic: no VMREAD, no allocation, no Lua. The caller fills a Snapshot (capability MSRs,
// CPUID facts, the fields that snapshot_fields() names, a memory reader for the MSR areas) and
// calls check(). Usable in the kernel and in host tests alike.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "vmx/caps.hpp"

namespace vmx::entry {

// What the processor reports when a rule is broken.
enum class Class : uint8_t {
    Controls,    // VMfailValid, VM-instruction error 7 "VM entry with invalid control field(s)"
    Host,        // VMfailValid, VM-instruction error 8 "VM entry with invalid host-state field(s)"
    Guest,       // VM-entry failure, exit reason 33 "VM-entry failure due to invalid guest state"
    MsrLoad,     // VM-entry failure, exit reason 34 "VM-entry failure due to MSR loading"
    Abort,       // entry succeeds, but the first VM exit would cause a VMX abort
};
const char* class_name(Class cls);   // "VMfailValid 7", "VMfailValid 8", "exit 33", "exit 34", "VMX abort"

// Which group of checks a rule belongs to; also the bits of an AreaMask.
enum class Area : uint8_t { Controls = 0, Host = 1, Guest = 2, MsrLoad = 3, Abort = 4 };
using AreaMask = uint32_t;
constexpr AreaMask area_bit(Area a) { return 1u << static_cast<unsigned>(a); }
constexpr AreaMask kAllAreas = 0x1F;
const char* area_name(Area area);    // "controls", "host", "guest", "msr_load", "abort"
// "controls", "host", "guest", "msr_load", "abort" -> its bit; "all" -> kAllAreas; else 0.
AreaMask area_mask_by_name(const char* name);

// One rule of the table: data a reader can audit against the SDM.
struct Rule {
    const char* id;         // stable, e.g. "guest.ss.rpl"
    const char* section;    // SDM section, e.g. "27.3.1.2"
    const char* rule;       // the rule in one line of words
    Class cls;
    Area area;
};
// The whole table in check order (controls, host, guest, MSR loading, abort).
const Rule* rules(size_t* count);
const Rule* find_rule(const char* id);   // nullptr if unknown

// ---- The snapshot -------------------------------------------------------------------------

// Room for every field encoding the checker reads (snapshot_fields()).
constexpr size_t kSnapshotFieldMax = 160;

// Reads n bytes of physical memory at pa into out; false if it cannot (then the entries of an
// MSR area are not checked and a finding says so nowhere: unreadable is not a rule violation).
using ReadPhys = bool (*)(void* ctx, uint64_t pa, void* out, size_t n);
// Does this processor have MSR `msr` (RDMSR of it does not raise #GP)? A fact no capability MSR
// reports: asked for each MSR an MSR-load/store area names.
using MsrExists = bool (*)(void* ctx, uint32_t msr);

struct Snapshot {
    // Capability MSRs 0x480-0x493 as read (present = false where RDMSR raised #GP).
    VmxCaps caps{};
    // CPUID.80000008H:EAX[7:0], the physical-address width. 0 = unknown: treated as 36 (SDM:
    // the width when the leaf is missing), and IA32_VMX_BASIC[48] limits it to 32.
    uint8_t maxphyaddr = 0;
    // CPUID.80000008H:EAX[15:8], the linear-address width "canonical" refers to (48, or 57
    // with 5-level paging). 0 = unknown: treated as 48.
    uint8_t linear_width = 0;
    // CPUID.(EAX=7,ECX=0):ECX[7] (CET shadow stacks): EPT_POINTER bit 7 (supervisor shadow-stack
    // control) may be 1 only then.
    bool cet_ss = false;
    // CPUID.(EAX=7,ECX=0):EBX[2] (SGX): interruptibility bit 4 (enclave interruption) may be 1
    // only then (27.3.1.5).
    bool sgx = false;
    // State of the processor at the time of VM entry that the checks compare with.
    bool host_efer_lma = true;   // IA32_EFER.LMA when VMLAUNCH/VMRESUME runs (vmxlab: 64-bit)
    bool in_smm = false;         // entry from SMM (never in vmxlab)
    bool resume = false;         // VMRESUME rather than VMLAUNCH (no rule depends on it yet)
    // IA32_DEBUGCTL bits that are reserved on this processor (the guest field must have them
    // clear when "load debug controls" is 1). Default: the bits the SDM's architectural
    // IA32_DEBUGCTL layout leaves reserved (5:2 and 63:16).
    uint64_t debugctl_reserved = 0xFFFFFFFFFFFF003Cull;
    // Physical memory, for the entries of the MSR-load/store areas, the VMCS link pointer's
    // revision and, for PAE paging without EPT, the PDPTEs at GUEST_CR3; read = nullptr: those are
    // not checked.
    ReadPhys read = nullptr;
    void* read_ctx = nullptr;
    // The MSRs this processor has, for MSR-area entries (SDM 27.4, 28.4, 28.6: an MSR RDMSR/WRMSR
    // refuses with #GP fails the entry or aborts the first exit); nullptr: not asked.
    MsrExists msr_exists = nullptr;
    void* msr_ctx = nullptr;

    // Field values by encoding; only encodings of snapshot_fields() can be stored.
    uint32_t field_count = 0;
    uint32_t encoding[kSnapshotFieldMax]{};
    uint64_t value[kSnapshotFieldMax]{};

    // Stores a field (64-bit fields by their full encoding). false: not a field the checker reads.
    bool set(uint32_t enc, uint64_t v);
    // The value, or false if the snapshot does not have the field.
    bool get(uint32_t enc, uint64_t* v) const;
    bool has(uint32_t enc) const { return get(enc, nullptr); }
    // The value, or 0 if absent (an absent field is treated as the processor would treat an
    // unsupported one: its control is 0 / it does not take part).
    uint64_t operator[](uint32_t enc) const;
};

// Every field encoding the checker may read (full encodings of 64-bit fields), in SDM appendix-B
// order. The list is fixed; which of them exist on a processor is fields_supported()'s answer.
const uint32_t* snapshot_fields(size_t* count);

// The encodings of snapshot_fields() that this processor supports, decided from the capability
// MSRs only -- never by probing with VMREAD, which would overwrite VM_INSTRUCTION_ERROR: a field
// exists if the control that gives it meaning may be 1 (e.g. VIRTUAL_PROCESSOR_ID needs
// "enable VPID" in the allowed-1 settings of IA32_VMX_PROCBASED_CTLS2) and its index is within
// IA32_VMX_VMCS_ENUM. Writes up to max encodings; returns how many there are (may exceed max).
size_t fields_supported(const VmxCaps& caps, uint32_t* out, size_t max);

// ---- Findings -----------------------------------------------------------------------------

// A field (or an MSR-area entry) involved in a finding, with its value.
struct FindingField {
    uint32_t encoding;   // VMCS encoding; 0 for an MSR-area entry
    const char* name;    // Linux spelling, e.g. "GUEST_SS_SELECTOR"; or "VM_ENTRY_MSR_LOAD_ADDR[2]"-
                         // style static text for an area entry
    uint64_t value;
};
constexpr size_t kFindingFieldMax = 4;
constexpr size_t kHintMax = 256;

struct Finding {
    const Rule* rule;
    FindingField fields[kFindingFieldMax];
    uint8_t field_count;
    // The exit qualification the processor reports with this failure (SDM 27.8): for exit 33,
    // 2 = PDPTE loading, 4 = invalid VMCS link pointer, otherwise 0; for exit 34, the number of
    // the failing MSR-load entry (from 1). 0 for the other classes.
    uint32_t qualification;
    // The concrete problem and fix, with numbers, e.g. "GUEST_SS_SELECTOR RPL 3 differs from
    // GUEST_CS_SELECTOR RPL 0; in a guest that is not unrestricted SS.RPL must equal CS.RPL --
    // write 0x10". NUL-terminated, cut at kHintMax - 1 characters.
    char hint[kHintMax];
};

// Runs the rules of the areas in `areas` on the snapshot and writes up to `max` findings in the
// order the processor makes the checks (controls, host state, guest state, MSR loading; then the
// abort conditions of the first VM exit). Returns the number of findings there are (may exceed
// max; only max are written). 0: the entry should succeed and the first exit should not abort.
// The first finding's rule->cls is what the processor reports; later ones are what it would
// report once the earlier ones are fixed (a processor stops at its first failed check).
size_t check(const Snapshot& snap, AreaMask areas, Finding* out, size_t max);

} // namespace vmx::entry
