-- Lab 7: the CR0 guest/host mask and read shadow ('Setup for VM launch' slides 19-20, the in-class exercise)
-- The V86 guest runs several times with different control_CR0_mask (0x6000) and
-- control_CR0_shadow (0x6004); each run prints actual / mask / shadow / apparent bit by bit as
-- the slide does, and the lecture's rule is checked on SMSW's 16 bits: where the mask has a 1
-- the shadow bit appears, where it has a 0 the actual bit appears. Then a guest write to a
-- masked CR0 bit exits (reason 28, qualification decoded).
-- Leaves: g, machine, vars, cr0_run(mask, shadow) -> apparent, actual.
local labs = require "labs"
local vm = require "labs_vm"

local def = {
  n = 7, name = "cr0_shadow", title = "CR0 guest/host mask and read shadow",
  seed = "'Setup for VM launch' slide 19 ('mask' and 'shadow') and slide 20 (in-class exercise); SDM 26.3, 26.1.3",
  goal = "see what the guest's SMSW reports for each mask/shadow, and which CR0 writes the host gets to see",
  leaves = { "g", "machine", "vars", "cr0_run" },
}

local RUNS = {
  { 0x0000, 0x0000, "nothing masked: the guest sees its real CR0" },
  { 0xFFFF, 0x0000, "everything masked, shadow 0: the guest believes it is in real mode" },
  { 0x0001, 0x0000, "only PE masked: PE appears 0, the rest is real" },
  { 0x000E, 0x000E, "MP, EM, TS masked and shown as 1" },
  { 0xF0F0, 0xCCCC, "the slide's mask and shadow" },
  { 0x0000, 0xFFFF, "a shadow without a mask changes nothing" },
}

