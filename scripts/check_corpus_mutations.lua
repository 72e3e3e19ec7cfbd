-- check_corpus_mutations: the single-field mutations of the differential corpus (check_corpus),
-- generated from the groups of VM-entry checks (SDM 27.2 controls and host state, 27.3 guest
-- state, 27.4 MSR loading, 28.7 VMX aborts): each control bit outside its allowed settings and
-- each free control bit toggled, CR0/CR4 fixed bits, segment type/S/DPL/P/limit/base/L/D and the
-- unusable bit, host selectors and bases, EPTP fields, event injection, MSR areas, the
-- interruptibility state, activity state and the link pointer.
--
-- A mutation is { name = "pin.set.3", apply = function(ctx) ... end [, budget = true] }: apply
-- writes the change into the freshly restored base VMCS. `budget` marks a change after which the
-- guest may enter and not exit at once (it is run with a VMX-preemption-timer budget, and skipped
-- where the CPU has no timer). Valid event injections and valid VM-exit MSR-load entries are not
-- generated: the first would run the host's interrupt handlers inside the guest, the second would
-- load host MSRs on exit.
local M = {}

local function w(field, value) assert(vmx.vmwrite(field, value)) end

-- ctx: the base's values by field name, the capabilities, and scratch pages.
function M.context(base)
  local byenc = {}
  for _, f in ipairs(base.fields) do byenc[f[1]] = f[2] end
  local ctx = { caps = assert(vmx.caps()), maxphy = (cpu.cpuid(0x80000008) or 36) & 0xFF }
  function ctx.v(name) return byenc[vmx.fields[name]] or 0 end
  function ctx.has(name) return byenc[vmx.fields[name]] ~= nil end
  M.pages = M.pages or { msr = assert(mem.alloc(4096)), aux = assert(mem.alloc(4096)) }
  ctx.pages = M.pages
  return ctx
end

