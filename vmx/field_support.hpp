// Which VMCS fields this processor has, decided from the capability MSRs alone -- without a
// probing VMREAD, which would overwrite VM_INSTRUCTION_ERROR with 12 (SDM 31.4: VMREAD of an
// unsupported component is VMfailValid(12)). Two facts decide (SDM appendix A.9 and B):
//  - the field's index (encoding bits 9:1) is at most IA32_VMX_VMCS_ENUM[9:1];
//  - a field that belongs to a feature exists only where the feature's control may be 1
//    (appendix B: "this field exists only on processors that support the 1-setting of ...").
// Pure logic; the probe in tests/lua/vmx_dump.lua checks the answer against a real VMREAD.
#pragma once
#include <stdint.h>

#include "vmx/caps.hpp"
#include "vmx/fields.hpp"

namespace vmx {

enum class FieldSupport : uint8_t {
    supported,
    beyond_enum,          // index above IA32_VMX_VMCS_ENUM[9:1]
    feature_missing,      // its feature's control cannot be 1 on this CPU
};

// `field` may be a full or a _HIGH row (a _HIGH half exists exactly when its field does).
FieldSupport field_support(const FieldInfo& field, const VmxCaps& caps);
inline bool field_supported(const FieldInfo& field, const VmxCaps& caps)
{
    return field_support(field, caps) == FieldSupport::supported;
}

} // namespace vmx
