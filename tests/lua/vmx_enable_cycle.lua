-- vmxlab-test: targets=bochs
-- vmx.enable()/vmx.disable() many times over: the VMXON region enable() allocates goes back at disable().
local t = require "testlib"
assert(vmx.enable({quiet=true}))
assert(vmx.disable())
local before = mem.stats().used
for i = 1, 20 do assert(vmx.enable({quiet=true})); assert(vmx.disable()) end
t.check("enable/disable x20 does not leak", mem.stats().used - before < 4096, mem.stats().used - before)
t.equal("state after disable", vmx.state(), "off")
return t.summary()
