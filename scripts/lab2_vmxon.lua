-- Lab 2: VMXON (seed 000, "More on VMXON"; lecture 004, "VMCS" and in-class exercise #2)
-- The revision id from IA32_VMX_BASIC, a 4 KiB-aligned VMXON region, VMXON and its outcome in
-- CF/ZF; an unaligned region and a wrong revision id fail; VMXOFF leaves VMX operation.
-- Leaves in globals: vmxon_region, revision_id, bad_region. VMX ends off, CR4.VMXE on.
local labs = require "labs"

local def = {
  n = 2, name = "vmxon", title = "VMXON",
  seed = "seed 000 'More on VMXON' (rev id, 4K alignment, CF/ZF); lecture 004 'VMCS', exercise #2",
  goal = "enter VMX root operation by hand, see how VMXON reports success and failure, and leave again",
  leaves = { "revision_id", "vmxon_region", "bad_region" },
  needs = "VMX off and CR4.VMXE = 1, as the lab ends",
  setup = labs.vmx_off_vmxe_on,
}

local function outcome(ok, msg)
  if ok then return "VMsucceed: CF = 0, ZF = 0" end
  if tostring(msg):find("VMfailInvalid", 1, true) then return "VMfailInvalid: CF = 1 (" .. msg .. ")" end
  if tostring(msg):find("VMfailValid", 1, true) then return "VMfailValid: ZF = 1 (" .. msg .. ")" end
  return "exception: " .. tostring(msg)
end

function def.run(L)
  L:step("The revision id: IA32_VMX_BASIC (MSR 0x480)")
  local basic = assert(cpu.rdmsr(0x480))
  revision_id = basic & 0x7FFFFFFF
  L.v.revision_id = revision_id
  L:show("IA32_VMX_BASIC", hex(basic, 16))
  L:show("  bits 30:0 revision id", hex(revision_id))
  L:show("  bit 31", (basic >> 31) & 1, "always 0 (SDM A.1)")
  L:show("  bits 44:32 region size", (basic >> 32) & 0x1FFF, "bytes for the VMXON region and a VMCS")
  L:show("  bits 53:50 memory type", (basic >> 50) & 0xF, "6 = write-back")
  L:say("Seed 000 calls bits 31:0 the revision id; the SDM says 30:0 with bit 31 = 0 -- same value.",
        "Lecture 004 hard-codes 'For our Core-2 Duo processors, it's 7'. This CPU says " .. hex(revision_id) .. ":",
        "the SDM and the running CPU win. Always read it from MSR 0x480, never hard-code it.")
  L:fact("IA32_VMX_BASIC bit 31 is 0", (basic >> 31) & 1 == 0)
  L:fact("the revision id is what this CPU reports, not the slide's 7", revision_id ~= 7, hex(revision_id))

  L:step("Before VMXON: out of VMX operation, CR4.VMXE = 1 (lab 1 checked the rest; lab 3 explains the fixed bits)")
  if vmx.state() ~= "off" then
    L:say("VMX operation was on (an earlier lab): vmx.disable() executes VMXOFF first.")
    assert(vmx.disable())
  end
  if cpu.cr4() & 0x2000 == 0 then
    L:say("Setting CR4.VMXE (bit 13): cpu.write_cr4(cpu.cr4() | 0x2000)")
    assert(cpu.write_cr4(cpu.cr4() | 0x2000))
  end
  L:show("CR4", hex(cpu.cr4(), 8), labs.bit_list(cpu.cr4(), labs.CR4_BITS))
  L:fact("CR4.VMXE = 1", cpu.cr4() & 0x2000 ~= 0)

  L:step("The VMXON region: 4 KiB, 4 KiB-aligned, revision id in its first dword (seed 000's vmxon_rev_id)")
  vmxon_region = assert(mem.alloc(4096, 4096))
  assert(mem.write32(vmxon_region, revision_id))
  L.v.region = vmxon_region
  L:show("vmxon_region", hex(vmxon_region), "physical = virtual in vmxlab (identity map)")
  L:show("first dword", hex(mem.read32(vmxon_region), 8))
  L:say("The operand of VMXON is the region's physical address (seed 000's vmxon_ptr).")

  L:step("What fails: an unaligned region, then a wrong revision id (VMX still off)")
  assert(mem.write32(vmxon_region + 0x10, revision_id))
  local ok, msg, code = vmx.vmxon(vmxon_region + 0x10)
  L:show("vmx.vmxon(vmxon_region + 0x10)", outcome(ok, msg))
  L.v.unaligned = msg
  L:fact("an unaligned region: VMfailInvalid (CF = 1), even with the right revision id in it",
         ok == nil and tostring(msg):find("VMfailInvalid", 1, true), msg)
  bad_region = assert(mem.alloc(4096, 4096))
  assert(mem.write32(bad_region, 7))
  ok, msg = vmx.vmxon(bad_region)
  L:show("vmx.vmxon(bad_region)", outcome(ok, msg), "its first dword is the slide's 7")
  L.v.wrong_revision = msg
  L:fact("a region with revision id 7: VMfailInvalid (CF = 1)",
         ok == nil and tostring(msg):find("VMfailInvalid", 1, true), msg)
  L:say("VMfailInvalid sets CF: seed 000's 'jbe vmxon_failed' catches it (jbe = CF or ZF).",
        "No VMCS can be current before VMXON, so VMXON never reports VMfailValid (ZF) from here.")
  L:eq("after both failures the CPU is still outside VMX operation", vmx.state(), "off")

  L:step("VMXON with the right region")
  ok, msg = vmx.vmxon(vmxon_region)
  L:show("vmx.vmxon(vmxon_region)", outcome(ok, msg))
  L:fact("VMXON succeeds: CF = 0 and ZF = 0", ok == true, msg)
  L:eq("the CPU is in VMX root operation", vmx.state(), "root")
  ok, msg = vmx.vmxon(vmxon_region)
  L:show("vmx.vmxon(vmxon_region) again", outcome(ok, msg))
  L:fact("VMXON inside VMX root operation fails (VMfail; no current VMCS, so VMfailInvalid)",
         ok == nil and tostring(msg):find("VMfailInvalid", 1, true), msg)
  local cr4 = cpu.cr4()
  ok, msg, code = cpu.write_cr4(cr4 & ~0x2000)
  L:show("cpu.write_cr4(cr4 & ~VMXE)", ok and "accepted?!" or tostring(msg))
  L:fact("CR4.VMXE cannot be cleared in VMX operation (#GP)", ok == nil and code == 13, msg)

  L:step("VMXOFF leaves VMX operation")
  ok, msg = vmx.vmxoff()
  L:show("vmx.vmxoff()", ok and "VMsucceed" or tostring(msg))
  L:fact("VMXOFF succeeds", ok == true, msg)
  L:eq("the CPU is outside VMX operation again", vmx.state(), "off")
  local v
  v, msg, code = vmx.vmread("GUEST_RIP")
  L:show("vmx.vmread('GUEST_RIP')", tostring(v) .. "  " .. tostring(msg))
  L:fact("VMREAD outside VMX operation raises #UD (vector 6)", v == nil and code == 6, msg)
  L:say("CR4.VMXE stays 1 (VMXOFF does not clear it): the next VMXON needs only the region.")
end

def.tries = {
  { say = "An unaligned VMXON region", code = "vmx.vmxon(vmxon_region + 0x10)",
    expect = "nil  VMfailInvalid -- ...",
    check = function(ok, msg) return ok == nil and tostring(msg):find("VMfailInvalid", 1, true) end },
  { say = "The slide's revision id 7", code = "vmx.vmxon(bad_region)", expect = "nil  VMfailInvalid -- ...",
    check = function(ok, msg) return ok == nil and tostring(msg):find("VMfailInvalid", 1, true) end },
  { say = "Enter VMX operation", code = "vmx.vmxon(vmxon_region)", expect = "true",
    check = function(ok) return ok == true end },
  { say = "Leave it", code = "vmx.vmxoff()", expect = "true",
    check = function(ok) return ok == true end },
  { say = "VMXOFF outside VMX operation", code = "vmx.vmxoff()", expect = "nil  vmxoff: #UD ...  6",
    check = function(ok, _, code) return ok == nil and code == 6 end },
}

if select("#", ...) == 0 then return labs.main(def) end
return def
