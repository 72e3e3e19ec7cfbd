-- Lab 4: VMCS field encodings, vmwrite and vmread (seed 002, slides 3-6)
-- Takes encodings apart (width, type, index, access type), writes 2 into the CR3-target count
-- and reads it back, reads the read-only exit reason, and shows what writing it does on this
-- CPU (IA32_VMX_MISC bit 29 decides). Leaves: vmcs (current), field_parts(enc).
local labs = require "labs"

local def = {
  n = 4, name = "fields", title = "Field encodings, vmwrite and vmread",
  seed = "seed 002 slides 3-6 ('Access to VMCS', 'Over one hundred fields!', 'vmwrite', 'vmread')",
  goal = "read a field encoding like the CPU does, and use vmwrite/vmread on a current VMCS",
  leaves = { "vmcs", "field_parts" },
  needs = "VMX on with vmcs current",
}

-- VMX on with the lab's vmcs current (another lab may have switched VMX off or loaded another).
function def.setup()
  if vmx.state() ~= "off" and vmx.vmptrst() == vmcs then return nil end
  assert(vmx.enable { quiet = true })
  assert(vmx.vmptrld(vmcs))
  return "vmx.enable(); vmx.vmptrld(vmcs)"
end

local WIDTH = { [0] = "16-bit", "64-bit", "32-bit", "natural-width" }
local TYPE = { [0] = "control", "read-only data", "guest-state", "host-state" }

-- The slide's layout: bit 0 A (access), 9:1 index, 11:10 T (type), 12 = 0, 14:13 W (width).
function field_parts(enc)
  return { access = enc & 1, index = (enc >> 1) & 0x1FF, type = (enc >> 10) & 3,
           width = (enc >> 13) & 3, reserved = enc >> 15, bit12 = (enc >> 12) & 1 }
end

local EXAMPLES = {
  { 0x0000400A, "the slide's CR3-target count" }, { 0x00004402, "the slide's exit reason" },
  { 0x00006800, "guest CR0" }, { 0x00000802, "guest CS selector" },
  { 0x00002800, "VMCS link pointer (full)" }, { 0x00002801, "VMCS link pointer (high)" },
  { 0x00006C16, "host RIP" },
}

