-- vmxlab-test: targets=bochs
-- Lab 4 (field encodings, vmwrite/vmread, "Setup for VM launch") under Bochs: 0x400A and 0x4402 decoded,
-- vmwrite 2 / vmread 2, a write to the read-only exit reason as IA32_VMX_MISC[29] predicts.
local t = dofile("vmx_report.lua")
local labs = require "labs"

t.section("lab 4", function()
  local ok, why = lab(4)
  t.check(ok, "lab(4) returns true: every fact held", why)
  local v = labs.last.v
  local p = v.cr3_target_parts
  t.check(p.width == 2 and p.type == 0 and p.index == 5 and p.access == 0, "0x400A: width 32-bit, control, index 5, full")
  p = v.exit_reason_parts
  t.check(p.width == 2 and p.type == 1 and p.index == 1 and p.access == 0, "0x4402: width 32-bit, read-only, index 1, full")
  t.eq(v.cr3_target_count, 2, "vmwrite(0x400A, 2) read back 2")
  local misc29 = (cpu.rdmsr(0x485) >> 29) & 1 == 1
  t.eq(v.misc29, misc29, "the lab read IA32_VMX_MISC[29]")
  if misc29 then
    t.eq(v.write_ro_ok, true, "MISC[29] = 1: the write to VM_EXIT_REASON succeeded")
  else
    t.eq(v.write_ro_code, 13, "MISC[29] = 0: the write to VM_EXIT_REASON failed with error 13")
  end
  t.eq(vmx.vmptrst(), vmcs, "the VMCS is left current")
  local tok, twhy = labs.try(4)
  t.check(tok, "lab 4's try-this outcomes are the ones it announces", twhy)
  t.eq(vmx.vmread(0x400A), 3, "the exercise wrote 3 into the CR3-target count")
end)
t.done()
