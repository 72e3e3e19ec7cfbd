-- vmxlab-test: targets=bochs
-- Lab 6 (the VMX demo, "Setup for VM launch" and "Our planned VMX demo") under Bochs: the V86 guest launched from machine[] says
-- "Hello from Guest VM" and the CR0 its SMSW saw, leaves with VMCALL; results[] agree; vmresume
-- runs it again; vmclear and vmxoff end it.
local t = dofile("vmx_report.lua")
local labs = require "labs"

t.section("lab 6", function()
  local ok, why = lab(6)
  t.check(ok, "lab(6) returns true: every fact held", why)
  local v = labs.last.v
  t.check(v.machine_size and v.machine_size > 80, "machine[] has guest, control and host entries", v.machine_size)
  t.eq(v.exit_reason, 18, "vmlaunch: exit reason 18 (VMCALL)")
  t.has(v.said, "Hello from Guest VM", "the guest's serial message")
  t.has(v.said, ("smsw: CR0 = 0x%04X"):format(vars.guest_CR0 & 0xFFFF), "... with the CR0 its SMSW saw")
  t.eq(v.results.reason, 18, "results[]: exit reason 18")
  t.eq(v.results.len, 3, "results[]: instruction length 3")
  t.eq(v.resume_reason, 18, "vmresume: VMCALL again")
  t.eq(vmx.state(), "off", "VMX is off at the end (vmclear, vmxoff)")
  t.eq(type(machine) == "table" and type(results) == "table", true, "machine[] and results[] stay in globals")
  t.eq(vars.guest_RIP, g.off.v86_entry, "results did not overwrite machine's variables")
  local tok, twhy = labs.try(6)
  t.check(tok, "lab 6's try-this outcomes are the ones it announces", twhy)
end)
t.done()
