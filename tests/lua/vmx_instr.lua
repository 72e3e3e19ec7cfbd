-- vmxlab-test: targets=bochs
-- VMX instructions one at a time, the negative cases of kvm-unit-tests' x86/vmx.c (test_vmxon,
-- test_vmptrld, test_vmclear, test_vmptrst, test_vmwrite_vmread, test_vmcs_lifecycle): each
-- outcome is checked in its decoded form -- "VMfailInvalid", "VMfailValid(n): text", "vmxon:
-- #GP(0)" -- and so is the likely cause vmxlab adds. Runs on any Bochs model with VMX
-- (vmx_instr_penryn.lua repeats it on core2_penryn_t9600).
local t = dofile("vmx_report.lua")
local CR4_VMXE, CR0_NE = 0x2000, 0x20
local caps = assert(vmx.caps())
local revision = caps.basic.revision_id

t.vmx_off()

t.section("regions", function()
  local r = assert(vmx.region())
  t.eq(r & 0xFFF, 0, "vmx.region() is 4 KiB aligned")
  t.eq(mem.read32(r), revision, "vmx.region() holds the revision id from IA32_VMX_BASIC")
  t.eq(mem.read32(r) , cpu.rdmsr(0x480) & 0x7FFFFFFF, "... which is MSR 0x480 bits 30:0")
  t.eq(vmx.state(), "off", "state is off before VMXON")
end)

t.section("vmxon: #UD with CR4.VMXE = 0", function()
  local r = assert(vmx.region())
  t.eq(cpu.cr4() & CR4_VMXE, 0, "CR4.VMXE is clear")
  t.fails("vmxon without CR4.VMXE", "vmxon: #UD", 6, vmx.vmxon(r))
  local _, msg = vmx.vmxon(r)
  t.has(msg, "CR4.VMXE = 0", "the cause names CR4.VMXE")
  t.fails("vmread outside VMX operation", "vmread: #UD", 6, vmx.vmread("GUEST_RIP"))
end)

t.section("vmxon: #GP with a CR0 fixed bit violated", function()
  local r = assert(vmx.region())
  assert(cpu.write_cr4(cpu.cr4() | CR4_VMXE))
  t.check(caps.cr0_fixed0 & CR0_NE ~= 0, "CR0.NE is fixed to 1 in VMX operation (IA32_VMX_CR0_FIXED0)")
  local cr0 = cpu.cr0()
  assert(cpu.write_cr0(cr0 & ~CR0_NE))
  local ok, msg, code = vmx.vmxon(r)
  assert(cpu.write_cr0(cr0))
  t.fails("vmxon with CR0.NE = 0", "vmxon: #GP(0)", 13, ok, msg, code)
  t.has(msg, "NE", "the cause names CR0.NE")
  t.eq(vmx.state(), "off", "still off")
end)

t.section("vmxon: bad regions", function()
  local r = assert(vmx.region())
  t.fails("vmxon with an unaligned region", "VMfailInvalid", nil, vmx.vmxon(r + 8))
  local _, msg = vmx.vmxon(r + 8)
  t.has(msg, "not 4 KiB aligned", "the cause says not aligned")
  local bad = assert(mem.alloc(4096))
  assert(mem.write32(bad, revision ~ 0x100))
  t.fails("vmxon with a wrong revision id", "VMfailInvalid", nil, vmx.vmxon(bad))
  _, msg = vmx.vmxon(bad)
  t.has(msg, "revision identifier", "the cause compares revision ids")
  t.eq(vmx.state(), "off", "still off")
end)

local vmxon_region
t.section("vmxon with a raw mem.alloc region", function()
  vmxon_region = assert(mem.alloc(4096))
  assert(mem.write32(vmxon_region, cpu.rdmsr(0x480) & 0x7FFFFFFF))
  t.eq(vmx.vmxon(vmxon_region), true, "vmxon succeeds")
  t.eq(vmx.state(), "root", "state is root")
  t.eq(vmx.vmptrst(), -1, "vmptrst: no current VMCS (all ones)")
  t.fails("vmxon twice without a current VMCS", "VMfailInvalid", nil, vmx.vmxon(vmxon_region))
  local _, msg = vmx.vmxon(vmxon_region)
  t.has(msg, "already on", "the cause says VMX is already on")
  t.fails("vmread without a current VMCS", "VMfailInvalid", nil, vmx.vmread("GUEST_RIP"))
  _, msg = vmx.vmread("GUEST_RIP")
  t.has(msg, "no current VMCS", "the cause says no current VMCS")
  t.fails("vmlaunch without a current VMCS", "VMfailInvalid", nil, vmx.vmlaunch())
end)

