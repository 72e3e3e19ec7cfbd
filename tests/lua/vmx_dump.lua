-- vmxlab-test: targets=bochs
-- Reading diagnostic state never changes it: after a failed VMLAUNCH (VMfailValid 7) vmx.dump()
-- leaves VM_INSTRUCTION_ERROR at 7, and the fields it decides to show (from the capability MSRs,
-- vmx/field_support.hpp) are exactly those a probing VMREAD finds. INVEPT/INVVPID with a supported
-- type and an invalid operand say the operand is invalid. vmx_dump_penryn.lua: the same on penryn.
local t = dofile("vmx_report.lua")
local vmxlib = require "vmxlib"

t.vmx_off()

t.section("dump after VMfailValid(7) keeps VM_INSTRUCTION_ERROR", function()
  vmxlib.guest64("cpuid_hlt_vmcall")
  assert(vmx.vmwrite("PIN_BASED_VM_EXEC_CONTROL", 0))     -- default1 bits 1, 2, 4 cleared
  local e, msg, code = vmx.vmlaunch()
  t.fails("vmlaunch with PIN_BASED_VM_EXEC_CONTROL 0", "PIN_BASED_VM_EXEC_CONTROL", 7, e, msg, code)
  local shown = vmx.dump()
  t.check(type(shown) == "number" and shown > 100, "dump showed the fields", shown)
  t.eq(vmx.vmread("VM_INSTRUCTION_ERROR"), 7, "VM_INSTRUCTION_ERROR is still 7 after the dump")
  -- The same set by probing (which does overwrite the error: done last).
  local probed = 0
  for name in pairs(vmx.fields) do
    if not name:match("_HIGH$") and vmx.vmread(name) ~= nil then probed = probed + 1 end
  end
  t.eq(shown, probed, "fields shown = fields a VMREAD can read (no field missed, none probed)")
end)

t.section("INVEPT/INVVPID: an invalid operand is named as such", function()
  local c = assert(vmx.caps())
  local ept = c.ept_vpid
  if not (ept and ept.invvpid and ept.invvpid_single_context) then
    t.skip("INVVPID single-context", "this CPU has no single-context INVVPID (IA32_VMX_EPT_VPID_CAP)")
  else
    local ok, msg, code = vmx.invvpid(1, 0)
    t.fails("invvpid(1, 0)", "VPID 0 is invalid for INVVPID type 1", 28, ok, msg, code)
    t.eq(vmx.invvpid(1, 1), true, "invvpid(1, 1) succeeds")
  end
  if not (ept and ept.invept and ept.invept_single_context) then
    t.skip("INVEPT single-context", "this CPU has no single-context INVEPT (IA32_VMX_EPT_VPID_CAP)")
  else
    local ok, msg, code = vmx.invept(1, 0)
    t.fails("invept(1, 0)", "EPTP 0x0 is invalid: page-walk length 1", 28, ok, msg, code)
  end
  local ok, msg, code = vmx.invept(3, 0)
  t.fails("invept(3, 0)", "INVEPT type 3 does not exist: the types are 1 (single-context) and 2 (all-context)", 28, ok, msg, code)
end)

t.vmx_off()
t.done()
