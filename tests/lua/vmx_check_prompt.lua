-- vmxlab-test: targets=bochs
-- The VM-entry checker at the prompt (SDM 325462-080US numbering, docs/sdm.md): a failed
-- VMLAUNCH of each class -- VMfailValid 7, VMfailValid 8, exit 33, exit 34 -- comes back with the
-- checker's rule id and the field's name; a VMCS whose first VM exit would abort is refused (nil,
-- the finding, a message) and the machine survives; vmx.check() lists findings, narrows by area,
-- prints readably and rejects a bad area; vmx.dump() after a failed launch keeps
-- VM_INSTRUCTION_ERROR.
local t = dofile("vmx_report.lua")
local vmxlib = require "vmxlib"

t.vmx_off()

local function fresh() vmxlib.guest64("cpuid_hlt_vmcall") end

t.section("a valid VMCS: no findings", function()
  fresh()
  local f = assert(vmx.check())
  t.eq(#f, 0, "vmx.check() finds nothing in vmxlib.guest64's VMCS")
  t.eq(tostring(f), "no findings: the checker expects this VM entry to succeed", "... and says so")
  local ok, err = pcall(vmx.check, "bogus")
  t.check(not ok, "vmx.check('bogus') raises")
  t.has(err, "bad argument #1 to 'check' (area must be", "... a bad-argument error")
end)

t.section("VMfailValid 7: rule and field named", function()
  fresh()
  assert(vmx.vmwrite("PIN_BASED_VM_EXEC_CONTROL", 0))
  local f = assert(vmx.check("controls"))
  t.eq(f[1] and f[1].id, "controls.pin", "vmx.check('controls') names controls.pin")
  t.eq(f[1] and f[1].class, "VMfailValid 7", "... class VMfailValid 7")
  t.check(f[1] and f[1].fields.PIN_BASED_VM_EXEC_CONTROL ~= nil, "... with the field and its value")
  t.has(tostring(f[1]), "controls.pin (SDM 27.2.1.1)", "a finding prints with its id and section")
  local e, msg, code = vmx.vmlaunch()
  t.fails("vmlaunch", "checker: controls.pin", 7, e, msg, code)
  t.has(msg, "PIN_BASED_VM_EXEC_CONTROL", "... names the field")
  vmx.dump("controls")
  t.eq(vmx.vmread("VM_INSTRUCTION_ERROR"), 7, "vmx.dump() left VM_INSTRUCTION_ERROR at 7")
end)

t.section("VMfailValid 8: rule and field named", function()
  fresh()
  assert(vmx.vmwrite("HOST_TR_SELECTOR", 0))
  local e, msg, code = vmx.vmlaunch()
  t.fails("vmlaunch", "checker: host.tr.null", 8, e, msg, code)
  t.has(msg, "HOST_TR_SELECTOR", "... names the field")
end)

t.section("exit 33: rule and field named", function()
  fresh()
  assert(vmx.vmwrite("GUEST_SS_SELECTOR", 0x13))
  assert(vmx.vmwrite("HOST_TR_SELECTOR", vmx.vmread("HOST_TR_SELECTOR")))
  local g = assert(vmx.check("guest"))
  t.eq(g[1] and g[1].id, "guest.ss.rpl", "vmx.check('guest') names guest.ss.rpl")
  local e = vmx.vmlaunch()
  t.eq(e and e.reason, 33, "VM-entry failure, exit reason 33")
  t.has(e and e.hint, "checker: guest.ss.rpl", "e.hint is the checker's finding")
  t.has(e and e.hint, "GUEST_SS_SELECTOR", "... naming the field")
  t.has(tostring(e), "guest.ss.rpl", "the record prints it")
end)

t.section("exit 34: rule and entry named", function()
  fresh()
  local page = assert(mem.alloc(4096))
  assert(mem.write32(page, 0xC0000100))                    -- IA32_FS_BASE may not be loaded (27.4)
  assert(vmx.vmwrite("VM_ENTRY_MSR_LOAD_ADDR", page))
  assert(vmx.vmwrite("VM_ENTRY_MSR_LOAD_COUNT", 1))
  local e = vmx.vmlaunch()
  t.eq(e and e.reason, 34, "VM-entry failure, exit reason 34")
  t.has(e and e.hint, "checker: msr_load.fs_gs_base", "e.hint is the checker's finding")
  t.has(e and e.hint, "VM_ENTRY_MSR_LOAD_ADDR", "... naming the area")
  mem.free(page)
end)

t.section("would-abort: refused, the prompt survives", function()
  fresh()
  local page = assert(mem.alloc(4096))
  assert(mem.write32(page, 0x174))
  assert(mem.write32(page + 4, 1))                         -- reserved bits 63:32 of the entry
  assert(vmx.vmwrite("VM_EXIT_MSR_LOAD_ADDR", page))
  assert(vmx.vmwrite("VM_EXIT_MSR_LOAD_COUNT", 1))
  local e, finding, msg = vmx.vmlaunch()
  t.eq(e, nil, "vmlaunch refuses")
  t.eq(type(finding) == "table" and finding.id, "abort.exit_msr_load.reserved", "... returning the finding")
  t.has(msg, "would cause a VMX abort", "... and a message")
  t.has(msg, "allow_abort", "... that names the option to insist")
  t.eq(vmx.vmread("VM_INSTRUCTION_ERROR"), 0, "nothing was executed")
  assert(vmx.vmwrite("VM_EXIT_MSR_LOAD_COUNT", 0))
  e = vmx.vmlaunch()
  t.eq(e and e.reason, 10, "with the list emptied the same VMCS enters (CPUID exit)")
  mem.free(page)
end)

t.vmx_off()
t.done()
