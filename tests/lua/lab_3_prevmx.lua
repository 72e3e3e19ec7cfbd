-- vmxlab-test: targets=bochs
-- Lab 3 (pre-VMX operation, "Pre-VMX Operation") under Bochs: the fixed-bit MSRs, VMXON's #UD without
-- CR4.VMXE and #GP with CR0.NE clear, #GP for breaking a fixed bit in VMX operation, the lock.
local t = require "testlib"
local labs = require "labs"

t.section("lab 3")
local cr0 = cpu.cr0()
local ok, why = lab(3)
t.check("lab(3) returns true: every fact held", ok, why)
local v = labs.last.v
t.equal("CR0 FIXED0 as read from MSR 0x486", fixed.cr0_fixed0, cpu.rdmsr(0x486))
t.equal("CR4 FIXED0 as read from MSR 0x488", fixed.cr4_fixed0, cpu.rdmsr(0x488))
t.check("PE, NE, PG are fixed to 1", v.cr0_fixed0 & 0x80000021 == 0x80000021)
t.contains("VMXON with CR0.NE = 0: #GP", v.vmxon_ne_msg, "#GP")
t.contains("... and the message names NE", v.vmxon_ne_msg, "NE")
t.equal("CR0 is restored", cpu.cr0(), cr0)
t.equal("VMX is off at the end", vmx.state(), "off")
t.equal("IA32_FEATURE_CONTROL is still locked and enabled", cpu.rdmsr(0x3A) & 5, 5)
local tok, twhy = labs.try(3)
t.check("lab 3's try-this outcomes are the ones it announces", tok, twhy)
t.equal("CR0 is still restored after the exercises", cpu.cr0(), cr0)
t.section()
return t.summary()
