-- vmxlab-test: targets=bochs
-- Guests and VM exits (SDM 27-28): the round-trip guest exits with CPUID, HLT and VMCALL in this
-- order with lengths 2, 1, 3 and sees the register edits made between exits; exit
-- qualifications decode (I/O, CR access, an exception); failed VM entries come back decoded
-- (VMfailValid 7 and 8; exit reasons 33 and 34 with bit 31); the budget (VMX-preemption timer)
-- stops a guest that never exits; the Lua and C++ round trips are measured.
-- vmx_guest_penryn.lua repeats it on core2_penryn_t9600 (no preemption timer).
local t = dofile("vmx_report.lua")
local vmxlib = require "vmxlib"
local ctl = vmx.ctl
local caps = assert(vmx.caps())

t.vmx_off()

t.section("round trip: CPUID, HLT, VMCALL", function()
  local s = vmxlib.guest64("cpuid_hlt_vmcall")
  local base = s.guest.entry
  vmx.regs.rcx = 0x1234
  local e = vmx.vmlaunch()
  t.eq(e and e.reason, 10, "first exit: CPUID (10)")
  t.eq(e.name, "CPUID", "... named CPUID")
  t.eq(e.len, 2, "... instruction length 2")
  t.eq(e.rip, base + 2, "... at the guest's CPUID")
  t.eq(e.entry_failure, false, "... not an entry failure")
  t.has(tostring(e), "VM exit 10 CPUID at RIP", "... prints decoded")
  t.eq(vmx.regs.rip, e.rip, "vmx.regs.rip is GUEST_RIP")
  t.eq(vmx.vmread("VM_INSTRUCTION_ERROR"), 0, "reading the exit information left VM_INSTRUCTION_ERROR at 0")
  t.eq(vmx.regs.rcx, 0x1234, "vmx.regs.rcx kept across the exit (xor eax,eax left rcx alone)")
  t.eq(vmx.skip(), base + 4, "vmx.skip steps over it")
  e = vmx.vmresume()
  t.eq(e and e.reason, 12, "second exit: HLT (12)")
  t.eq(e.len, 1, "... length 1")
  vmx.skip()
  e = vmx.vmresume()
  t.eq(e and e.reason, 18, "third exit: VMCALL (18)")
  t.eq(e.len, 3, "... length 3")
  t.eq(vmx.regs.rax, 40, "the guest set RAX = 40")
  vmx.regs.rbx = 2                      -- the guest adds RBX to RAX, then VMCALLs again
  vmx.skip()
  e = vmx.vmresume()
  t.eq(e and e.reason, 18, "fourth exit: VMCALL again")
  t.eq(vmx.regs.rax, 42, "the guest saw the host's RBX: RAX = 40 + 2")
  vmx.regs.rip = base                   -- rip maps to GUEST_RIP: start over
  e = vmx.vmresume()
  t.eq(e and e.reason, 10, "writing vmx.regs.rip restarts the guest at its CPUID")
  local seen = {}
  for k in pairs(vmx.regs) do seen[#seen + 1] = k end
  t.eq(#seen, 18, "pairs(vmx.regs) lists rax..r15, rip, rsp, rflags")
end)

t.section("a Lua VMM loop (vmxlib.run)", function()
  vmxlib.guest64("cpuid_hlt_vmcall")
  local reasons = {}
  local last = vmxlib.run(function(e)
    reasons[#reasons + 1] = e.reason
    if e.reason == 18 then vmx.regs.rbx = 2 end
    vmx.skip()
    return #reasons < 4
  end)
  t.eq(table.concat(reasons, ","), "10,12,18,18", "exits 10, 12, 18, 18 in order")
  t.eq(last and last.reason, 18, "run returns the last exit")
  t.eq(vmx.regs.rax, 42, "RAX = 42")
end)

t.section("qualifications: I/O, CR access, exception", function()
  vmxlib.guest64("io_cr", { cpu = ctl.cpu.HLT_EXITING | ctl.cpu.UNCOND_IO_EXITING
                                   | ctl.cpu.CR3_LOAD_EXITING | ctl.cpu.CR3_STORE_EXITING })
  local e = vmx.vmlaunch()
  t.eq(e and e.reason, 30, "OUT exits with IO_INSTRUCTION (30)")
  t.has(tostring(e), "OUT 1 byte to port 0x0080 (DX)", "... qualification decoded")
  vmx.skip()
  e = vmx.vmresume()
  t.eq(e and e.reason, 28, "MOV from CR3 exits with CR_ACCESS (28)")
  t.has(tostring(e), "MOV from CR3 to RAX", "... qualification decoded")
  vmx.skip()
  e = vmx.vmresume()
  t.eq(e and e.reason, 28, "MOV to CR3 exits with CR_ACCESS (28)")
  t.has(tostring(e), "MOV to CR3 from RAX", "... qualification decoded")
  vmx.skip()
  e = vmx.vmresume()
  t.eq(e and e.reason, 0, "UD2 exits with EXCEPTION_NMI (0): EXCEPTION_BITMAP is all ones")
  t.eq(e.intr_info & 0x800007FF, 0x80000306, "... VM_EXIT_INTR_INFO: valid, hardware exception, vector 6")
  t.has(tostring(e), "#UD", "... decoded as #UD")
  vmx.regs.rip = e.rip + 2
  e = vmx.vmresume()
  t.eq(e and e.reason, 18, "then VMCALL")
end)

t.section("failed entries: VMfailValid 7 and 8", function()
  vmxlib.guest64("cpuid_hlt_vmcall")
  local pin = vmx.vmread("PIN_BASED_VM_EXEC_CONTROL")
  assert(vmx.vmwrite("PIN_BASED_VM_EXEC_CONTROL", 0))  -- clears the default1 bits 1, 2, 4
  local ok, msg, code = vmx.vmlaunch()
  t.fails("vmlaunch with illegal pin-based controls", "VMfailValid(7): VM entry with invalid control field(s)", 7, ok, msg, code)
  t.has(msg, "checker: controls.pin", "the cause is the checker's rule for the pin-based controls")
  t.has(msg, "lacks bits 0x16", "... naming the bits the CPU requires")
  assert(vmx.vmwrite("PIN_BASED_VM_EXEC_CONTROL", pin))
  local cr4 = vmx.vmread("HOST_CR4")
  assert(vmx.vmwrite("HOST_CR4", cr4 & ~0x2000))
  ok, msg, code = vmx.vmlaunch()
  t.fails("vmlaunch with HOST_CR4.VMXE = 0", "VMfailValid(8): VM entry with invalid host-state field(s)", 8, ok, msg, code)
  t.has(msg, "HOST_CR4", "the cause names HOST_CR4")
  assert(vmx.vmwrite("HOST_CR4", cr4))
  t.eq(vmx.state(), "current", "still not launched")
  local e = vmx.vmlaunch()
  t.eq(e and e.reason, 10, "with both fixed the guest runs")
end)

t.section("failed entries: exit reasons 33 and 34", function()
  vmxlib.guest64("cpuid_hlt_vmcall")
  assert(vmx.vmwrite("GUEST_RFLAGS", 0))                 -- bit 1 must be 1 (27.3.1.4)
  local e = vmx.vmlaunch()
  t.check(e ~= nil, "vmlaunch returns an exit record", e)
  t.eq(e.entry_failure, true, "... marked as an entry failure")
  t.eq(e.reason, 33, "... basic reason 33 (invalid guest state)")
  t.eq(e.exit_reason, 0x80000021, "... VM_EXIT_REASON 0x80000021 (bit 31 set)")
  t.has(tostring(e), "VM-entry failure, exit reason 33 INVALID_STATE", "... printed decoded")
  t.has(e.hint, "checker: guest.rflags.bit1", "... and the checker names the rule")
  t.has(e.hint, "GUEST_RFLAGS 0x0 has bit 1 = 0", "... and the culprit")
  t.eq(vmx.state(), "current", "a failed entry does not launch the VMCS")
  assert(vmx.vmwrite("GUEST_RFLAGS", 2))
  local ar = vmx.vmread("GUEST_TR_AR_BYTES")
  assert(vmx.vmwrite("GUEST_TR_AR_BYTES", 0x89))          -- an available, not busy, TSS
  e = vmx.vmlaunch()
  t.eq(e and e.exit_reason, 0x80000021, "TR not busy: exit reason 33 with bit 31")
  t.has(e and e.hint, "GUEST_TR_AR_BYTES", "... the hint names GUEST_TR_AR_BYTES")
  assert(vmx.vmwrite("GUEST_TR_AR_BYTES", ar))
  -- One VM-entry MSR-load entry for IA32_FS_BASE, which the list may not load (27.4: the VMCS
  -- has its own field): the entry fails with reason 34, qualification = the entry's number.
  local area = assert(mem.alloc(4096))
  assert(mem.write32(area, 0xC0000100))                  -- MSR index; value at +8 stays 0
  assert(vmx.vmwrite("VM_ENTRY_MSR_LOAD_ADDR", area))
  assert(vmx.vmwrite("VM_ENTRY_MSR_LOAD_COUNT", 1))
  e = vmx.vmlaunch()
  t.eq(e and e.exit_reason, 0x80000022, "a bad MSR-load entry: exit reason 34 with bit 31")
  t.eq(e and e.qualification, 1, "... qualification: entry 1 failed")
  t.has(tostring(e), "entry 1 of the VM-entry MSR-load area failed", "... printed decoded")
  assert(vmx.vmwrite("VM_ENTRY_MSR_LOAD_COUNT", 0))
  e = vmx.vmlaunch()
  t.eq(e and e.reason, 10, "fixed, the guest runs")
end)

t.section("budget: the VMX-preemption timer", function()
  vmxlib.guest64("spin")
  if caps.preemption_timer then
    local e = vmx.vmlaunch(20000)
    t.eq(e and e.reason, 52, "a spinning guest with a budget exits with PREEMPTION_TIMER (52)")
    t.eq(e.budget, true, "... the record says the budget ran out")
    t.has(tostring(e), "budget used up", "... and prints so")
    t.eq(vmx.vmread("PIN_BASED_VM_EXEC_CONTROL") & ctl.pin.PREEMPTION_TIMER, 0,
         "the user's pin-based controls are restored")
    e = vmx.vmresume(1000)
    t.eq(e and e.reason, 52, "vmresume with a budget exits again")
  else
    local ok, msg = vmx.vmlaunch(20000)
    t.fails("a budget without the preemption timer", "IA32_VMX_PINBASED_CTLS allowed-1 bit 6 = 0", nil, ok, msg)
  end
end)

t.section("benchmark: round trips through Lua and C++", function()
  local lua, cpp = vmxlib.bench(200)
  print(string.format("round trip (guest CPUID -> exit -> skip -> resume): Lua %.0f, C++ %.0f TSC ticks "
                      .. "(instructions in Bochs)", lua, cpp))
  -- The figures against issue 4's targets (2000 / 150) are ./vmxlab bench's to print; a test
  -- only checks that both paths ran and compare as they must.
  t.check(cpp > 0 and lua > cpp, "the Lua round trip costs more than the C++ one")
end)

t.done()
