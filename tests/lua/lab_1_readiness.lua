-- vmxlab-test: targets=bochs
-- Lab 1 (CPU readiness, "Our planned VMX demo") under Bochs: every fact the lab asserts holds, the values
-- it measured agree with the hardware read here independently, and its try-this outcomes match.
-- lab_all_penryn.lua runs this file again on core2_penryn_t9600.
local t = require "testlib"
local labs = require "labs"

t.section("lab 1")
local ok, why = lab(1)
t.check("lab(1) returns true: every fact held", ok, why)
local v = labs.last.v
t.equal("it saw CPUID.1:ECX[5] = 1", v.vmx, true)
t.equal("it read IA32_FEATURE_CONTROL as the CPU reports it", v.feature_control, cpu.rdmsr(0x3A))
t.check("IA32_FEATURE_CONTROL: lock and VMX outside SMX", v.feature_control & 5 == 5)
t.check("CR0 has PE, NE, PG", v.cr0 & 0x80000021 == 0x80000021)
t.check("A20 is on after the lab (port 0x92 bit 1)", cpu.inb(0x92) & 2 == 2)
t.equal("port 0x92's other bits are as before", cpu.inb(0x92) & ~2, v.port92_before & ~2)
t.check("lab 1 leaves VMX alone (CR4.VMXE as it found it, VMX off)", vmx.state() == "off")
local tok, twhy = labs.try(1)
t.check("lab 1's try-this outcomes are the ones it announces", tok, twhy)
t.section()
return t.summary()
