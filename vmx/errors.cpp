#include "vmx/errors.hpp"

#include "vmx/text.hpp"

namespace vmx {
namespace {

// SDM 31.4, Table 31-1 ("VM-Instruction Error Numbers"). Entry failures (4-8, 16-18, 25, 26) may be reported in any order the
// processor checks them: error 7 says nothing about whether host state is also bad.
constexpr VmInstructionError kErrors[] = {
    {1, "VMCALL_IN_VMX_ROOT_OPERATION", "VMCALL executed in VMX root operation"},
    {2, "VMCLEAR_INVALID_ADDRESS", "VMCLEAR with invalid physical address"},
    {3, "VMCLEAR_VMXON_POINTER", "VMCLEAR with VMXON pointer"},
    {4, "VMLAUNCH_NONCLEAR_VMCS", "VMLAUNCH with non-clear VMCS"},
    {5, "VMRESUME_NONLAUNCHED_VMCS", "VMRESUME with non-launched VMCS"},
    // Earlier editions called error 6 "VMRESUME with a corrupted VMCS".
    {6, "VMRESUME_AFTER_VMXOFF",
     "VMRESUME after VMXOFF (VMXOFF and VMXON between VMLAUNCH and VMRESUME)"},
    {7, "ENTRY_INVALID_CONTROL_FIELD", "VM entry with invalid control field(s)"},
    {8, "ENTRY_INVALID_HOST_STATE_FIELD", "VM entry with invalid host-state field(s)"},
    {9, "VMPTRLD_INVALID_ADDRESS", "VMPTRLD with invalid physical address"},
    {10, "VMPTRLD_VMXON_POINTER", "VMPTRLD with VMXON pointer"},
    {11, "VMPTRLD_INCORRECT_VMCS_REVISION_ID", "VMPTRLD with incorrect VMCS revision identifier"},
    {12, "UNSUPPORTED_VMCS_COMPONENT", "VMREAD/VMWRITE from/to unsupported VMCS component"},
    {13, "VMWRITE_READ_ONLY_VMCS_COMPONENT", "VMWRITE to read-only VMCS component"},
    {15, "VMXON_IN_VMX_ROOT_OPERATION", "VMXON executed in VMX root operation"},
    {16, "ENTRY_INVALID_EXECUTIVE_VMCS_POINTER", "VM entry with invalid executive-VMCS pointer"},
    {17, "ENTRY_NONLAUNCHED_EXECUTIVE_VMCS", "VM entry with non-launched executive VMCS"},
    {18, "ENTRY_EXECUTIVE_VMCS_POINTER_NOT_VMXON_POINTER",
     "VM entry with executive-VMCS pointer not VMXON pointer (when attempting to deactivate "
     "the dual-monitor treatment of SMIs and SMM)"},
    {19, "VMCALL_NONCLEAR_VMCS",
     "VMCALL with non-clear VMCS (when attempting to activate the dual-monitor treatment of "
     "SMIs and SMM)"},
    {20, "VMCALL_INVALID_VM_EXIT_CONTROL_FIELDS", "VMCALL with invalid VM-exit control fields"},
    {22, "VMCALL_INCORRECT_MSEG_REVISION_ID",
     "VMCALL with incorrect MSEG revision identifier (when attempting to activate the "
     "dual-monitor treatment of SMIs and SMM)"},
    {23, "VMXOFF_UNDER_DUAL_MONITOR_TREATMENT_OF_SMIS_AND_SMM",
     "VMXOFF under dual-monitor treatment of SMIs and SMM"},
    {24, "VMCALL_INVALID_SMM_MONITOR_FEATURES",
     "VMCALL with invalid SMM-monitor features (when attempting to activate the dual-monitor "
     "treatment of SMIs and SMM)"},
    {25, "ENTRY_INVALID_VM_EXECUTION_CONTROL_FIELDS_IN_EXECUTIVE_VMCS",
     "VM entry with invalid VM-execution control fields in executive VMCS (when attempting to "
     "return from SMM)"},
    {26, "ENTRY_EVENTS_BLOCKED_BY_MOV_SS", "VM entry with events blocked by MOV SS."},
    {28, "INVALID_OPERAND_TO_INVEPT_INVVPID", "Invalid operand to INVEPT/INVVPID."},
};

constexpr size_t kErrorCount = sizeof(kErrors) / sizeof(kErrors[0]);

} // namespace

size_t vm_instruction_error_count()
{
    return kErrorCount;
}

const VmInstructionError* vm_instruction_error_at(size_t index)
{
    return index < kErrorCount ? &kErrors[index] : nullptr;
}

const VmInstructionError* find_vm_instruction_error(uint64_t number)
{
    for (const VmInstructionError& e : kErrors)
        if (e.number == number)
            return &e;
    return nullptr;
}

const VmInstructionError* find_vm_instruction_error_by_name(const char* name)
{
    if (str_starts_with(name, "VMXERR_"))
        name += 7;
    for (const VmInstructionError& e : kErrors)
        if (str_eq(e.name, name))
            return &e;
    return nullptr;
}

size_t format_vm_instruction_error(uint64_t number, char* buf, size_t cap)
{
    TextBuf out(buf, cap);
    out.str("VM-instruction error ").dec(number).str(": ");
    const VmInstructionError* e = find_vm_instruction_error(number);
    out.str(e ? e->text : "(not defined by the SDM)");
    return out.length();
}

} // namespace vmx
