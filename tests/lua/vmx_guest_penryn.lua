-- vmxlab-test: targets=bochs cpu=core2_penryn_t9600
-- vmx_guest.lua on an older model: without the VMX-preemption timer a budget is refused clearly.
dofile("vmx_guest.lua")