function def.run(L)
  L:step("Take encodings apart: 31:15 reserved (0) | 14:13 W | 12 (0) | 11:10 T | 9:1 INDEX | 0 A")
  L:say("W: 00 16-bit, 01 64-bit, 10 32-bit, 11 natural-width.  T: 00 control, 01 read-only, 10 guest, 11 host.",
        "A: 0 full, 1 high (only 64-bit fields have a high half: their upper 32 bits).")
  print("    encoding    W  width          T  type             index  A     name (vmx.field)")
  local agree = true
  for _, ex in ipairs(EXAMPLES) do
    local p, f = field_parts(ex[1]), vmx.field(ex[1])
    print(("    %s  %d  %-13s  %d  %-15s  %5d  %d     %s -- %s"):format(hex(ex[1], 8), p.width, WIDTH[p.width],
          p.type, TYPE[p.type], p.index, p.access, f.name or "?", ex[2]))
    if f.index ~= p.index or f.high ~= (p.access == 1) then agree = false end
  end
  local cr3t, reason = field_parts(0x400A), field_parts(0x4402)
  L.v.cr3_target_parts, L.v.exit_reason_parts = cr3t, reason
  L:fact("0x0000400A: 32-bit control field, index 5, full", cr3t.width == 2 and cr3t.type == 0 and cr3t.index == 5 and cr3t.access == 0)
  L:fact("0x00004402: 32-bit read-only data field, index 1, full", reason.width == 2 and reason.type == 1 and reason.index == 1 and reason.access == 0)
  L:fact("this decoding agrees with vmx.field()'s", agree)

  L:step("A current VMCS to work on: VMX on, a region with the revision id, VMCLEAR, VMPTRLD")
  assert(vmx.enable { quiet = true })
  vmcs = assert(vmx.region())
  assert(vmx.vmclear(vmcs))
  assert(vmx.vmptrld(vmcs))
  L:show("vmcs", hex(vmcs), "VMCLEAR then VMPTRLD: now the current VMCS")
  L:say("Slide 3: after the revision id, every access is indirect -- the layout varies among processors.")

  L:step("vmwrite: the slide's 'mov $0x400A,%rax; mov $2,%rbx; vmwrite %rbx,%rax'")
  local ok, msg = vmx.vmwrite(0x400A, 2)
  L:fact("vmwrite(0x400A, 2) succeeds", ok == true, msg)
  local v = vmx.vmread(0x400A)
  L:show("vmread(0x400A)", tostring(v))
  L.v.cr3_target_count = v
  L:eq("the CR3-target count reads back 2", v, 2)

  L:step("vmread: the slide's 'mov $0x4402,%rax; vmread %rax,(%rbx)' -- a read-only field")
  v, msg = vmx.vmread(0x4402)
  L:show("vmread(0x4402)", v and hex(v) or tostring(msg), "no VM exit has happened on this VMCS yet")
  L:fact("a read-only field can be read", v ~= nil, msg)

  L:step("vmwrite to the read-only exit reason: IA32_VMX_MISC bit 29 decides")
  local misc = assert(cpu.rdmsr(0x485))
  local may = (misc >> 29) & 1 == 1
  L.v.misc29 = may
  L:show("IA32_VMX_MISC", hex(misc), ("bit 29 = %d: VMWRITE %s write VM-exit information fields"):format(may and 1 or 0, may and "may" or "may not"))
  local code
  ok, msg, code = vmx.vmwrite(0x4402, 1)
  L:show("vmwrite(0x4402, 1)", ok and "true" or tostring(msg))
  L.v.write_ro_ok, L.v.write_ro_code = ok, code
  if may then
    L:fact("with MISC[29] = 1 the write succeeds (newer CPUs allow it)", ok == true, msg)
    L:eq("and reads back", vmx.vmread(0x4402), 1)
  else
    L:fact("with MISC[29] = 0 the write fails: VMfailValid, VM-instruction error 13", ok == nil and code == 13, msg)
  end
  L:say("VMfailValid sets ZF and the reason is in the VM-instruction error field (0x4400):",
        "vmx.error(13) = " .. vmx.error(13))

  L:step("Other things vmread and vmwrite say")
  ok, msg, code = vmx.vmread(0x6FFE)
  L:show("vmread(0x6FFE)", tostring(msg))
  L:fact("a field this CPU does not have: VMfailValid, error 12", ok == nil and code == 12, msg)
  assert(vmx.vmwrite(0x2800, -1))
  v = vmx.vmread(0x2801)
  L:show("vmwrite(0x2800, -1); vmread(0x2801)", hex(v), "the high half of the 64-bit link pointer")
  L:eq("the high-access encoding (A = 1) reads bits 63:32", v, 0xFFFFFFFF)
  assert(vmx.vmwrite(0x0802, 0x12345))
  v = vmx.vmread(0x0802)
  L:show("vmwrite(0x0802, 0x12345); vmread", hex(v), "a 16-bit field keeps the low 16 bits")
  L:eq("a 16-bit field keeps only its width", v, 0x2345)
end

def.tries = {
  { say = "What the CPU makes of 0x400A", code = "field_parts(0x400A)",
    expect = "a table: width 2 (32-bit), type 0 (control), index 5, access 0",
    check = function(p) return type(p) == "table" and p.width == 2 and p.type == 0 and p.index == 5 and p.access == 0 end },
  { say = "The catalogue's paragraph about it", code = "tostring(vmx.field(0x400A))",
    expect = "text naming CR3_TARGET_COUNT",
    check = function(s) return type(s) == "string" and s:find("CR3_TARGET_COUNT", 1, true) ~= nil end },
  { say = "Write 3 and read it back", code = "vmx.vmwrite(0x400A, 3) and vmx.vmread(0x400A)", expect = "3",
    check = function(v) return v == 3 end },
  { say = "A field that does not exist", code = "vmx.vmread(0x6FFE)", expect = "nil  VMfailValid(12): ...  12",
    check = function(ok, _, code) return ok == nil and code == 12 end },
  { say = "Write the read-only exit reason", code = "vmx.vmwrite('VM_EXIT_REASON', 7)",
    expect = "true where IA32_VMX_MISC[29] = 1 (skylake), else nil  VMfailValid(13) ...  13",
    check = function(ok, _, code)
      local may = (cpu.rdmsr(0x485) >> 29) & 1 == 1
      if may then return ok == true end
      return ok == nil and code == 13
    end },
}

if select("#", ...) == 0 then return labs.main(def) end
return def
