-- labs_vm: the lecture's guest and its VMCS for the labs (scripts/labN_*.lua).
--
--   local vm = require "labs_vm"
--   local g = vm.load_v86(0x10000)          -- the V86 image at 64 KiB, as the lecture's ARENA
--   local machine, vars = vm.v86_machine(g)  -- machine[]: {what = encoding, where = name}
--   local e = vm.launch(machine, vars)       -- VMX on, vmclear + vmptrld, the machine[] loop, vmlaunch
--   print(vm.transcript(g))                  -- what the guest sent to COM1
--   vm.read_results(vm.results, vars)        -- results[]: the exit information, read in one loop
--
-- Without EPT guest-physical is host-physical: the guest runs where it is copied, which must be
-- below 1 MiB (V86 addresses are segment * 16 + offset) and inside the guest's one 4 MiB page.
local vm = {}

vm.DEFAULT_BASE = 0x10000            -- 'Our planned VMX demo': "ARENA, 0x10000 # program load-address"

-- ---- the V86 image ----------------------------------------------------------------------------

-- The header at offset 8 of guests/v86.asm: "V86GUEST", then ("name", 0, dd value) entries.
local function parse_header(image)
  assert(image:sub(9, 16) == "V86GUEST", "vmx.guests.v86: no V86GUEST header")
  local layout, relocs, pos = {}, {}, 17
  while true do
    local name, value
    name, value, pos = string.unpack("<zI4", image, pos)
    if name == "" then break end
    if name == "reloc" then relocs[#relocs + 1] = value else layout[name] = value end
    if image:byte(pos) == 0 then break end
  end
  return layout, relocs
end

-- vm.load_v86([base]) -> g: the image copied to base (4 KiB aligned, below 1 MiB), descriptor
-- bases relocated. g.<structure> are guest-physical addresses, g.off.<structure> image offsets.
function vm.load_v86(base)
  base = base or vm.DEFAULT_BASE
  local info = assert(vmx.guests and vmx.guests.v86, "vmx.guests.v86 is missing (guests/v86.asm not built in)")
  local layout, relocs = parse_header(info.image)
  if base % 4096 ~= 0 then error(("load_v86: base %s is not 4 KiB aligned (the page directory inside must be)"):format(hex(base)), 2) end
  if base < 0x1000 or base + layout.size > 0x9F000 then
    error(("load_v86: %s..%s must lie in 0x1000..0x9F000 (below the EBDA; V86 reaches only the first MiB)")
          :format(hex(base), hex(base + layout.size)), 2)
  end
  assert(mem.write(base, info.image))
  for _, off in ipairs(relocs) do      -- descriptor base: bytes 2-4 and 7 (SDM 3.4.5)
    local a = base + off
    local b = mem.read16(a + 2) | mem.read8(a + 4) << 16 | mem.read8(a + 7) << 24
    b = b + base
    assert(mem.write16(a + 2, b & 0xFFFF))
    assert(mem.write8(a + 4, (b >> 16) & 0xFF))
    assert(mem.write8(a + 7, (b >> 24) & 0xFF))
  end
  local g = { base = base, segment = base >> 4, off = layout, size = layout.size }
  for k, v in pairs(layout) do
    if not k:match("^sel_") and not k:match("_limit$") and k ~= "size" and k ~= "out_cap"
       and k ~= "iopb_ports" then
      g[k] = base + v
    end
  end
  return g
end

-- What the guest printed since the last clear (its copy of the COM1 output).
function vm.transcript(g)
  local n = mem.read32(g.out_len)
  return n > 0 and mem.read(g.out_buf, math.min(n, g.off.out_cap)) or ""
end

function vm.clear_transcript(g) assert(mem.write32(g.out_len, 0)) end

-- ---- machine[]: (what, where) pairs, written in one loop ------------------------------------

-- vm.v86_machine(g [, opts]) -> machine, vars
-- machine[i] = { what = field encoding, where = name of the value in vars }, the lecture's
-- guest state for a V86 task, the controls (bounded by the capability MSRs through vmx.adjust),
-- and the host state. opts: mode = "v86" (default) or "pm" (the image's 32-bit ring-0 entry
-- pm_entry; pm_write_cr0 with opts.rip), cpu = extra primary controls, entry = extra entry controls.
function vm.v86_machine(g, opts)
  opts = opts or {}
  local ctl = vmx.ctl
  local caps = assert(vmx.caps())
  local vars = { g = g }
  local machine = {}
  local function put(what, where, value)
    machine[#machine + 1] = { what = what, where = where }
    vars[where] = value
  end
  -- Guest state ('Setup for VM launch' slides 9-14).
  local pm = opts.mode == "pm"
  for i, s in ipairs { "ES", "CS", "SS", "DS", "FS", "GS" } do
    local sel, ar = g.segment, 0xF3  -- V86: selector = base / 16, limit 0xFFFF, AR 0xF3
    if pm then
      sel = s == "CS" and g.off.sel_code0 or g.off.sel_data0
      ar = s == "CS" and 0x409B or 0x4093    -- 32-bit ring-0 code / data, base = B
    end
    local base = pm and g.base or sel << 4
    put(0x0800 + 2 * (i - 1), "guest_" .. s .. "_selector", sel)
    put(0x6806 + 2 * (i - 1), "guest_" .. s .. "_base", base)
    put(0x4800 + 2 * (i - 1), "guest_" .. s .. "_limit", 0xFFFF)
    put(0x4814 + 2 * (i - 1), "guest_" .. s .. "_AR", ar)
  end
  put(0x080C, "guest_LDTR_selector", g.off.sel_ldt)
  put(0x6812, "guest_LDTR_base", g.ldt)
  put(0x480C, "guest_LDTR_limit", g.off.ldt_limit)
  put(0x4820, "guest_LDTR_AR", 0x82)             -- LDT, present
  put(0x080E, "guest_TR_selector", g.off.sel_tss)
  put(0x6814, "guest_TR_base", g.tss)
  put(0x480E, "guest_TR_limit", g.off.tss_limit)
  put(0x4822, "guest_TR_AR", 0x8B)               -- busy 32-bit TSS
  put(0x6816, "guest_GDTR_base", g.gdt)
  put(0x4810, "guest_GDTR_limit", g.off.gdt_limit)
  put(0x6818, "guest_IDTR_base", g.idt)
  put(0x4812, "guest_IDTR_limit", g.off.idt_limit)
  -- CR0: PG, PE, NE (IA32_VMX_CR0_FIXED0) and ET; CR4: VMXE (FIXED0) and PSE for the 4 MiB page.
  put(0x6800, "guest_CR0", caps.cr0_fixed0 | 0x10)
  put(0x6802, "guest_CR3", g.pd)
  put(0x6804, "guest_CR4", caps.cr4_fixed0 | 0x10)
  put(0x681A, "guest_DR7", 0x400)
  put(0x681C, "guest_RSP", pm and g.off.stack0_top or g.off.stack3_top)
  put(0x681E, "guest_RIP", opts.rip or (pm and g.off.pm_entry or g.off.v86_entry))
  put(0x6820, "guest_RFLAGS", pm and 0x2 or 0x20002)  -- VM (bit 17) for V86; bit 1 is always 1
  put(0x2802, "guest_DEBUGCTL", 0)
  put(0x482A, "guest_SYSENTER_CS", 0)
  put(0x6824, "guest_SYSENTER_ESP", 0)
  put(0x6826, "guest_SYSENTER_EIP", 0)
  put(0x4826, "guest_activity_state", 0)
  put(0x4824, "guest_interruptibility", 0)
  put(0x6822, "guest_pending_debug", 0)
  put(0x2800, "guest_VMCS_link_pointer", -1)     -- slide 14: "null" (all ones)
  -- Controls, each made legal by vmx.adjust: (wanted | allowed-0) & allowed-1.
  put(0x4000, "control_pinbased", (vmx.adjust("pin", 0)))
  put(0x4002, "control_procbased", (vmx.adjust("cpu", ctl.cpu.HLT_EXITING | (opts.cpu or 0))))
  put(0x400C, "control_VM_exit", (vmx.adjust("exit", ctl.exit.HOST_ADDR_SPACE_SIZE)))
  put(0x4012, "control_VM_entry", (vmx.adjust("entry", opts.entry or 0)))
  put(0x4004, "control_exception_bitmap", 0)    -- every guest exception goes to the guest's IDT
  put(0x4006, "control_pagefault_mask", 0)
  put(0x4008, "control_pagefault_match", 0)
  put(0x400A, "control_CR3_target_count", 0)
  put(0x400E, "control_exit_MSR_store_count", 0)
  put(0x4010, "control_exit_MSR_load_count", 0)
  put(0x4014, "control_entry_MSR_load_count", 0)
  put(0x4016, "control_entry_interruption_info", 0)
  put(0x6000, "control_CR0_mask", 0)
  put(0x6004, "control_CR0_shadow", 0)
  put(0x6002, "control_CR4_mask", 0)
  put(0x6006, "control_CR4_shadow", 0)
  -- Host state (slide 15): the running kernel's, as vmx.host_state() finds it (vm.host_vars).
  for _, h in ipairs(vm.HOST_FIELDS) do machine[#machine + 1] = { what = h[1], where = h[2] } end
  return machine, vars
end

-- HOST_RSP and HOST_RIP are not here: vmx.vmlaunch writes them (its exit trampoline, entry.asm).
vm.HOST_FIELDS = {
  { 0x6C00, "host_CR0" }, { 0x6C02, "host_CR3" }, { 0x6C04, "host_CR4" },
  { 0x0C00, "host_ES_selector" }, { 0x0C02, "host_CS_selector" }, { 0x0C04, "host_SS_selector" },
  { 0x0C06, "host_DS_selector" }, { 0x0C08, "host_FS_selector" }, { 0x0C0A, "host_GS_selector" },
  { 0x0C0C, "host_TR_selector" }, { 0x6C06, "host_FS_base" }, { 0x6C08, "host_GS_base" },
  { 0x6C0A, "host_TR_base" }, { 0x6C0C, "host_GDTR_base" }, { 0x6C0E, "host_IDTR_base" },
  { 0x4C00, "host_SYSENTER_CS" }, { 0x6C10, "host_SYSENTER_ESP" }, { 0x6C12, "host_SYSENTER_EIP" },
}

-- The kernel's own state for the host fields: vmx.host_state() writes it into the current VMCS
-- (it knows the kernel's GDT, IDT and TSS), and we read it back into vars.
function vm.host_vars(vars)
  assert(vmx.host_state())
  for _, h in ipairs(vm.HOST_FIELDS) do vars[h[2]] = assert(vmx.vmread(h[1])) end
end

-- The lecture's loop: for each machine[] entry, vmwrite(what, vars[where]).
function vm.write_machine(machine, vars)
  for i, m in ipairs(machine) do
    local value = vars[m.where]
    if value == nil then error(("machine[%d]: vars.%s has no value"):format(i - 1, m.where), 2) end
    local ok, msg = vmx.vmwrite(m.what, value)
    if not ok then
      error(("machine[%d]: vmwrite(%s %s, %s = %s): %s"):format(i - 1, hex(m.what, 4), vm.name(m.what),
            m.where, hex(value), msg), 2)
    end
  end
  return #machine
end

function vm.name(what)
  local ok, f = pcall(vmx.field, what)
  return ok and f.name or "?"
end

-- Prints machine[] (or results[]) as the lecture's table: index, what, where, value.
function vm.print_table(title, list, vars, filter)
  print(("    %-12s what        where                              value"):format(""))
  for i, m in ipairs(list) do
    if not filter or filter(m) then
      print(("    %-12s %s  %-34s %-18s (%s)"):format(("%s[%d]"):format(title, i - 1), hex(m.what, 8), m.where,
            vars[m.where] ~= nil and hex(vars[m.where]) or "-", vm.name(m.what)))
    end
  end
end

-- results[]: what the host reads back after a VM exit, in one loop.
-- Their `where` names differ from machine[]'s: reading results must not change what the next
-- launch writes.
vm.results = {
  { what = 0x4402, where = "exit_reason" },
  { what = 0x6400, where = "exit_qualification" },
  { what = 0x440C, where = "exit_instruction_length" },
  { what = 0x440E, where = "exit_instruction_info" },
  { what = 0x4404, where = "exit_interruption_info" },
  { what = 0x4400, where = "exit_instruction_error" },
  { what = 0x681E, where = "exit_guest_RIP" },
  { what = 0x681C, where = "exit_guest_RSP" },
  { what = 0x6820, where = "exit_guest_RFLAGS" },
  { what = 0x0802, where = "exit_guest_CS_selector" },
  { what = 0x6800, where = "exit_guest_CR0" },
  { what = 0x4016, where = "exit_entry_interruption_info" },
}

function vm.read_results(results, vars)
  for i, r in ipairs(results) do
    local v, msg = vmx.vmread(r.what)
    if v == nil then error(("results[%d]: vmread(%s): %s"):format(i - 1, hex(r.what, 4), msg), 2) end
    vars[r.where] = v
  end
end

-- VMX on (quietly), a fresh VMCS (vmclear + vmptrld), host state into vars, machine[] written.
-- Returns the VMCS's address.
function vm.prepare(machine, vars)
  assert(vmx.enable { quiet = true })
  vars.vmcs = vars.vmcs or assert(vmx.region())
  assert(vmx.vmclear(vars.vmcs))
  assert(vmx.vmptrld(vars.vmcs))
  vm.host_vars(vars)
  vm.write_machine(machine, vars)
  return vars.vmcs
end

-- vm.launch(machine, vars) -> exit record | nil, msg: prepare, then vmlaunch.
function vm.launch(machine, vars)
  vm.prepare(machine, vars)
  if vars.g then vm.clear_transcript(vars.g) end
  return vmx.vmlaunch()
end

-- ---- the actual / mask / shadow / apparent table ('Setup for VM launch', slide 19) --------------------------

function vm.apparent(actual, mask, shadow) return (actual & ~mask) | (shadow & mask) end

-- Prints the four rows bit by bit, most significant first, as the slide lays them out.
function vm.print_cr0_rows(actual, mask, shadow, apparent, bits)
  bits = bits or 16
  local function row(name, v)
    local cells = {}
    for b = bits - 1, 0, -1 do cells[#cells + 1] = tostring((v >> b) & 1) end
    print(("    %-9s %s   %s"):format(name .. ":", table.concat(cells, " "), hex(v & ((1 << bits) - 1), bits // 4)))
  end
  row("actual", actual)
  row("mask", mask)
  row("shadow", shadow)
  print("    " .. ("-"):rep(10 + 2 * bits))
  row("apparent", apparent)
end

-- A zeroed 4 KiB page (MSR bitmap, MSR-load areas: 16-byte entries, SDM 25.7.2 / 25.8.2).
function vm.page() return assert(mem.alloc(4096)) end

function vm.msr_area(entries)
  local area = vm.page()
  for i, e in ipairs(entries) do
    local a = area + 16 * (i - 1)
    assert(mem.write32(a, e[1]))          -- MSR index; bits 63:32 reserved (0)
    assert(mem.write64(a + 8, e[2]))      -- MSR data
  end
  return area
end

return vm
