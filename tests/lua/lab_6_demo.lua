-- vmxlab-test: targets=bochs
-- Lab 6 (the VMX demo, "Setup for VM launch" and "Our planned VMX demo") under Bochs: the V86 guest launched from machine[] says
-- "Hello from Guest VM" and the CR0 its SMSW saw, leaves with VMCALL; results[] agree; vmresume
-- runs it again; vmclear and vmxoff end it.
local t = require "testlib"
local labs = require "labs"

t.section("lab 6")
local ok, why = lab(6)
t.check("lab(6) returns true: every fact held", ok, why)
local v = labs.last.v
t.check("machine[] has guest, control and host entries", v.machine_size and v.machine_size > 80, v.machine_size)
t.equal("vmlaunch: exit reason 18 (VMCALL)", v.exit_reason, 18)
t.contains("the guest's serial message", v.said, "Hello from Guest VM")
t.contains("... with the CR0 its SMSW saw", v.said, ("smsw: CR0 = 0x%04X"):format(vars.guest_CR0 & 0xFFFF))
t.equal("results[]: exit reason 18", v.results.reason, 18)
t.equal("results[]: instruction length 3", v.results.len, 3)
t.equal("vmresume: VMCALL again", v.resume_reason, 18)
t.equal("VMX is off at the end (vmclear, vmxoff)", vmx.state(), "off")
t.equal("machine[] and results[] stay in globals", type(machine) == "table" and type(results) == "table", true)
t.equal("results did not overwrite machine's variables", vars.guest_RIP, g.off.v86_entry)
local tok, twhy = labs.try(6)
t.check("lab 6's try-this outcomes are the ones it announces", tok, twhy)
t.section()
return t.summary()
