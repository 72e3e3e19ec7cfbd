-- vmxlab-test: targets=bochs cpu=core2_penryn_t9600
-- vmx_instr.lua on an older model: no VMX-preemption timer, no MSR 0x48C (EPT/VPID caps), and
-- IA32_VMX_MISC[29] = 0, so a VMWRITE to a VM-exit information field fails with error 13.
dofile("vmx_instr.lua")
