#include "vmx/exit_reasons.hpp"

#include "vmx/text.hpp"

namespace vmx {
namespace {

// SDM appendix C, Table C-1. Numbers 35, 38 and 42 are unused. 0-79 follow the SDM (as
// machine-read by ia32-doc); 71 comes from Intel's TDX-module sources, 80-81 and 84-85 from
// Linux/Xen support for newer MSR instructions -- see the report for what was verified where.
constexpr ExitReasonInfo kReasons[] = {
    {0, "EXCEPTION_NMI", "Exception or non-maskable interrupt (NMI)", true},
    {1, "EXTERNAL_INTERRUPT", "External interrupt", true},
    {2, "TRIPLE_FAULT", "Triple fault", true},
    {3, "INIT_SIGNAL", "INIT signal", true},
    {4, "SIPI_SIGNAL", "Start-up IPI (SIPI) arrived in wait-for-SIPI state", true},
    {5, "IO_SMI", "I/O system-management interrupt (SMI) caused an SMM VM exit", false},
    {6, "OTHER_SMI", "Other SMI caused an SMM VM exit", true},
    {7, "INTERRUPT_WINDOW", "Interrupt window: RFLAGS.IF = 1 and nothing blocks interrupts", true},
    {8, "NMI_WINDOW", "NMI window: nothing blocks NMIs", true},
    {9, "TASK_SWITCH", "Guest attempted a task switch", true},
    {10, "CPUID", "Guest executed CPUID", true},
    {11, "GETSEC", "Guest executed GETSEC", false},
    {12, "HLT", "Guest executed HLT with HLT exiting = 1", true},
    {13, "INVD", "Guest executed INVD", true},
    {14, "INVLPG", "Guest executed INVLPG with INVLPG exiting = 1", true},
    {15, "RDPMC", "Guest executed RDPMC with RDPMC exiting = 1", true},
    {16, "RDTSC", "Guest executed RDTSC with RDTSC exiting = 1", true},
    {17, "RSM", "Guest executed RSM in SMM", false},
    {18, "VMCALL", "Guest executed VMCALL", true},
    {19, "VMCLEAR", "Guest executed VMCLEAR", true},
    {20, "VMLAUNCH", "Guest executed VMLAUNCH", true},
    {21, "VMPTRLD", "Guest executed VMPTRLD", true},
    {22, "VMPTRST", "Guest executed VMPTRST", true},
    {23, "VMREAD", "Guest executed VMREAD", true},
    {24, "VMRESUME", "Guest executed VMRESUME", true},
    {25, "VMWRITE", "Guest executed VMWRITE", true},
    {26, "VMOFF", "Guest executed VMXOFF", true},
    {27, "VMON", "Guest executed VMXON", true},
    {28, "CR_ACCESS", "Control-register access (MOV CR, CLTS, LMSW)", true},
    {29, "DR_ACCESS", "Guest executed MOV DR with MOV-DR exiting = 1", true},
    {30, "IO_INSTRUCTION", "Guest executed an I/O instruction the controls intercept", true},
    {31, "MSR_READ", "Guest executed RDMSR the MSR controls intercept", true},
    {32, "MSR_WRITE", "Guest executed WRMSR the MSR controls intercept", true},
    {33, "INVALID_STATE", "VM-entry failure due to invalid guest state", true},
    {34, "MSR_LOAD_FAIL", "VM-entry failure due to MSR loading", true},
    {36, "MWAIT_INSTRUCTION", "Guest executed MWAIT with MWAIT exiting = 1", true},
    {37, "MONITOR_TRAP_FLAG", "Monitor trap flag", true},
    {39, "MONITOR_INSTRUCTION", "Guest executed MONITOR with MONITOR exiting = 1", true},
    {40, "PAUSE_INSTRUCTION", "Guest executed PAUSE (PAUSE exiting or PAUSE-loop exiting)", true},
    {41, "MCE_DURING_VMENTRY", "VM-entry failure due to machine-check event", true},
    {43, "TPR_BELOW_THRESHOLD", "TPR below threshold", true},
    {44, "APIC_ACCESS", "APIC access", true},
    {45, "EOI_INDUCED", "Virtualized EOI", true},
    {46, "GDTR_IDTR", "Guest accessed GDTR or IDTR (descriptor-table exiting)", true},
    {47, "LDTR_TR", "Guest accessed LDTR or TR (descriptor-table exiting)", true},
    {48, "EPT_VIOLATION", "EPT violation", true},
    {49, "EPT_MISCONFIG", "EPT misconfiguration", true},
    {50, "INVEPT", "Guest executed INVEPT", true},
    {51, "RDTSCP", "Guest executed RDTSCP with RDTSC exiting = 1", true},
    {52, "PREEMPTION_TIMER", "VMX-preemption timer expired", true},
    {53, "INVVPID", "Guest executed INVVPID", true},
    {54, "WBINVD", "Guest executed WBINVD or WBNOINVD with WBINVD exiting = 1", true},
    {55, "XSETBV", "Guest executed XSETBV", true},
    {56, "APIC_WRITE", "APIC write", true},
    {57, "RDRAND", "Guest executed RDRAND with RDRAND exiting = 1", true},
    {58, "INVPCID", "Guest executed INVPCID with INVLPG exiting = 1", true},
    {59, "VMFUNC", "Guest executed VMFUNC and the function failed or is disabled", true},
    {60, "ENCLS", "Guest executed ENCLS and the ENCLS-exiting bitmap selects it", true},
    {61, "RDSEED", "Guest executed RDSEED with RDSEED exiting = 1", true},
    {62, "PML_FULL", "Page-modification log full", true},
    {63, "XSAVES", "Guest executed XSAVES and the XSS-exiting bitmap selects it", true},
    {64, "XRSTORS", "Guest executed XRSTORS and the XSS-exiting bitmap selects it", true},
    {65, "PCONFIG", "Guest executed PCONFIG", false},
    {66, "SPP_EVENT", "SPP-related event", false},
    {67, "UMWAIT", "Guest executed UMWAIT", true},
    {68, "TPAUSE", "Guest executed TPAUSE", true},
    {69, "LOADIWKEY", "Guest executed LOADIWKEY", false},
    {70, "ENCLV", "Guest executed ENCLV and the ENCLV-exiting bitmap selects it", false},
    {71, "SGX_CONFLICT", "SGX conflict", false},
    {72, "ENQCMD_PASID_FAIL", "ENQCMD PASID translation failure", false},
    {73, "ENQCMDS_PASID_FAIL", "ENQCMDS PASID translation failure", false},
    {74, "BUS_LOCK", "Bus lock", true},
    {75, "NOTIFY", "Instruction timeout (notify VM exit)", true},
    {76, "SEAMCALL", "Guest executed SEAMCALL", true},
    {77, "TDCALL", "Guest executed TDCALL", true},
    {78, "RDMSRLIST", "Guest executed RDMSRLIST", false},
    {79, "WRMSRLIST", "Guest executed WRMSRLIST", false},
    {80, "URDMSR", "Guest executed URDMSR", false},
    {81, "UWRMSR", "Guest executed UWRMSR", false},
    {84, "MSR_READ_IMM", "Guest executed RDMSR with an immediate operand", true},
    {85, "MSR_WRITE_IMM", "Guest executed WRMSRNS with an immediate operand", true},
};

constexpr size_t kReasonCount = sizeof(kReasons) / sizeof(kReasons[0]);

} // namespace

size_t exit_reason_count()
{
    return kReasonCount;
}

const ExitReasonInfo* exit_reason_at(size_t index)
{
    return index < kReasonCount ? &kReasons[index] : nullptr;
}

const ExitReasonInfo* find_exit_reason(uint64_t basic)
{
    for (const ExitReasonInfo& r : kReasons)
        if (r.number == basic)
            return &r;
    return nullptr;
}

const ExitReasonInfo* find_exit_reason_by_name(const char* name)
{
    if (str_starts_with(name, "EXIT_REASON_"))
        name += 12;
    for (const ExitReasonInfo& r : kReasons)
        if (str_eq(r.name, name))
            return &r;
    return nullptr;
}

ExitReasonField decode_exit_reason(uint32_t raw)
{
    ExitReasonField f{};
    f.basic = static_cast<uint16_t>(raw & 0xFFFF);
    f.bus_lock_detected = (raw >> 26) & 1;
    f.enclave_mode = (raw >> 27) & 1;
    f.pending_mtf = (raw >> 28) & 1;
    f.from_vmx_root = (raw >> 29) & 1;
    f.entry_failure = (raw >> 31) & 1;
    f.reserved_bits = raw & 0x43FF0000u;
    return f;
}

size_t format_exit_reason(uint32_t raw, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    ExitReasonField f = decode_exit_reason(raw);
    out.hex(raw, 8).str(f.entry_failure ? ": VM-entry failure" : ": VM exit");
    out.str("; basic exit reason ").dec(f.basic);
    if (const ExitReasonInfo* r = find_exit_reason(f.basic))
        out.chr(' ').str(r->name).str(" (").str(r->description).chr(')');
    else
        out.str(" (not a basic exit reason vmxlab knows)");
    if (f.bus_lock_detected)
        out.str("; bus lock detected");
    if (f.enclave_mode)
        out.str("; incident to enclave mode");
    if (f.pending_mtf)
        out.str("; pending MTF VM exit");
    if (f.from_vmx_root)
        out.str("; from VMX root operation");
    if (f.reserved_bits)
        out.str("; undefined bits ").hex(f.reserved_bits).str(" set");
    return out.length();
}

} // namespace vmx
