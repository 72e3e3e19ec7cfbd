-- Lab 6: the VMX demo (seed 002 slides 7-18, lecture 004 'Our planned VMX demo')
-- The lecture's program in Lua: the V86 guest and its resources, a machine[] table of
-- (what, where) pairs written in one loop, vmlaunch, the guest's message on COM1, a results[]
-- table read in one loop, vmresume, vmclear, vmxoff.
-- Leaves: g, machine, vars, results, launch() (VMX on, the loop, vmlaunch; returns the exit).
local labs = require "labs"
local vm = require "labs_vm"

local def = {
  n = 6, name = "demo", title = "The VMX demo: a V86 guest launched from machine[]",
  seed = "seed 002 slides 7-18 (machine[], guest/host state, controls) and lecture 004 (host actions, results[])",
  goal = "run the lecture's whole program: vmxon, vmclear, vmptrld, the machine[] loop, vmlaunch, results[], vmresume, vmxoff",
  leaves = { "g", "machine", "vars", "results", "launch" },
}

local function by_prefix(prefix) return function(m) return m.where:sub(1, #prefix) == prefix end end

function def.run(L)
  L:step("The guest's resources (vmxstep1.s): TSS with I/O bitmap, GDT, LDT, page directory, two stacks, #GP handler")
  g = vm.load_v86()
  L:show("image at", hex(g.base), ("%d bytes, V86 segment %s (= base / 16)"):format(g.size, hex(g.segment, 4)))
  L:show("GDT (TSS 0x08, LDT 0x10)", hex(g.gdt))
  L:show("LDT (code, data, vram, flat)", hex(g.ldt))
  L:show("IDT (vector 13: #GP handler)", hex(g.idt))
  L:show("TSS, I/O bitmap at", hex(g.tss) .. ", " .. hex(g.iopb), "ports 0x3F8-0x3FF (COM1) allowed, all others denied")
  L:show("page directory", hex(g.pd), "entry 0: one 4 MiB page, linear 0 -> physical 0, user")
  L:show("ring-3 / ring-0 stack tops", hex(g.stack3_top) .. " / " .. hex(g.stack0_top))
  L:say("Without EPT guest-physical = host-physical: the guest runs where it was copied (below 1 MiB for V86).")

  L:step("machine[]: one (what, where) pair per VMCS field -- what = the encoding, where = the variable")
  machine, vars = vm.v86_machine(g)
  L:say("Guest state (slides 10-14): V86 segments base = selector * 16, limit 0xFFFF, rights 0xF3;",
        "LDTR rights 0x82, TR 0x8B (busy 386 TSS); CR0 with PG, PE, NE; CR4 with VMXE (and PSE for the",
        "4 MiB page); CR3 = the page directory; RIP, RSP, RFLAGS with VM = 1; link pointer = -1.")
  vm.print_table("machine", machine, vars, by_prefix("guest_"))
  L:say("Controls (slides 16-17): each one (wanted | allowed-0) & allowed-1 from the capability MSRs.",
        "We want only HLT exiting (the #GP handler's HLT) and a 64-bit host; the VMCALL exits anyway.")
  vm.print_table("machine", machine, vars, by_prefix("control_"))
  local procbased = vars.control_procbased
  local allowed = assert(cpu.rdmsr(((cpu.rdmsr(0x480) >> 55) & 1 == 1) and 0x48E or 0x482))
  L:fact("the primary controls satisfy allowed-1 >= value >= allowed-0 (slide 17's test)",
         procbased & (allowed >> 32) == procbased and procbased | (allowed & 0xFFFFFFFF) == procbased)
  L:fact("the guest's RFLAGS has VM (bit 17) set", vars.guest_RFLAGS & 0x20000 ~= 0)

  L:step("The host's actions (lecture 004): vmxon, vmclear, vmptrld, then the machine[] loop")
  vm.prepare(machine, vars)
  L:say("vmx.enable() did the pre-VMX work and VMXON (labs 1-3); VMCLEAR and VMPTRLD made " .. hex(vars.vmcs) .. " current.",
        "Host state (slide 15): the kernel's own CR0/CR3/CR4, selectors and bases (vmx.host_state() knows",
        "them); HOST_RSP and HOST_RIP are the exit trampoline's, written by vmx.vmlaunch.")
  vm.print_table("machine", machine, vars, by_prefix("host_"))
  L:show("for i, m in ipairs(machine) do vmx.vmwrite(m.what, vars[m.where]) end", ("%d fields written"):format(#machine))
  L.v.machine_size = #machine
  L:fact("every machine[] entry was written", vmx.vmread(0x6820) == vars.guest_RFLAGS and vmx.vmread(0x2800) == -1)

  L:step("vmlaunch: the guest runs -- its message comes out of COM1 below")
  vm.clear_transcript(g)
  local e = assert(vmx.vmlaunch())
  local said = vm.transcript(g)
  L:show("exit", tostring(e))
  L.v.exit_reason, L.v.said = e.reason, said
  L:eq("the guest left with VMCALL (exit reason 18)", e.reason, 18)
  L:fact("the guest said 'Hello from Guest VM'", said:find("Hello from Guest VM", 1, true), said)
  local msw = vmx.regs.rax & 0xFFFF
  L:fact("and the CR0 value its SMSW saw", said:find(("CR0 = 0x%04X"):format(msw), 1, true), said)

  L:step("results[]: the exit information, read in one loop")
  results = vm.results
  vm.read_results(results, vars)
  vm.print_table("results", results, vars)
  L.v.results = { reason = vars.exit_reason, len = vars.exit_instruction_length, rip = vars.exit_guest_RIP }
  L:eq("results: exit reason 18 (VMCALL)", vars.exit_reason, 18)
  L:eq("results: instruction length 3 (0F 01 C1)", vars.exit_instruction_length, 3)
  L:eq("results: guest RIP is the VMCALL's offset in the V86 code segment", vars.exit_guest_RIP, e.rip)
  L:eq("results: guest CS is still the V86 segment", vars.exit_guest_CS_selector, g.segment)
  L:fact("results: the guest was in V86 mode (RFLAGS.VM = 1)", vars.exit_guest_RFLAGS & 0x20000 ~= 0)
  L:eq("results: smsw saw the low half of the guest's CR0 (nothing masked)", msw, vars.exit_guest_CR0 & 0xFFFF)

  L:step("vmresume: step over the VMCALL (RIP += instruction length); the guest starts over")
  vmx.skip()
  vm.clear_transcript(g)
  e = assert(vmx.vmresume())
  said = vm.transcript(g)
  L:show("exit", tostring(e))
  L.v.resume_reason = e.reason
  L:eq("after vmresume the guest exits with VMCALL again", e.reason, 18)
  L:fact("having said hello a second time", said:find("Hello from Guest VM", 1, true), said)

  L:step("vmclear and vmxoff: the lecture's host leaves VMX operation")
  L:fact("vmclear writes the VMCS back to memory and makes it not current", vmx.vmclear(vars.vmcs) == true)
  L:fact("vmxoff", vmx.vmxoff() == true)
  L:eq("out of VMX operation", vmx.state(), "off")
  L:say("To go again: launch() does it all (vmxon, vmclear, vmptrld, the loop, vmlaunch) with the",
        "values now in vars -- change one first, as in the try-this list.")
  launch = function() return vm.launch(machine, vars) end
end

def.tries = {
  { say = "Launch again from machine[]", code = "launch()", expect = "VM exit 18 VMCALL ...",
    check = function(e) return e and e.reason == 18 end },
  { say = "Clear RFLAGS.VM: the 0xF3 segments are wrong for protected mode, VM entry refuses the guest state",
    code = "vars.guest_RFLAGS = 0x2; local e = launch(); vars.guest_RFLAGS = 0x20002; return e",
    expect = "VM-entry failure, exit reason 33 INVALID_STATE",
    check = function(e) return e and e.entry_failure and e.reason == 33 end },
  { say = "Deny COM1 in the TSS's I/O bitmap: the guest's IN from 0x3FD raises #GP in the guest",
    code = "mem.write8(g.iopb + 0x7F, 0xFF); local e = launch(); mem.write8(g.iopb + 0x7F, 0); return e",
    expect = "VM exit 12 HLT in the guest's #GP handler (error code 0)",
    check = function(e) return e and e.reason == 12 and e.rip == g.off.isr_gp_hlt end },
  { say = "A VMCS link pointer of 0 instead of -1 (slide 14)",
    code = "vars.guest_VMCS_link_pointer = 0; local e = launch(); vars.guest_VMCS_link_pointer = -1; return e",
    expect = "VM-entry failure, exit reason 33 INVALID_STATE: invalid VMCS link pointer",
    check = function(e) return e and e.entry_failure and e.reason == 33 end },
}

if select("#", ...) == 0 then return labs.main(def) end
return def
