-- Lab 5: VM-entry controls, the VM-entry MSR-load area, event injection ('VMX Entry Control fields')
-- 0x484/0x490 and what a legal entry-control value is; "IA-32e mode guest" (bit 9) as the guest
-- needs it, bits 10/11 clear; an MSR value for the guest different from the host's through the
-- VM-entry MSR-load area (0x200A/0x4014) -- and back through the VM-exit MSR-load area; a #GP
-- injected through 0x4016 = 0x80000B0D reaching the V86 guest's #GP handler.
-- Leaves: g (the guest image), machine, vars, msr_area, launch().
local labs = require "labs"
local vm = require "labs_vm"

local def = {
  n = 5, name = "entry", title = "VM-entry controls, MSR loading, event injection",
  seed = "'VMX Entry Control fields' (0x4012, 0x200A/0x4014, 0x4016 = 0x80000B0D); SDM 25.8, 27.4, 27.5",
  goal = "choose legal entry controls, give the guest its own MSR value, and inject a #GP into it",
  leaves = { "g", "machine", "vars", "msr_area", "launch" },
}

local IA32_STAR = 0xC0000081          -- not used by vmxlab (no SYSCALL): safe to change for a guest
local GUEST_STAR = 0x0023001000C0FFEE

function def.run(L)
  local ctl = vmx.ctl.entry
  L:step("What the CPU allows: IA32_VMX_ENTRY_CTLS (0x484), IA32_VMX_TRUE_ENTRY_CTLS (0x490)")
  local basic = assert(cpu.rdmsr(0x480))
  local msr = assert(cpu.rdmsr(0x484))
  local true_ctls = (basic >> 55) & 1 == 1
  L:show("IA32_VMX_ENTRY_CTLS (0x484)", hex(msr, 16))
  local use = msr
  if true_ctls then
    use = assert(cpu.rdmsr(0x490))
    L:show("IA32_VMX_TRUE_ENTRY_CTLS (0x490)", hex(use, 16), "IA32_VMX_BASIC[55] = 1: these rule")
  end
  local allowed0, allowed1 = use & 0xFFFFFFFF, use >> 32
  L:show("allowed-0 (low half: must be 1)", hex(allowed0, 8), labs.bit_list(allowed0, labs.ctl_names("entry")))
  L:show("allowed-1 (high half: may be 1)", hex(allowed1, 8))
  L:say("The unnamed bits are reserved 'default1' bits (SDM A.2): this CPU wants them 1.")
  L:say("A value is legal when allowed-0 <= value <= allowed-1 bit by bit ('Setup for VM launch', slide 17):",
        "(value | allowed-0) & allowed-1 == value.")

  L:step("The slide's recipe 'or eax, edx; btr eax, 10; btr eax, 11' against the SDM's")
  local slide = (msr & 0xFFFFFFFF | msr >> 32) & ~(1 << 10) & ~(1 << 11)
  local names = labs.ctl_names("entry")
  L:show("slide: allowed-0 | allowed-1, 10/11 cleared", hex(slide, 8), labs.bit_list(slide, names))
  L:say("OR-ing in allowed-1 turns on every optional control: bit 9 (IA-32e mode guest), the MSR",
        "loads (PAT, EFER, ...) whose guest fields we never wrote. Bit 9 must match the guest instead:",
        "1 for a 64-bit guest, 0 for our V86 and 32-bit guests. The SDM's way: (wanted | allowed-0) & allowed-1.")
  local entry, _, _, why = vmx.adjust("entry", 0)
  L:show("vmx.adjust('entry', 0)", hex(entry, 8), labs.bit_list(entry, names))
  L.v.entry_controls = entry
  L:fact("the value is legal for this CPU", entry | allowed0 == entry and entry & ~allowed1 == 0, why)
  L:fact("IA-32e mode guest (bit 9) = 0: the V86 guest is not a 64-bit guest", entry & ctl.IA32E_MODE == 0)
  L:fact("entry to SMM (bit 10) and deactivate dual-monitor (bit 11) are 0", entry & 0xC00 == 0)
  L:fact("the slide's value would have set bit 9", slide & ctl.IA32E_MODE ~= 0 or allowed1 & ctl.IA32E_MODE == 0)

  L:step("The guest: the lecture's V86 image at 0x10000, with its 32-bit ring-0 entry for RDMSR")
  g = vm.load_v86()
  L:show("image", hex(g.base) .. ".." .. hex(g.base + g.size - 1), ("pm_entry at %s, V86 entry at %s"):format(hex(g.pm_entry), hex(g.v86_entry)))
  L:say("RDMSR needs CPL 0, so the V86 task cannot do it: the image's 32-bit ring-0 entry reads the MSR in ECX.",
        "RDMSR always exits unless 'use MSR bitmaps' is 1 (SDM 26.1.3): we set it, with an all-zero bitmap.")

  L:step("The VM-entry MSR-load area: {index, 0, value} entries of 16 bytes, 16-byte aligned")
  local host_star = assert(cpu.rdmsr(IA32_STAR))
  L.v.host_star = host_star
  msr_area = vm.msr_area { { IA32_STAR, GUEST_STAR } }
  local exit_area = vm.msr_area { { IA32_STAR, host_star } }
  L:show("IA32_STAR (0xC0000081) on the host", hex(host_star))
  L:show("msr_area (entry load)", hex(msr_area), ("{0x%x, 0, %s}"):format(IA32_STAR, hex(GUEST_STAR)))
  L:show("exit_area (exit load)", hex(exit_area), ("{0x%x, 0, %s}: puts the host's value back"):format(IA32_STAR, hex(host_star)))
  L:say("'VMX Entry Control fields' names it: MSR_LOAD_ADDR 0x200A takes the address, MSR_LOAD_COUNT 0x4014 the count (1).",
        "An MSR loaded at entry stays loaded after the exit: the exit MSR-load area (0x2008/0x4010) restores it.")
  machine, vars = vm.v86_machine(g, { mode = "pm", cpu = vmx.ctl.cpu.USE_MSR_BITMAPS })
  local function add(what, where, value)
    machine[#machine + 1] = { what = what, where = where }
    vars[where] = value
  end
  add(0x2004, "control_MSR_bitmap", vm.page())
  add(0x200A, "control_entry_MSR_load_addr", msr_area)
  vars.control_entry_MSR_load_count = 1
  add(0x2008, "control_exit_MSR_load_addr", exit_area)
  vars.control_exit_MSR_load_count = 1
  vm.prepare(machine, vars)
  vmx.regs.rcx = IA32_STAR
  vm.clear_transcript(g)
  local e = assert(vmx.vmlaunch())
  local said = vm.transcript(g)
  L:show("vmlaunch", tostring(e))
  L:say("(the lines above came from the guest itself, through COM1; its copy in out_buf is checked)")
  local seen = mem.read64(g.msr_seen)
  L.v.msr_exit, L.v.guest_star, L.v.host_star_after = e.reason, seen, cpu.rdmsr(IA32_STAR)
  L:eq("the guest ran to its VMCALL (exit 18)", e.reason, 18)
  L:eq("the guest's RDMSR saw the MSR-load area's value", seen, GUEST_STAR)
  L:fact("... and printed it", said:find(("%08X_%08X"):format(GUEST_STAR >> 32, GUEST_STAR & 0xFFFFFFFF), 1, true), said)
  L:eq("after the exit the host has its own value back", cpu.rdmsr(IA32_STAR), host_star)

  L:step("Event injection: VM-entry interruption information 0x4016 = 0x80000B0D")
  L:say("bit 31 valid | bit 11 deliver error code | bits 10:8 = 3 hardware exception | bits 7:0 = 13 (#GP);",
        "the error code comes from 0x4018. The V86 guest starts with a #GP delivered through its own IDT:",
        "a 32-bit interrupt gate to its ring-0 handler, on the ring-0 stack from its TSS (SS0:ESP0).")
  machine, vars = vm.v86_machine(g)
  vars.control_entry_interruption_info = 0x80000B0D
  add(0x4018, "control_entry_exception_error_code", 0)
  vm.prepare(machine, vars)
  vm.clear_transcript(g)
  assert(mem.write32(g.gp_count, 0))
  e = assert(vmx.vmlaunch())
  said = vm.transcript(g)
  L:show("vmlaunch", tostring(e))
  L:say("(the line above is the guest's #GP handler, printing from ring 0)")
  local count, gp_cs, gp_eip = mem.read32(g.gp_count), mem.read32(g.gp_cs), mem.read32(g.gp_eip)
  L.v.inject_exit, L.v.gp_count = e.reason, count
  L:eq("the first exit is the handler's HLT (exit 12)", e.reason, 12)
  L:eq("... at the handler's HLT", e.rip, g.off.isr_gp_hlt)
  L:eq("the guest's #GP handler ran once", count, 1)
  L:fact("it saw the injected error code 0 and the V86 CS:IP of the entry point",
         mem.read32(g.gp_error) == 0 and gp_cs == g.segment and gp_eip == g.off.v86_entry,
         ("error %s, %s:%s"):format(hex(mem.read32(g.gp_error)), hex(gp_cs), hex(gp_eip)))
  L:fact("it interrupted V86 code (EFLAGS.VM = 1 on its stack)", mem.read32(g.gp_eflags) & 0x20000 ~= 0)
  L:fact("... and said so on COM1", said:find("Guest #GP handler", 1, true), said)
  local info = assert(vmx.vmread(0x4016))
  L:show("0x4016 after the exit", hex(info, 8))
  L:eq("a VM exit clears the valid bit (31): the event is not injected twice (SDM 28.2)", info >> 31, 0)
  vmx.skip()
  vm.clear_transcript(g)
  e = assert(vmx.vmresume())
  said = vm.transcript(g)
  L:show("vmx.skip(); vmx.vmresume()", tostring(e))
  L:say("(the handler's IRETD returned to the V86 task, which printed the lines above)")
  L.v.after_inject_exit, L.v.after_inject_said = e.reason, said
  L:eq("the V86 task then ran to its VMCALL (exit 18)", e.reason, 18)
  L:fact("... with its greeting", said:find("Hello from Guest VM", 1, true), said)

  launch = function() return vm.launch(machine, vars) end
end

def.tries = {
  { say = "IA-32e mode guest (bit 9) for the V86 guest: VM entry checks the guest state and refuses",
    code = "vars.control_VM_entry = vars.control_VM_entry | 0x200; local e = launch(); vars.control_VM_entry = vars.control_VM_entry & ~0x200; return e",
    expect = "VM-entry failure, exit reason 33 INVALID_STATE ... (Bochs's log names the failed check)",
    check = function(e) return e and e.entry_failure and e.reason == 33 end },
  { say = "Inject #UD instead (0x80000306: valid, hardware exception, vector 6, no error code); the guest's IDT has no gate for vector 6",
    code = "vars.control_entry_interruption_info = 0x80000306; local e = launch(); vars.control_entry_interruption_info = 0x80000B0D; return e, mem.read32(g.gp_error)",
    expect = "VM exit 12 HLT in the #GP handler, error code 0x33: an all-zero IDT entry is no gate, so #GP(6 * 8 + 2 (IDT) + 1 (EXT))",
    check = function(e, err) return e and e.reason == 12 and err == 0x33 end },
  { say = "No injection: the guest just says hello",
    code = "vars.control_entry_interruption_info = 0; local e = launch(); vars.control_entry_interruption_info = 0x80000B0D; return e",
    expect = "VM exit 18 VMCALL",
    check = function(e) return e and e.reason == 18 end },
}

if select("#", ...) == 0 then return labs.main(def) end
return def
