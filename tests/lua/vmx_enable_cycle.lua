-- vmxlab-test: targets=bochs
-- vmx.enable()/vmx.disable() many times over: the VMXON region enable() allocates goes back at disable().
local t = dofile("vmx_report.lua")
assert(vmx.enable({quiet=true}))
assert(vmx.disable())
local before = mem.stats().used
for i = 1, 20 do assert(vmx.enable({quiet=true})); assert(vmx.disable()) end
t.check(mem.stats().used - before < 4096, "enable/disable x20 does not leak", mem.stats().used - before)
t.eq(vmx.state(), "off", "state after disable")
t.done()
