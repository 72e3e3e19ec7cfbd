// VM-instruction error numbers (SDM 31.4, "VM Instruction Error Numbers"): what VM_INSTRUCTION_ERROR holds after a
// VMX instruction ends in VMfailValid.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace vmx {

struct VmInstructionError {
    uint8_t number;
    const char* name;   // Linux's enum vm_instruction_error_number without "VMXERR_"
    const char* text;   // the SDM's description, word for word (footnote marks left out)
};

// Numbers 1..28 as the SDM lists them; 14, 21 and 27 are unused there and absent here.
size_t vm_instruction_error_count();
const VmInstructionError* vm_instruction_error_at(size_t index);   // nullptr past the end
const VmInstructionError* find_vm_instruction_error(uint64_t number);
// "UNSUPPORTED_VMCS_COMPONENT" or "VMXERR_UNSUPPORTED_VMCS_COMPONENT".
const VmInstructionError* find_vm_instruction_error_by_name(const char* name);

// "VM-instruction error 12: VMREAD/VMWRITE from/to unsupported VMCS component", or for numbers
// the SDM does not define "VM-instruction error 14: (not defined by the SDM)".
size_t format_vm_instruction_error(uint64_t number, char* buf, size_t cap);

} // namespace vmx
