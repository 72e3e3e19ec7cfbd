-- Lab 3: pre-VMX operation (seed 003, "Pre-VMX Operation")
-- IA32_VMX_CR0_FIXED0/1 and IA32_VMX_CR4_FIXED0/1 (MSRs 0x486-0x489) bit by bit against CR0
-- and CR4; VMXON with a fixed bit wrong raises #GP; in VMX operation the fixed bits are
-- enforced; the lock bit of IA32_FEATURE_CONTROL. Leaves: fixed (the four MSRs), vmxon_region.
local labs = require "labs"

local def = {
  n = 3, name = "prevmx", title = "Pre-VMX operation: fixed bits and feature control",
  seed = "seed 003 'Pre-VMX Operation' (fixed bits of CR0/CR4, IA32_FEATURE_CONTROL); SDM 24.7-24.8, A.7-A.8",
  goal = "see which CR0/CR4 bits VMX operation pins, and what the CPU does when one is wrong",
  leaves = { "fixed", "vmxon_region" },
  needs = "VMX off and CR4.VMXE = 1, as the lab ends",
  setup = labs.vmx_off_vmxe_on,
}

local CR0_NE, CR4_VMXE = 0x20, 0x2000

-- One row per bit that is named or constrained: now, FIXED0, FIXED1, the rule, verdict.
local function table_for(L, cr, value, f0, f1, names)
  print(("    CR%d = %s   IA32_VMX_CR%d_FIXED0 = %s   FIXED1 = %s"):format(cr, hex(value, 8), cr, hex(f0, 8), hex(f1, 8)))
  print("    bit  name        now  FIXED0 FIXED1  rule")
  local wrong = {}
  for b = 0, 31 do
    local now, z, o = (value >> b) & 1, (f0 >> b) & 1, (f1 >> b) & 1
    local rule = z == 1 and "must be 1" or o == 0 and "must be 0" or "free"
    local bad = (z == 1 and now == 0) or (o == 0 and now == 1)
    if names[b] or z == 1 then
      print(("    %3d  %-10s  %d    %d      %d       %-9s %s"):format(b, names[b] or "-", now, z, o, rule, bad and "<-- WRONG" or ""))
    end
    if bad then wrong[#wrong + 1] = (names[b] or ("bit " .. b)) .. (now == 1 and " must be 0" or " must be 1") end
  end
  L:say(("Must be 0 (FIXED1 = 0): %s -- reserved bits and features this CPU lacks."):format(hex(~f1 & 0xFFFFFFFF, 8)))
  return wrong
end

function def.run(L)
  L:step("Read the four fixed-bit MSRs (0x486-0x489)")
  fixed = {
    cr0_fixed0 = assert(cpu.rdmsr(0x486)), cr0_fixed1 = assert(cpu.rdmsr(0x487)),
    cr4_fixed0 = assert(cpu.rdmsr(0x488)), cr4_fixed1 = assert(cpu.rdmsr(0x489)),
  }
  for _, k in ipairs { "cr0_fixed0", "cr0_fixed1", "cr4_fixed0", "cr4_fixed1" } do L:show(k, hex(fixed[k], 8)) end
  L:say("Rule (SDM A.7, A.8): a 1 in FIXED0 means the bit must be 1; a 0 in FIXED1 means it must be 0;",
        "anything else is free. Seed 003: 'the use of an unsupported value will result in a failure'.")
  L.v.cr0_fixed0, L.v.cr4_fixed0 = fixed.cr0_fixed0, fixed.cr4_fixed0

  L:step("CR0 against IA32_VMX_CR0_FIXED0/1, bit by bit")
  if vmx.state() ~= "off" then assert(vmx.disable()) end
  local wrong0 = table_for(L, 0, cpu.cr0(), fixed.cr0_fixed0, fixed.cr0_fixed1, labs.CR0_BITS)
  L:fact("PE, NE and PG are fixed to 1 in CR0 (paged protected mode, seed 003)",
         fixed.cr0_fixed0 & 0x80000021 == 0x80000021, hex(fixed.cr0_fixed0))
  L:fact("CR0 as the kernel runs satisfies the fixed bits", #wrong0 == 0, table.concat(wrong0, ", "))

  L:step("CR4 against IA32_VMX_CR4_FIXED0/1 (VMXE cleared first, which is allowed outside VMX operation)")
  if cpu.cr4() & CR4_VMXE ~= 0 then assert(cpu.write_cr4(cpu.cr4() & ~CR4_VMXE)) end
  local wrong4 = table_for(L, 4, cpu.cr4(), fixed.cr4_fixed0, fixed.cr4_fixed1, labs.CR4_BITS)
  L:fact("VMXE is the fixed-1 bit of CR4", fixed.cr4_fixed0 & CR4_VMXE ~= 0, hex(fixed.cr4_fixed0))
  L:fact("with VMXE clear the only wrong CR4 bit is VMXE", #wrong4 == 1 and wrong4[1] == "VMXE must be 1",
         table.concat(wrong4, ", "))

  L:step("VMXON with a bit wrong: CR4.VMXE = 0 (#UD), then CR0.NE = 0 (#GP)")
  vmxon_region = assert(vmx.region())
  local ok, msg, code = vmx.vmxon(vmxon_region)
  L:show("VMXON with CR4.VMXE = 0", tostring(msg))
  L:fact("VMXON with CR4.VMXE = 0 raises #UD (vector 6): the instruction does not exist yet",
         ok == nil and code == 6, msg)
  assert(cpu.write_cr4(cpu.cr4() | CR4_VMXE))
  local cr0 = cpu.cr0()
  assert(cpu.write_cr0(cr0 & ~CR0_NE))
  L:say("cpu.write_cr0(cpu.cr0() & ~0x20): CR0.NE = 0 (legal outside VMX operation)")
  ok, msg, code = vmx.vmxon(vmxon_region)
  assert(cpu.write_cr0(cr0))
  L:show("VMXON with CR0.NE = 0", tostring(msg))
  L.v.vmxon_ne_msg = msg
  L:fact("VMXON with a fixed-1 bit of CR0 clear raises #GP(0) (vector 13)", ok == nil and code == 13, msg)
  L:eq("still outside VMX operation", vmx.state(), "off")

  L:step("In VMX operation the fixed bits are enforced: MOV to CR0/CR4 that breaks them raises #GP")
  L:fact("with NE restored VMXON succeeds", vmx.vmxon(vmxon_region) == true)
  ok, msg, code = cpu.write_cr0(cr0 & ~CR0_NE)
  L:show("cpu.write_cr0(cr0 & ~NE)", tostring(msg))
  L:fact("clearing CR0.NE in VMX operation raises #GP", ok == nil and code == 13, msg)
  ok, msg, code = cpu.write_cr4(cpu.cr4() & ~CR4_VMXE)
  L:show("cpu.write_cr4(cr4 & ~VMXE)", tostring(msg))
  L:fact("clearing CR4.VMXE in VMX operation raises #GP", ok == nil and code == 13, msg)
  L:fact("VMXOFF", vmx.vmxoff() == true)

  L:step("IA32_FEATURE_CONTROL (0x3A): the lock bit")
  local fc = assert(cpu.rdmsr(0x3A))
  L:show("IA32_FEATURE_CONTROL", hex(fc), ("lock %d, VMX in SMX %d, VMX outside SMX %d"):format(fc & 1, fc >> 1 & 1, fc >> 2 & 1))
  L:say("Seed 003: VMXON needs the lock bit and bit 2 (outside SMX) -- or bit 1 inside SMX. Software",
        "that finds it unlocked sets bit 2 and the lock (vmx.enable() does). Once locked, the register",
        "is read-only until reset: that is what keeps an OS from re-enabling what the firmware disabled.")
  if fc & 1 == 1 then
    ok, msg, code = cpu.wrmsr(0x3A, fc & ~1)
    L:show("cpu.wrmsr(0x3A, value without the lock)", tostring(msg))
    L:fact("WRMSR to a locked IA32_FEATURE_CONTROL raises #GP", ok == nil and code == 13, msg)
    L:eq("IA32_FEATURE_CONTROL is unchanged", cpu.rdmsr(0x3A), fc)
  else
    L:say("It is unlocked on this machine: vmx.enable() would set bit 2 and lock it now.")
  end
end

def.tries = {
  { say = "The CR0 bits VMX pins to 1", code = "labs.bit_list(fixed.cr0_fixed0, labs.CR0_BITS)",
    expect = "PE NE PG", check = function(s) return s == "PE NE PG" end },
  { say = "Unlock IA32_FEATURE_CONTROL", code = "cpu.wrmsr(0x3A, 0)", expect = "nil  wrmsr(0x3a): #GP(0)  13",
    check = function(ok, _, code) return ok == nil and code == 13 end },
  { say = "VMXON with CR0.NE = 0 (NE is put back after)",
    code = "local c = cpu.cr0(); cpu.write_cr0(c & ~0x20); local r = {vmx.vmxon(vmxon_region)}; cpu.write_cr0(c); return table.unpack(r)",
    expect = "nil  vmxon: #GP(0) -- CR0 ... NE ...  13",
    check = function(ok, _, code) return ok == nil and code == 13 end },
  { say = "Clear CR4.VMXE while in VMX operation (then VMXOFF)",
    code = "vmx.vmxon(vmxon_region); local r = {cpu.write_cr4(cpu.cr4() & ~0x2000)}; vmx.vmxoff(); return table.unpack(r)",
    expect = "nil  write_cr4: #GP(0)  13", check = function(ok, _, code) return ok == nil and code == 13 end },
}

if select("#", ...) == 0 then return labs.main(def) end
return def
