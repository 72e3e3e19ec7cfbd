-- vmxlab-test: targets=bochs
-- Every field of the catalogue against this CPU, kvm-unit-tests' "cookie" idea (x86/vmx.c
-- test_vmwrite_vmread): write a value derived from each field's encoding into every field
-- VMWRITE accepts, then read all of them back -- so a field that lost its value, or two fields
-- sharing storage, show up. Fields VMREAD calls unsupported (error 12) are skipped; read-only
-- fields are written only when IA32_VMX_MISC[29] allows it. Also checks the catalogue itself:
-- vmx.field() decodes encodings, names and SDM aliases agree. vmx_fields_penryn.lua repeats it.
local t = dofile("vmx_report.lua")
local caps = assert(vmx.caps())
local misc29 = caps.misc.vmwrite_exit_info

t.vmx_off()

t.section("catalogue", function()
  local n = 0
  for name, enc in pairs(vmx.fields) do
    n = n + 1
    local f = vmx.field(name)
    if f.encoding ~= enc or f.name ~= name then
      t.check(false, "vmx.field(" .. name .. ") agrees with vmx.fields", tostring(f.encoding))
    end
  end
  t.check(n > 150, "vmx.fields lists the SDM's fields (" .. n .. ")")
  local f = vmx.field(0x400A)
  t.eq(f.name, "CR3_TARGET_COUNT", "vmx.field(0x400A) is CR3_TARGET_COUNT")
  t.eq(f.width, "32-bit", "... 32-bit")
  t.eq(f.type, "control", "... a control field")
  t.has(tostring(f), "width (bits 14:13) = 2", "... printed with the encoding taken apart")
  t.eq(vmx.field("EXIT_REASON").name, "VM_EXIT_REASON", "the SDM alias EXIT_REASON finds VM_EXIT_REASON")
  t.eq(vmx.field("VMCS_LINK_POINTER_HIGH").encoding, 0x2801, "a _HIGH field is the encoding + 1")
  t.eq(vmx.field("VMCS_LINK_POINTER_HIGH").bits, 32, "... 32 bits wide")
  -- Linux's names (arch/x86/include/asm/vmx.h) with their encodings (SDM appendix B).
  for name, enc in pairs { CPU_BASED_VM_EXEC_CONTROL = 0x4002, VM_ENTRY_INTR_INFO_FIELD = 0x4016,
                           VM_ENTRY_MSR_LOAD_ADDR = 0x200A, CR0_GUEST_HOST_MASK = 0x6000,
                           CR3_TARGET_COUNT = 0x400A, VMCS_LINK_POINTER = 0x2800, VM_INSTRUCTION_ERROR = 0x4400 } do
    t.eq(vmx.fields[name], enc, "Linux's name " .. name .. " is known")
  end
  t.eq(vmx.error(5), "VM-instruction error 5: VMRESUME with non-launched VMCS", "vmx.error(5)")
  t.eq(select(1, vmx.reason(33)), "INVALID_STATE", "vmx.reason(33)")
  t.eq(vmx.ctl.cpu.HLT_EXITING, 1 << 7, "vmx.ctl.cpu.HLT_EXITING is bit 7")
  t.eq(vmx.ctl.pin.EXT_INTR_EXITING, 1, "vmx.ctl.pin.EXT_INTR_EXITING is bit 0")
  t.eq(vmx.ctl.entry.IA32E_MODE, 1 << 9, "vmx.ctl.entry.IA32E_MODE is bit 9")
  t.eq(vmx.ctl.primary, vmx.ctl.cpu, "vmx.ctl.primary is vmx.ctl.cpu")
end)

t.section("capabilities and adjust", function()
  t.eq(caps.basic.revision_id, cpu.rdmsr(0x480) & 0x7FFFFFFF, "caps.basic.revision_id")
  t.eq(caps.basic.region_size, 4096, "4 KiB regions")
  t.has(tostring(caps), "Pin-based VM-execution controls", "tostring(vmx.caps()) is the report")
  local v, on, off, why = vmx.adjust("pin", 0)
  t.eq(v, caps.controls.pin.allowed0, "adjust(pin, 0) forces the allowed-0 bits on")
  t.eq(on, caps.controls.pin.allowed0, "... and says so")
  t.eq(off, 0, "... nothing forced off")
  t.has(why, "forced on", "... explained")
  v, on, off = vmx.adjust("cpu", 1 << 17)             -- tertiary controls: absent on these models
  t.eq(off, 1 << 17, "adjust forces off what allowed-1 lacks")
  local ok, err = pcall(function() return vmx.adjust("nope", 0) end)
  t.check(not ok and err:find("unknown control kind", 1, true), "an unknown kind raises", err)
end)

