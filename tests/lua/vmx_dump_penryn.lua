-- vmxlab-test: targets=bochs cpu=core2_penryn_t9600
-- vmx_dump.lua on an older model (no EPT, no VPID, no preemption timer: fewer fields).
dofile("vmx_dump.lua")
