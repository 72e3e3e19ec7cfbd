-- vmxlab-test: targets=bochs
-- Lab 3 (pre-VMX operation, "Pre-VMX Operation") under Bochs: the fixed-bit MSRs, VMXON's #UD without
-- CR4.VMXE and #GP with CR0.NE clear, #GP for breaking a fixed bit in VMX operation, the lock.
local t = dofile("vmx_report.lua")
local labs = require "labs"

t.section("lab 3", function()
  local cr0 = cpu.cr0()
  local ok, why = lab(3)
  t.check(ok, "lab(3) returns true: every fact held", why)
  local v = labs.last.v
  t.eq(fixed.cr0_fixed0, cpu.rdmsr(0x486), "CR0 FIXED0 as read from MSR 0x486")
  t.eq(fixed.cr4_fixed0, cpu.rdmsr(0x488), "CR4 FIXED0 as read from MSR 0x488")
  t.check(v.cr0_fixed0 & 0x80000021 == 0x80000021, "PE, NE, PG are fixed to 1")
  t.has(v.vmxon_ne_msg, "#GP", "VMXON with CR0.NE = 0: #GP")
  t.has(v.vmxon_ne_msg, "NE", "... and the message names NE")
  t.eq(cpu.cr0(), cr0, "CR0 is restored")
  t.eq(vmx.state(), "off", "VMX is off at the end")
  t.eq(cpu.rdmsr(0x3A) & 5, 5, "IA32_FEATURE_CONTROL is still locked and enabled")
  local tok, twhy = labs.try(3)
  t.check(tok, "lab 3's try-this outcomes are the ones it announces", twhy)
  t.eq(cpu.cr0(), cr0, "CR0 is still restored after the exercises")
end)
t.done()
