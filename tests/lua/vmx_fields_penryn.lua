-- vmxlab-test: targets=bochs cpu=core2_penryn_t9600
-- vmx_fields.lua on an older model: fewer fields supported; VM-exit information fields are
-- read-only there (IA32_VMX_MISC[29] = 0).
dofile("vmx_fields.lua")