local function set(list, name, field, value, extra)
  local m = { name = name, apply = function() w(field, value) end }
  for k, x in pairs(extra or {}) do m[k] = x end
  list[#list + 1] = m
end

local function multi(list, name, writes, extra)
  local m = { name = name, apply = function() for _, x in ipairs(writes) do w(x[1], x[2]) end end }
  for k, x in pairs(extra or {}) do m[k] = x end
  list[#list + 1] = m
end

-- ---- control words ------------------------------------------------------------------------

local CONTROL_FIELDS = {
  pin = "PIN_BASED_VM_EXEC_CONTROL", cpu = "CPU_BASED_VM_EXEC_CONTROL",
  cpu2 = "SECONDARY_VM_EXEC_CONTROL", exit = "VM_EXIT_CONTROLS", entry = "VM_ENTRY_CONTROLS",
}
-- Free bits whose 1-setting changes what the guest or the host does after a valid entry in ways
-- the corpus must not risk: pin 0/6 (forced on by vmx.vmlaunch anyway); exit 19 (load host PAT
-- from a field left 0); entry 15 outside the 64-bit base (it would load a guest IA32_EFER of 0
-- that enters, and VM exit keeps its NXE for the host, 28.5.1); entry 10 (to SMM) is kept: it fails.
local SKIP_FREE = { pin = { [0] = true, [6] = true }, exit = { [19] = true } }
-- Free bits that may let the guest run on without exiting at once (the run gets a budget).
local NEEDS_BUDGET = { cpu = { [2] = true, [22] = true, [27] = true }, cpu2 = { [3] = true } }

local function control_mutations(list, ctx, base)
  for _, kind in ipairs { "pin", "cpu", "cpu2", "exit", "entry" } do
    local field = CONTROL_FIELDS[kind]
    local a = ctx.caps.controls[kind]
    if a.available and ctx.has(field) then
      local value = ctx.v(field)
      for bit = 0, 31 do
        local b = 1 << bit
        local must1, may1 = a.allowed0 & b ~= 0, a.allowed1 & b ~= 0
        if must1 then
          set(list, kind .. ".clear." .. bit, field, value & ~b)           -- allowed-0 says 1
        elseif not may1 then
          if bit < 8 or bit % 3 == 0 or kind == "pin" then                -- a sample of allowed-1 zeros
            set(list, kind .. ".set." .. bit, field, value | b)
          end
        elseif not (SKIP_FREE[kind] and SKIP_FREE[kind][bit])
               and not (kind == "entry" and bit == 15 and base ~= "guest64") then -- free: toggle it
          local budget = NEEDS_BUDGET[kind] and NEEDS_BUDGET[kind][bit] or nil
          set(list, kind .. ".toggle." .. bit, field, value ~ b, { budget = budget })
        end
      end
    end
  end
  set(list, "cr3_target_count.5", "CR3_TARGET_COUNT", 5)
  set(list, "cr3_target_count.4", "CR3_TARGET_COUNT", ctx.caps.misc.cr3_targets)
  local cpu = ctx.v("CPU_BASED_VM_EXEC_CONTROL")
  -- Bitmap addresses (27.2.1.1): 4 KiB aligned, within MAXPHYADDR.
  for _, b in ipairs { { "USE_IO_BITMAPS", "IO_BITMAP_A" }, { "USE_IO_BITMAPS", "IO_BITMAP_B" },
                       { "USE_MSR_BITMAPS", "MSR_BITMAP" } } do
    local on = cpu | vmx.ctl.cpu[b[1]]
    if ctx.caps.controls.cpu.allowed1 & vmx.ctl.cpu[b[1]] ~= 0 then
      multi(list, b[2] .. ".misaligned", { { "CPU_BASED_VM_EXEC_CONTROL", on }, { b[2], ctx.pages.aux + 0x10 } })
      multi(list, b[2] .. ".beyond_maxphy", { { "CPU_BASED_VM_EXEC_CONTROL", on }, { b[2], 1 << ctx.maxphy } })
      multi(list, b[2] .. ".valid", { { "CPU_BASED_VM_EXEC_CONTROL", on }, { b[2], ctx.pages.aux } })
    end
  end
end

-- ---- EPT, VPID, unrestricted guest --------------------------------------------------------

local function ept_mutations(list, ctx, base)
  local a = ctx.caps.controls.cpu2
  if not a.available then return end
  local cpu = ctx.v("CPU_BASED_VM_EXEC_CONTROL") | vmx.ctl.cpu.ACTIVATE_SECONDARY_CONTROLS
  local cpu2 = ctx.v("SECONDARY_VM_EXEC_CONTROL")
  local function with2(name, bits, writes)
    if a.allowed1 & bits ~= bits then return end
    local all = { { "CPU_BASED_VM_EXEC_CONTROL", cpu }, { "SECONDARY_VM_EXEC_CONTROL", cpu2 | bits } }
    for _, x in ipairs(writes or {}) do all[#all + 1] = x end
    multi(list, name, all)
  end
  local EPT, VPID, UG = vmx.ctl.cpu2.ENABLE_EPT, vmx.ctl.cpu2.ENABLE_VPID, vmx.ctl.cpu2.UNRESTRICTED_GUEST
  with2("vpid.zero", VPID, { { "VIRTUAL_PROCESSOR_ID", 0 } })
  with2("vpid.one", VPID, { { "VIRTUAL_PROCESSOR_ID", 1 } })
  if base ~= "real" then
    with2("ept.eptp_zero", EPT, { { "EPT_POINTER", 0 } })
    with2("unrestricted.without_ept", UG)
    return
  end
  local eptp = ctx.v("EPT_POINTER")
  local page = eptp & ~0xFFF
  for t = 0, 7 do set(list, "eptp.memtype." .. t, "EPT_POINTER", page | (3 << 3) | t) end
  for l = 0, 7 do
    if l ~= 3 then set(list, "eptp.walk." .. (l + 1), "EPT_POINTER", page | (l << 3) | 6) end
  end
  set(list, "eptp.ad", "EPT_POINTER", eptp | 0x40)
  for bit = 7, 11 do set(list, "eptp.reserved." .. bit, "EPT_POINTER", eptp | (1 << bit)) end
  set(list, "eptp.beyond_maxphy", "EPT_POINTER", eptp | (1 << ctx.maxphy))
  set(list, "eptp.bit63", "EPT_POINTER", eptp | (1 << 63))
  set(list, "real.ept_off", "SECONDARY_VM_EXEC_CONTROL", cpu2 & ~EPT)
  set(list, "real.ug_off", "SECONDARY_VM_EXEC_CONTROL", cpu2 & ~UG)
  set(list, "real.pg_without_pe", "GUEST_CR0", ctx.v("GUEST_CR0") | 0x80000000)
end

-- ---- CR0, CR4, CR3, DR7, RFLAGS, RIP ------------------------------------------------------

local function register_mutations(list, ctx, base)
  local c = ctx.caps
  for _, g in ipairs { "GUEST", "HOST" } do
    for _, cr in ipairs { { "CR0", c.cr0_fixed0, c.cr0_fixed1 }, { "CR4", c.cr4_fixed0, c.cr4_fixed1 } } do
      local field = g .. "_" .. cr[1]
      local value = ctx.v(field)
      for bit = 0, 31 do
        local b = 1 << bit
        if cr[2] & b ~= 0 and value & b ~= 0 then set(list, field .. ".clear." .. bit, field, value & ~b) end
        if cr[3] & b == 0 and value & b == 0 and bit % 2 == (cr[1] == "CR0" and 1 or 0) then
          set(list, field .. ".set." .. bit, field, value | b)
        end
      end
      set(list, field .. ".bit32", field, value | (1 << 32))
    end
  end
  set(list, "HOST_CR4.pae_clear", "HOST_CR4", ctx.v("HOST_CR4") & ~0x20)
  set(list, "HOST_CR3.beyond_maxphy", "HOST_CR3", ctx.v("HOST_CR3") | (1 << ctx.maxphy))
  set(list, "GUEST_CR3.beyond_maxphy", "GUEST_CR3", ctx.v("GUEST_CR3") | (1 << ctx.maxphy))
  set(list, "GUEST_DR7.bit32", "GUEST_DR7", ctx.v("GUEST_DR7") | (1 << 32))
  set(list, "GUEST_DR7.bit63", "GUEST_DR7", ctx.v("GUEST_DR7") | (1 << 63))
  local rf = ctx.v("GUEST_RFLAGS")
  set(list, "GUEST_RFLAGS.bit1_clear", "GUEST_RFLAGS", rf & ~2)
  for _, bit in ipairs { 3, 5, 15, 22, 31, 32, 63 } do
    set(list, "GUEST_RFLAGS.reserved." .. bit, "GUEST_RFLAGS", rf | (1 << bit))
  end
  if base == "guest64" then
    set(list, "GUEST_RFLAGS.vm_in_64bit", "GUEST_RFLAGS", rf | (1 << 17))
    set(list, "GUEST_RIP.noncanonical", "GUEST_RIP", 0x0000800000000000 | ctx.v("GUEST_RIP"))
    set(list, "GUEST_CR4.pae_clear", "GUEST_CR4", ctx.v("GUEST_CR4") & ~0x20)
    set(list, "GUEST_CR0.pg_clear", "GUEST_CR0", ctx.v("GUEST_CR0") & ~0x80000000)
  else
    set(list, "GUEST_RIP.bit32", "GUEST_RIP", (1 << 32) | ctx.v("GUEST_RIP"))
    set(list, "GUEST_CR4.pcide", "GUEST_CR4", ctx.v("GUEST_CR4") | (1 << 17))
  end
  set(list, "GUEST_RFLAGS.if_clear", "GUEST_RFLAGS", rf & ~0x200)
end

M.control_mutations, M.ept_mutations, M.register_mutations = control_mutations, ept_mutations, register_mutations
M.set, M.multi = set, multi

-- mutations.list(base_name, ctx) -> the list for that base, in a fixed order.
function M.list(base, ctx)
  local list = {}
  control_mutations(list, ctx, base)
  ept_mutations(list, ctx, base)
  register_mutations(list, ctx, base)
  local more = require "check_corpus_mutations2"
  more.segment_mutations(list, ctx, base)
  more.host_mutations(list, ctx, base)
  more.state_mutations(list, ctx, base)
  more.injection_mutations(list, ctx, base)
  more.msr_mutations(list, ctx, base)
  return list
end

return M