function def.run(L)
  L:step("The slide's example first (no CPU needed): apparent = (actual AND NOT mask) OR (shadow AND mask)")
  local a, m, s = 0xA5A5, 0xF0F0, 0xCCCC
  vm.print_cr0_rows(a, m, s, vm.apparent(a, m, s))
  L:eq("the slide's four rows: apparent 0xC5C5", vm.apparent(a, m, s), 0xC5C5)

  L:step("The V86 guest, launched once from machine[] (as in lab 6)")
  g = vm.load_v86()
  machine, vars = vm.v86_machine(g)
  local e = assert(vm.launch(machine, vars))
  L:show("first exit", tostring(e))
  L:eq("the guest runs to its VMCALL", e.reason, 18)
  L:say("Between runs the host changes control_CR0_mask and control_CR0_shadow, writes them with",
        "the same loop (only those two entries), steps over the VMCALL and resumes: the guest starts over.")

  local mask_shadow = {}
  for _, m in ipairs(machine) do
    if m.where == "control_CR0_mask" or m.where == "control_CR0_shadow" then mask_shadow[#mask_shadow + 1] = m end
  end
  local quiet = true            -- the lab's own runs print their rows themselves
  -- cr0_run keeps its own guest: later labs replace the globals g, machine, vars and may switch
  -- VMX off or make another VMCS current; then it launches this guest again first.
  local my_g, my_machine, my_vars = g, machine, vars
  local function stopped_at_vmcall()
    return vmx.state() == "launched" and vmx.vmptrst() == my_vars.vmcs and vmx.vmread("VM_EXIT_REASON") == 18
  end
  cr0_run = function(mask, shadow)
    my_vars.control_CR0_mask, my_vars.control_CR0_shadow = mask, shadow
    local x, msg
    if stopped_at_vmcall() then
      vm.write_machine(mask_shadow, my_vars)
      vmx.skip()
      vm.clear_transcript(my_g)
      x, msg = vmx.vmresume()
    else
      print(("cr0_run: VMX state %s, lab 7's guest is not current: launching it again"):format(vmx.state()))
      vm.load_v86(my_g.base)
      x, msg = vm.launch(my_machine, my_vars)
    end
    if not x or x.reason ~= 18 then return nil, "cr0_run: the guest did not reach its VMCALL: " .. tostring(x or msg) end
    local apparent, actual = vmx.regs.rax & 0xFFFF, assert(vmx.vmread("GUEST_CR0"))
    if not quiet then vm.print_cr0_rows(actual, mask, shadow, apparent) end
    return apparent, actual
  end

  L.v.runs = {}
  for i, r in ipairs(RUNS) do
    L:step(("Run %d: mask %s, shadow %s -- %s"):format(i, hex(r[1], 4), hex(r[2], 4), r[3]))
    local apparent, actual = cr0_run(r[1], r[2])
    local said = vm.transcript(g)
    vm.print_cr0_rows(actual, r[1], r[2], apparent)
    L:say("the guest said: " .. (said:match("smsw: [^\r\n]*") or said))
    local want = vm.apparent(actual, r[1], r[2]) & 0xFFFF
    L.v.runs[i] = { mask = r[1], shadow = r[2], actual = actual, apparent = apparent, said = said }
    L:eq(("run %d: masked bits show the shadow, unmasked bits the actual CR0"):format(i), apparent, want)
    L:fact(("run %d: the guest printed the same value on COM1"):format(i), said:find(("CR0 = 0x%04X"):format(apparent), 1, true), said)
  end
  L:fact("the actual CR0 never changed: SMSW only reads", L.v.runs[1].actual == L.v.runs[#RUNS].actual)

  L:step("Writes: with TS (bit 3) masked, the guest's MOV to CR0 that changes TS exits to the host")
  L:say("MOV to CR0 is privileged: the V86 task would get #GP before any VM exit. The image's 32-bit",
        "ring-0 entry pm_write_cr0 does 'mov cr0, ebx' instead. SDM 26.1.3: it exits when a bit set",
        "in the mask differs between EBX and the shadow.")
  local pm_machine, pm_vars = vm.v86_machine(g, { mode = "pm", rip = g.off.pm_write_cr0 })
  pm_vars.control_CR0_mask, pm_vars.control_CR0_shadow = 0x8, 0
  vm.prepare(pm_machine, pm_vars)
  vmx.regs.rbx = pm_vars.guest_CR0 | 0x8
  L:say(("mask 0x8, shadow 0; the guest writes EBX = %s (CR0 | TS)"):format(hex(vmx.regs.rbx, 8)))
  vm.clear_transcript(g)
  e = assert(vmx.vmlaunch())
  L:show("exit", tostring(e))
  local q = e.qualification
  L:show("qualification", hex(q), ("CR %d, access type %d (0 = MOV to CR), register %d (3 = RBX)"):format(q & 0xF, (q >> 4) & 3, (q >> 8) & 0xF))
  L.v.write_exit, L.v.write_qual = e.reason, q
  L:eq("the write exits: control-register access (28)", e.reason, 28)
  L:eq("qualification: CR0, MOV to CR, from RBX", q & 0xF3F, 0x300)
  L:fact("... decoded by vmx as 'MOV to CR0 from RBX'", tostring(e):find("MOV to CR0 from RBX", 1, true), tostring(e))
  L:eq("the actual CR0 is unchanged: the host decides", vmx.vmread("GUEST_CR0") & 0x8, 0)

  L:step("The host emulates it: the guest shall believe TS = 1 -- so the shadow gets TS, and RIP moves on")
  assert(vmx.vmwrite("CR0_READ_SHADOW", 0x8))
  vmx.skip()
  e = assert(vmx.vmresume())
  local after = mem.read32(g.cr0_after)
  L:show("exit", tostring(e))
  L:show("the guest's CR0 after the write", hex(after, 8), "read back by the guest with MOV from CR0")
  L:show("GUEST_CR0 (actual)", hex(vmx.vmread("GUEST_CR0"), 8))
  L.v.after_emulation = after
  L:eq("the guest goes on to its VMCALL", e.reason, 18)
  L:fact("the guest sees TS = 1 (from the shadow) while the actual TS stays 0",
         after & 0x8 ~= 0 and vmx.vmread("GUEST_CR0") & 0x8 == 0)

  L:step("Without the mask the same write does not exit: it changes the actual CR0")
  assert(vmx.vmwrite("CR0_GUEST_HOST_MASK", 0))
  vmx.regs.rip = g.off.pm_write_cr0
  e = assert(vmx.vmresume())
  L:show("exit", tostring(e))
  L:eq("no exit for the write: the next exit is the VMCALL", e.reason, 18)
  L:fact("the actual CR0 now has TS", vmx.vmread("GUEST_CR0") & 0x8 ~= 0)
  L.v.unmasked_exit = e.reason
  L:say("", "Back to the V86 guest: cr0_run(mask, shadow) runs it once more, prints the four rows",
        "and returns apparent, actual.")
  quiet = false
  assert(vmx.vmclear(pm_vars.vmcs))
  vm.prepare(machine, vars)
  assert(vmx.vmlaunch())
end

def.tries = {
  { say = "Mask everything, shadow 0: what does the guest think?", code = "cr0_run(0xFFFF, 0)",
    expect = "0  (and the actual CR0)", check = function(apparent) return apparent == 0 end },
  { say = "Hide protected mode: mask PE only", code = "cr0_run(0x0001, 0)",
    expect = "the actual low 16 bits with bit 0 cleared",
    check = function(apparent, actual) return apparent == (actual & 0xFFFE) end },
  { say = "A shadow without a mask", code = "cr0_run(0, 0xFFFF)", expect = "the actual low 16 bits",
    check = function(apparent, actual) return apparent == (actual & 0xFFFF) end },
  { say = "Show the guest an ET (bit 4) of 0", code = "cr0_run(0x10, 0)", expect = "actual & ~0x10",
    check = function(apparent, actual) return apparent == (actual & 0xFFEF) end },
}

if select("#", ...) == 0 then return labs.main(def) end
return def
