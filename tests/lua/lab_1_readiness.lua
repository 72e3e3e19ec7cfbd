-- vmxlab-test: targets=bochs
-- Lab 1 (CPU readiness, "Our planned VMX demo") under Bochs: every fact the lab asserts holds, the values
-- it measured agree with the hardware read here independently, and its try-this outcomes match.
-- lab_all_penryn.lua runs this file again on core2_penryn_t9600.
local t = dofile("vmx_report.lua")
local labs = require "labs"

t.section("lab 1", function()
  local ok, why = lab(1)
  t.check(ok, "lab(1) returns true: every fact held", why)
  local v = labs.last.v
  t.eq(v.vmx, true, "it saw CPUID.1:ECX[5] = 1")
  t.eq(v.feature_control, cpu.rdmsr(0x3A), "it read IA32_FEATURE_CONTROL as the CPU reports it")
  t.check(v.feature_control & 5 == 5, "IA32_FEATURE_CONTROL: lock and VMX outside SMX")
  t.check(v.cr0 & 0x80000021 == 0x80000021, "CR0 has PE, NE, PG")
  t.check(cpu.inb(0x92) & 2 == 2, "A20 is on after the lab (port 0x92 bit 1)")
  t.eq(cpu.inb(0x92) & ~2, v.port92_before & ~2, "port 0x92's other bits are as before")
  t.check(vmx.state() == "off", "lab 1 leaves VMX alone (CR4.VMXE as it found it, VMX off)")
  local tok, twhy = labs.try(1)
  t.check(tok, "lab 1's try-this outcomes are the ones it announces", twhy)
end)
t.done()
