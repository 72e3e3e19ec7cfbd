-- Lab 1: is this CPU ready for VMX? ("Our planned VMX demo", "CPU initializations")
-- Reads, explains and (for A20 only) fixes: CPUID.1:ECX[5], IA32_FEATURE_CONTROL, CR0, CR4,
-- EFER.LMA and the A20 line at port 0x92. Nothing here enters VMX operation; lab 2 does.
-- Run: lab(1) at the prompt, or boot into it with ./vmxlab run --lab 1.
local labs = require "labs"

local def = {
  n = 1, name = "readiness", title = "CPU readiness",
  seed = "'Our planned VMX demo', slides 'CPU has VMX support?' to 'Turning on the A20-line'",
  goal = "check every precondition the lecture lists before VMXON, in the order it lists them",
}

local FC_LOCK, FC_SMX, FC_OUTSIDE = 1, 2, 4

function def.run(L)
  L:step("Does the CPU implement VMX? CPUID with EAX = 1, then bit 5 of ECX ('bt $5, %ecx; jnc no_vmx')")
  local _, _, ecx = cpu.cpuid(1)
  local has = ecx & 0x20 ~= 0
  L.v.vmx = has
  L:show("CPUID.1:ECX", hex(ecx, 8), ("bit 5 (VMX) = %d"):format(has and 1 or 0))
  L:say("Detect VMX by this bit, never by the vendor string: Bochs's bx_generic calls itself AMD and has VMX.")
  if not has then
    L.v.stopped = true
    return L:no_vmx()
  end
  L:fact("CPUID.1:ECX[5] = 1: this CPU has VMX", has)

  L:step("The Feature Control register, MSR 0x3A (IA32_FEATURE_CONTROL)")
  local fc, msg = cpu.rdmsr(0x3A)
  if not fc then
    L:say("rdmsr(0x3A) failed: " .. tostring(msg))
    return L:fact("IA32_FEATURE_CONTROL can be read", false, msg)
  end
  L.v.feature_control = fc
  L:show("IA32_FEATURE_CONTROL", hex(fc))
  L:show("  bit 0 LOCK", fc & FC_LOCK, "1 = WRMSR to 0x3A raises #GP until the next reset")
  L:show("  bit 1 VMX inside SMX", (fc & FC_SMX) >> 1, "VMXON allowed inside SMX (GETSEC) operation")
  L:show("  bit 2 VMX outside SMX (ENABLE)", (fc & FC_OUTSIDE) >> 2, "0 = VMXON raises #GP (the lecture's bit 2)")
  if fc & FC_LOCK ~= 0 then
    L:say("Locked by the firmware, as on the lecture's 'anchor' machines (Bochs's BIOS locks it too).")
    L:fact("IA32_FEATURE_CONTROL is locked with VMX outside SMX enabled: VMXON is allowed",
           fc & FC_OUTSIDE ~= 0, hex(fc))
  else
    L:say("Not locked: software may still set bit 2 and lock it ('Pre-VMX Operation''s enable_vmx_operation;",
          "vmx.enable() does so). Lab 3 shows what the lock means.")
    L:fact("IA32_FEATURE_CONTROL is unlocked: bit 2 and the lock can still be set", true)
  end

  L:step("Control register CR0: VMX needs paged protected mode (PE, PG) and NE")
  local cr0 = cpu.cr0()
  L.v.cr0 = cr0
  L:show("CR0", hex(cr0, 8), labs.bit_list(cr0, labs.CR0_BITS))
  L:say("PE and PG: the host runs in paged protected mode (it is in 64-bit mode).",
        "NE: IA32_VMX_CR0_FIXED0 requires it; the kernel set it at boot (BIOS and GRUB leave it 0).",
        "CD/NW: the kernel cleared them at boot (caches on).")
  L:fact("CR0.PE = 1, CR0.PG = 1 and CR0.NE = 1", cr0 & 0x80000021 == 0x80000021, hex(cr0))

  L:step("Control register CR4 and EFER: a 64-bit host needs PAE, VMXON needs VMXE")
  local cr4 = cpu.cr4()
  L.v.cr4 = cr4
  L:show("CR4", hex(cr4, 8), labs.bit_list(cr4, labs.CR4_BITS))
  L:show("  bit 13 VMXE", (cr4 >> 13) & 1, "must be 1 before VMXON (else #UD); lab 2 sets it")
  local efer = cpu.rdmsr(0xC0000080) or 0
  L:show("IA32_EFER", hex(efer), ("LME = %d, LMA = %d"):format((efer >> 8) & 1, (efer >> 10) & 1))
  L:say("The lecture's host runs in 64-bit mode: EFER.LMA = 1 and CR4.PAE = 1.")
  L:fact("the host is in IA-32e mode (EFER.LMA = 1, CR4.PAE = 1)", efer & 0x400 ~= 0 and cr4 & 0x20 ~= 0)

  L:step("The A20 line: bit 1 of the System Control Port A (I/O port 0x92)")
  local p92 = cpu.inb(0x92)
  L.v.port92_before = p92
  L:show("port 0x92", hex(p92, 2), ("bit 1 (A20 gate) = %d, bit 0 (fast reset) = %d"):format((p92 >> 1) & 1, p92 & 1))
  L:say("VMX operation requires A20 on (the 8086 wrap-around at 1 MiB off). Other bits of this port",
        "matter: bit 0 resets the machine. So: read, OR in bit 1, never set bit 0, write back.")
  if p92 & 2 == 0 then
    L:say("A20 is off: turning it on with 'in $0x92,%al; or $0x02,%al; out %al,$0x92' (bit 0 kept clear)")
    assert(cpu.outb(0x92, (p92 | 2) & ~1))
  else
    L:say("A20 is already on (the BIOS or GRUB enabled it): nothing to write.")
  end
  local after = cpu.inb(0x92)
  L.v.port92_after = after
  L:fact("A20 is on (port 0x92 bit 1 = 1)", after & 2 ~= 0, hex(after, 2))
  L:fact("the other bits of port 0x92 are unchanged", after & ~2 == p92 & ~2, hex(p92, 2) .. " -> " .. hex(after, 2))

  L:say("", "The CPU is ready: lab 2 sets CR4.VMXE and executes VMXON.")
end

def.tries = {
  { say = "Read the VMX bit yourself (ECX is CPUID's third result)",
    code = "select(3, cpu.cpuid(1)) >> 5 & 1", expect = "1",
    check = function(v) return v == 1 end },
  { say = "The kernel's feature decoding agrees", code = "cpu.features().vmx", expect = "true",
    check = function(v) return v == true end },
  { say = "Lock (bit 0) and VMX outside SMX (bit 2) of IA32_FEATURE_CONTROL",
    code = "cpu.rdmsr(0x3A) & 5", expect = "5 (both set: VMXON allowed, settings frozen)",
    check = function(v) return v == 5 end },
  { say = "The A20 gate after this lab", code = "cpu.inb(0x92) & 2", expect = "2 (A20 on)",
    check = function(v) return v == 2 end },
}

if select("#", ...) == 0 then return labs.main(def) end
return def