local vmcs
t.section("vmclear / vmptrld / vmptrst lifecycle", function()
  vmcs = assert(vmx.region())
  t.eq(vmx.vmclear(vmcs), true, "vmclear")
  t.eq(vmx.vmptrld(vmcs), true, "vmptrld")
  t.eq(vmx.vmptrst(), vmcs, "vmptrst returns the current VMCS")
  t.eq(vmx.state(), "current", "state is current")
  local other = assert(vmx.region())
  assert(vmx.vmclear(other))
  assert(vmx.vmptrld(other))
  t.eq(vmx.vmptrst(), other, "a second vmptrld switches the current VMCS")
  assert(vmx.vmclear(other))
  t.eq(vmx.vmptrst(), -1, "vmclear of the current VMCS leaves none current")
  assert(vmx.vmptrld(vmcs))
end)

-- From here on a VMCS is current, so failures are VMfailValid with a number.
t.section("vmxon twice", function()
  local ok, msg, code = vmx.vmxon(vmxon_region)
  t.fails("vmxon in VMX root operation", "VMfailValid(15): VMXON executed in VMX root operation", 15, ok, msg, code)
  t.eq(vmx.vmread("VM_INSTRUCTION_ERROR"), 15, "VM_INSTRUCTION_ERROR holds 15")
end)

t.section("vmptrld failures", function()
  t.fails("vmptrld of the VMXON region", "VMfailValid(10): VMPTRLD with VMXON pointer", 10, vmx.vmptrld(vmxon_region))
  local _, msg = vmx.vmptrld(vmxon_region)
  t.has(msg, "VMXON region", "the cause names the VMXON region")
  t.fails("vmptrld unaligned", "VMfailValid(9): VMPTRLD with invalid physical address", 9, vmx.vmptrld(vmcs + 0x10))
  local bad = assert(mem.alloc(4096))
  assert(mem.write32(bad, revision + 1))
  t.fails("vmptrld with a wrong revision id", "VMfailValid(11): VMPTRLD with incorrect VMCS revision identifier", 11, vmx.vmptrld(bad))
  _, msg = vmx.vmptrld(bad)
  t.has(msg, string.format("0x%08X", revision + 1), "the cause shows the region's revision id")
  t.eq(vmx.vmptrst(), vmcs, "the current VMCS did not change")
end)

t.section("vmclear failures", function()
  t.fails("vmclear of the VMXON region", "VMfailValid(3): VMCLEAR with VMXON pointer", 3, vmx.vmclear(vmxon_region))
  t.fails("vmclear unaligned", "VMfailValid(2): VMCLEAR with invalid physical address", 2, vmx.vmclear(vmcs + 1))
  local width = select(1, cpu.cpuid(0x80000008)) & 0xFF
  t.fails("vmclear beyond the physical-address width", "VMfailValid(2)", 2, vmx.vmclear(1 << width))
end)

t.section("vmread / vmwrite", function()
  t.eq(vmx.vmwrite("GUEST_RIP", 0x1234), true, "vmwrite by name")
  t.eq(vmx.vmread(0x681E), 0x1234, "vmread by encoding")
  t.eq(vmx.vmread("GUEST_RIP"), 0x1234, "vmread by name")
  t.eq(vmx.vmwrite("CR3_TARGET_COUNT", 0), true, "vmwrite by an SDM alias too")
  local ok, err = pcall(function() return vmx.vmwrite("GUEST_CRO", 1) end)
  t.check(not ok, "an unknown field name raises a Lua error")
  t.has(err, "bad argument #1 to 'vmwrite' (unknown VMCS field 'GUEST_CRO' (did you mean GUEST_CR0?))",
        "... naming the argument and the closest field")
  ok, err = pcall(vmx.vmread, {})
  t.check(not ok, "a table as field raises")
  t.fails("vmread of an unsupported field", "VMfailValid(12): VMREAD/VMWRITE from/to unsupported VMCS component",
          12, vmx.vmread(0x6FFE))
  local _, msg = vmx.vmread(0x6FFE)
  t.has(msg, "not a VMCS field encoding", "the cause says 0x6FFE is no field")
  t.fails("vmwrite of an unsupported field", "VMfailValid(12)", 12, vmx.vmwrite(0x6FFE, 0))
  t.eq(vmx.vmread("VM_INSTRUCTION_ERROR"), 12, "VM_INSTRUCTION_ERROR holds 12")
  -- IA32_VMX_MISC[29]: VMWRITE may write the VM-exit information fields (skylake: yes, penryn: no).
  if caps.misc.vmwrite_exit_info then
    t.eq(vmx.vmwrite("VM_EXIT_REASON", 0x1C), true, "vmwrite to VM_EXIT_REASON succeeds (IA32_VMX_MISC[29] = 1)")
    t.eq(vmx.vmread("VM_EXIT_REASON"), 0x1C, "... and reads back")
  else
    local ok2, msg2, code2 = vmx.vmwrite("VM_EXIT_REASON", 0x1C)
    t.fails("vmwrite to a read-only field (IA32_VMX_MISC[29] = 0)",
            "VMfailValid(13): VMWRITE to read-only VMCS component", 13, ok2, msg2, code2)
    t.has(msg2, "IA32_VMX_MISC[29] = 0", "the cause names IA32_VMX_MISC[29]")
  end
end)

