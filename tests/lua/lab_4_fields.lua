-- vmxlab-test: targets=bochs
-- Lab 4 (field encodings, vmwrite/vmread, "Setup for VM launch") under Bochs: 0x400A and 0x4402 decoded,
-- vmwrite 2 / vmread 2, a write to the read-only exit reason as IA32_VMX_MISC[29] predicts.
local t = require "testlib"
local labs = require "labs"

t.section("lab 4")
local ok, why = lab(4)
t.check("lab(4) returns true: every fact held", ok, why)
local v = labs.last.v
local p = v.cr3_target_parts
t.check("0x400A: width 32-bit, control, index 5, full", p.width == 2 and p.type == 0 and p.index == 5 and p.access == 0)
p = v.exit_reason_parts
t.check("0x4402: width 32-bit, read-only, index 1, full", p.width == 2 and p.type == 1 and p.index == 1 and p.access == 0)
t.equal("vmwrite(0x400A, 2) read back 2", v.cr3_target_count, 2)
local misc29 = (cpu.rdmsr(0x485) >> 29) & 1 == 1
t.equal("the lab read IA32_VMX_MISC[29]", v.misc29, misc29)
if misc29 then
  t.equal("MISC[29] = 1: the write to VM_EXIT_REASON succeeded", v.write_ro_ok, true)
else
  t.equal("MISC[29] = 0: the write to VM_EXIT_REASON failed with error 13", v.write_ro_code, 13)
end
t.equal("the VMCS is left current", vmx.vmptrst(), vmcs)
local tok, twhy = labs.try(4)
t.check("lab 4's try-this outcomes are the ones it announces", tok, twhy)
t.equal("the exercise wrote 3 into the CR3-target count", vmx.vmread(0x400A), 3)
t.section()
return t.summary()