t.section("write/read-back of every writable field", function()
  assert(vmx.enable { quiet = true })
  local vmcs = assert(vmx.region())
  assert(vmx.vmclear(vmcs))
  assert(vmx.vmptrld(vmcs))
  local fields = {}
  for name, enc in pairs(vmx.fields) do fields[#fields + 1] = { name = name, enc = enc } end
  table.sort(fields, function(a, b) return a.enc < b.enc end)
  local mask = { [16] = 0xFFFF, [32] = 0xFFFFFFFF, [64] = -1 }
  local function cookie(f)                                 -- distinct per field
    local c = 0x5A00000000000000 | (f.enc << 24) | (f.enc << 8) | 0x5A
    return c & mask[f.info.bits]
  end
  -- Probe first: a failing VMREAD overwrites VM_INSTRUCTION_ERROR, itself one of the fields.
  local supported, unsupported, readonly = {}, 0, 0
  for _, f in ipairs(fields) do
    f.info = vmx.field(f.enc)
    if vmx.vmread(f.enc) ~= nil then supported[#supported + 1] = f else unsupported = unsupported + 1 end
  end
  -- Full-width accesses first; the _HIGH halves alias the full fields (checked below).
  local written, highs = {}, {}
  for _, f in ipairs(supported) do
    if f.info.readonly and not misc29 then
      readonly = readonly + 1
    elseif f.info.high then
      highs[#highs + 1] = f
    else
      local ok, msg = vmx.vmwrite(f.enc, cookie(f))
      if ok then written[#written + 1] = f else t.check(false, "vmwrite(" .. f.name .. ")", msg) end
    end
  end
  local bad = 0
  for _, f in ipairs(written) do
    local got = vmx.vmread(f.enc)
    if got ~= cookie(f) then
      bad = bad + 1
      t.check(false, f.name .. " reads back what was written",
              string.format("got 0x%x, want 0x%x", got or -1, cookie(f)))
    end
  end
  t.check(#written > 100, string.format("%d fields written and read back (%d unsupported, %d read-only)",
                                        #written, unsupported, readonly))
  t.eq(bad, 0, "every written field kept its own value")
  -- 25.11.2: the high access type reads and writes bits 63:32 of the 64-bit field.
  bad = 0
  for _, f in ipairs(highs) do
    local full = f.enc - 1
    local before = vmx.vmread(full)
    local high = 0xA5000000 | f.enc
    assert(vmx.vmwrite(f.enc, high))
    local got_high, got_full = vmx.vmread(f.enc), vmx.vmread(full)
    if got_high ~= high or got_full ~= (before & 0xFFFFFFFF) | (high << 32) then
      bad = bad + 1
      t.check(false, f.name .. " is the upper half of " .. vmx.field(full).name,
              string.format("high 0x%x, full 0x%x", got_high or -1, got_full or -1))
    end
  end
  t.check(#highs > 10, #highs .. " _HIGH fields checked")
  t.eq(bad, 0, "every _HIGH field reads and writes bits 63:32 of its 64-bit field")
  if not misc29 then
    local _, msg, code = vmx.vmwrite("VM_EXIT_REASON", 0)
    t.eq(code, 13, "without IA32_VMX_MISC[29] a read-only field refuses VMWRITE (13)")
  end
  assert(vmx.vmclear(vmcs))
  assert(vmx.disable())
end)

t.section("dump", function()
  require("vmxlib").guest64("cpuid_hlt_vmcall")
  local e = vmx.vmlaunch()
  t.eq(e and e.reason, 10, "guest launched")
  local n = vmx.dump("guest")
  t.check(n and n > 40, "vmx.dump(\"guest\") prints the guest-state area", n)
  n = vmx.dump()
  t.check(n and n > 100, "vmx.dump() prints every supported field", n)
  local ok, err = pcall(function() return vmx.dump("nowhere") end)
  t.check(not ok and err:find("area must be", 1, true), "an unknown area raises", err)
  assert(vmx.disable())
end)

t.done()
