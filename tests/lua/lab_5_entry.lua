-- vmxlab-test: targets=bochs
-- Lab 5 (entry controls, MSR-load area, event injection, "VMX Entry Control fields") under Bochs: legal entry
-- controls with IA-32e mode guest = 0, the guest's RDMSR sees the MSR-load area's value while
-- the host keeps its own, an injected #GP (0x80000B0D) runs the V86 guest's #GP handler.
local t = require "testlib"
local labs = require "labs"
local vm = require "labs_vm"

t.section("lab 5")
local star = cpu.rdmsr(0xC0000081)
local ok, why = lab(5)
t.check("lab(5) returns true: every fact held", ok, why)
local v = labs.last.v
t.equal("entry controls: IA-32e mode guest (bit 9) clear", v.entry_controls & 0x200, 0)
t.equal("entry controls: bits 10 and 11 clear", v.entry_controls & 0xC00, 0)
t.equal("MSR-load guest: exit 18 (VMCALL)", v.msr_exit, 18)
t.equal("the guest's RDMSR saw the MSR-load value", v.guest_star, 0x0023001000C0FFEE)
t.equal("the host's IA32_STAR is back after the exit", cpu.rdmsr(0xC0000081), star)
t.equal("injected #GP: first exit is the handler's HLT (12)", v.inject_exit, 12)
t.equal("the guest's #GP handler ran once", v.gp_count, 1)
t.equal("... seeing error code 0", mem.read32(g.gp_error), 0)
t.equal("... interrupting CS = the V86 segment", mem.read32(g.gp_cs), g.segment)
t.equal("then the V86 task ran to its VMCALL (18)", v.after_inject_exit, 18)
t.contains("the guest's message on COM1", v.after_inject_said, "Hello from Guest VM")
local tok, twhy = labs.try(5)
t.check("lab 5's try-this outcomes are the ones it announces", tok, twhy)
t.contains("the last exercise's guest said hello", vm.transcript(g), "Hello from Guest VM")
t.section()
return t.summary()
