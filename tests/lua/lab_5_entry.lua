-- vmxlab-test: targets=bochs
-- Lab 5 (entry controls, MSR-load area, event injection, "VMX Entry Control fields") under Bochs: legal entry
-- controls with IA-32e mode guest = 0, the guest's RDMSR sees the MSR-load area's value while
-- the host keeps its own, an injected #GP (0x80000B0D) runs the V86 guest's #GP handler.
local t = dofile("vmx_report.lua")
local labs = require "labs"
local vm = require "labs_vm"

t.section("lab 5", function()
  local star = cpu.rdmsr(0xC0000081)
  local ok, why = lab(5)
  t.check(ok, "lab(5) returns true: every fact held", why)
  local v = labs.last.v
  t.eq(v.entry_controls & 0x200, 0, "entry controls: IA-32e mode guest (bit 9) clear")
  t.eq(v.entry_controls & 0xC00, 0, "entry controls: bits 10 and 11 clear")
  t.eq(v.msr_exit, 18, "MSR-load guest: exit 18 (VMCALL)")
  t.eq(v.guest_star, 0x0023001000C0FFEE, "the guest's RDMSR saw the MSR-load value")
  t.eq(cpu.rdmsr(0xC0000081), star, "the host's IA32_STAR is back after the exit")
  t.eq(v.inject_exit, 12, "injected #GP: first exit is the handler's HLT (12)")
  t.eq(v.gp_count, 1, "the guest's #GP handler ran once")
  t.eq(mem.read32(g.gp_error), 0, "... seeing error code 0")
  t.eq(mem.read32(g.gp_cs), g.segment, "... interrupting CS = the V86 segment")
  t.eq(v.after_inject_exit, 18, "then the V86 task ran to its VMCALL (18)")
  t.has(v.after_inject_said, "Hello from Guest VM", "the guest's message on COM1")
  local tok, twhy = labs.try(5)
  t.check(tok, "lab 5's try-this outcomes are the ones it announces", twhy)
  t.has(vm.transcript(g), "Hello from Guest VM", "the last exercise's guest said hello")
end)
t.done()