t.section("vmresume / vmlaunch launch states", function()
  local fresh = assert(vmx.region())
  assert(vmx.vmclear(fresh))
  assert(vmx.vmptrld(fresh))
  local ok, msg, code = vmx.vmresume()
  t.fails("vmresume of a non-launched VMCS", "VMfailValid(5): VMRESUME with non-launched VMCS", 5, ok, msg, code)
  t.has(msg, "vmlaunch was never run on VMCS", "the cause says vmlaunch was never run")
  -- A launched VMCS: the round-trip guest, one exit.
  local vmxlib = require "vmxlib"
  vmxlib.guest64("cpuid_hlt_vmcall")
  local e = vmx.vmlaunch()
  t.check(e and e.reason == 10, "vmlaunch runs the guest to its CPUID exit", tostring(e))
  t.eq(vmx.state(), "launched", "state is launched")
  ok, msg, code = vmx.vmlaunch()
  t.fails("vmlaunch of a launched VMCS", "VMfailValid(4): VMLAUNCH with non-clear VMCS", 4, ok, msg, code)
  t.has(msg, "launched already", "the cause says it was launched already")
  vmx.skip()
  e = vmx.vmresume()
  t.check(e and e.reason == 12, "vmresume continues it (HLT exit)", tostring(e))
end)

t.section("invept / invvpid", function()
  if caps.ept_vpid and caps.ept_vpid.invvpid_all_context then
    -- All-context INVVPID needs no descriptor contents; it works in VMX root operation.
    t.eq(vmx.invvpid(2, 0), true, "invvpid all-context")
  else
    -- Real CPUs raise #UD; Bochs executes it anyway on models that do not report it.
    local ok, msg = vmx.invvpid(2, 0)
    t.skip("invvpid", "IA32_VMX_EPT_VPID_CAP does not report it; this CPU answered " .. tostring(ok or msg))
  end
  if caps.ept_vpid and caps.ept_vpid.invept_all_context then
    t.eq(vmx.invept(2, 0), true, "invept global")
    t.fails("invept with type 0 (reserved)", "VMfailValid(28)", 28, vmx.invept(0, 0))
  else
    local ok, msg = vmx.invept(2, 0)
    t.skip("invept", "IA32_VMX_EPT_VPID_CAP does not report it; this CPU answered " .. tostring(ok or msg))
  end
end)

t.section("vmxoff", function()
  t.eq(vmx.vmxoff(), true, "vmxoff")
  t.eq(vmx.state(), "off", "state is off")
  t.fails("vmxoff outside VMX operation", "vmxoff: #UD", 6, vmx.vmxoff())
  t.eq(vmx.disable(), true, "vmx.disable clears CR4.VMXE")
  t.eq(cpu.cr4() & CR4_VMXE, 0, "CR4.VMXE is clear")
end)

t.section("vmx.enable", function()
  local region = vmx.enable()
  t.check(region and region & 0xFFF == 0, "vmx.enable returns the VMXON region", region)
  t.eq(vmx.state(), "root", "state is root")
  t.eq(vmx.enable { quiet = true }, region, "enabling again reports the same region")
  t.eq(vmx.disable(), true, "vmx.disable")
end)

t.done()
