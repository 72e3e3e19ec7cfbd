-- vmxlab-test: targets=bochs
-- Lab 2 (VMXON, "More on VMXON") under Bochs: the revision id comes from MSR 0x480 (not the slide's 7),
-- an unaligned region and a wrong revision id give VMfailInvalid, VMXON succeeds, VMXOFF leaves.
local t = dofile("vmx_report.lua")
local labs = require "labs"

t.section("lab 2", function()
  local ok, why = lab(2)
  t.check(ok, "lab(2) returns true: every fact held", why)
  local v = labs.last.v
  local rev = cpu.rdmsr(0x480) & 0x7FFFFFFF
  t.eq(v.revision_id, rev, "the revision id is IA32_VMX_BASIC[30:0]")
  t.check(v.revision_id ~= 7, "... and not the slide's 7")
  t.eq(revision_id, rev, "the global revision_id is left for the student")
  t.eq(mem.read32(vmxon_region), rev, "vmxon_region holds it in its first dword")
  t.eq(vmxon_region % 4096, 0, "vmxon_region is 4 KiB aligned")
  t.has(v.unaligned, "VMfailInvalid", "an unaligned region: VMfailInvalid")
  t.has(v.wrong_revision, "VMfailInvalid", "revision id 7: VMfailInvalid")
  t.eq(vmx.state(), "off", "VMX is off at the end")
  t.check(cpu.cr4() & 0x2000 ~= 0, "CR4.VMXE stays set")
  local tok, twhy = labs.try(2)
  t.check(tok, "lab 2's try-this outcomes are the ones it announces", twhy)
  t.eq(vmx.state(), "off", "after the exercises VMX is off again")
end)
t.done()
