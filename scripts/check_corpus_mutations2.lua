-- check_corpus_mutations2: the guest-segment, host-state, non-register-state, event-injection and
-- MSR-area mutations of the differential corpus (see check_corpus_mutations.lua for the rules).
local M = {}
local base_m = require "check_corpus_mutations"
local set, multi = base_m.set, base_m.multi

local NONCANON = 0x0000800000000000

-- ---- guest segment registers (27.3.1.2) ----------------------------------------------------

local SEGS = { "CS", "SS", "DS", "ES", "FS", "GS", "TR", "LDTR" }

function M.segment_mutations(list, ctx, base)
  for _, s in ipairs(SEGS) do
    local ar_f, lim_f, base_f, sel_f = "GUEST_" .. s .. "_AR_BYTES", "GUEST_" .. s .. "_LIMIT",
                                       "GUEST_" .. s .. "_BASE", "GUEST_" .. s .. "_SELECTOR"
    local ar, lim, sel = ctx.v(ar_f), ctx.v(lim_f), ctx.v(sel_f)
    local p = "guest." .. s:lower() .. "."
    for t = 0, 15 do
      if t ~= ar & 0xF then set(list, p .. "type." .. t, ar_f, (ar & ~0xF) | t) end
    end
    set(list, p .. "s_flip", ar_f, ar ~ 0x10)
    for _, dpl in ipairs { 1, 3 } do
      if (ar >> 5) & 3 ~= dpl then set(list, p .. "dpl." .. dpl, ar_f, (ar & ~0x60) | (dpl << 5)) end
    end
    set(list, p .. "p_clear", ar_f, ar & ~0x80)
    set(list, p .. "reserved.8", ar_f, ar | 0x100)
    set(list, p .. "reserved.20", ar_f, ar | (1 << 20))
    set(list, p .. "db_flip", ar_f, ar ~ 0x4000)
    set(list, p .. "l_flip", ar_f, ar ~ 0x2000)
    set(list, p .. "g_flip", ar_f, ar ~ 0x8000)
    set(list, p .. "unusable_flip", ar_f, ar ~ 0x10000)
    set(list, p .. "limit.4g_bytes", lim_f, 0xFFFFFFFF)
    set(list, p .. "limit.0ffff000", lim_f, 0x0FFFF000)
    set(list, p .. "limit.fffe", lim_f, 0xFFFE)
    set(list, p .. "base.noncanonical", base_f, NONCANON)
    set(list, p .. "base.bit32", base_f, ctx.v(base_f) | (1 << 32))
    set(list, p .. "base.plus_16", base_f, ctx.v(base_f) + 16)
    set(list, p .. "selector.rpl3", sel_f, sel | 3)
    set(list, p .. "selector.ti", sel_f, sel | 4)
  end
end

-- ---- host state (27.2.2-27.2.4) ------------------------------------------------------------

function M.host_mutations(list, ctx, base)
  for _, s in ipairs { "ES", "CS", "SS", "DS", "FS", "GS", "TR" } do
    local f = "HOST_" .. s .. "_SELECTOR"
    local sel = ctx.v(f)
    set(list, "host." .. s:lower() .. ".rpl1", f, sel | 1)
    set(list, "host." .. s:lower() .. ".ti", f, sel | 4)
  end
  set(list, "host.cs.zero", "HOST_CS_SELECTOR", 0)
  set(list, "host.tr.zero", "HOST_TR_SELECTOR", 0)
  set(list, "host.ss.zero", "HOST_SS_SELECTOR", 0)
  for _, f in ipairs { "HOST_FS_BASE", "HOST_GS_BASE", "HOST_TR_BASE", "HOST_GDTR_BASE", "HOST_IDTR_BASE",
                       "HOST_IA32_SYSENTER_ESP", "HOST_IA32_SYSENTER_EIP" } do
    set(list, f .. ".noncanonical", f, NONCANON)
  end
  local exit = ctx.v("VM_EXIT_CONTROLS")
  local a = ctx.caps.controls.exit
  local efer = assert(cpu.rdmsr(0xC0000080))
  if a.allowed1 & vmx.ctl.exit.LOAD_IA32_EFER ~= 0 then
    local on = exit | vmx.ctl.exit.LOAD_IA32_EFER
    multi(list, "host.efer.lma_clear", { { "VM_EXIT_CONTROLS", on }, { "HOST_IA32_EFER", efer & ~0x400 } })
    multi(list, "host.efer.reserved", { { "VM_EXIT_CONTROLS", on }, { "HOST_IA32_EFER", efer | 0x2 } })
    multi(list, "host.efer.valid", { { "VM_EXIT_CONTROLS", on }, { "HOST_IA32_EFER", efer } })
  end
  if a.allowed1 & vmx.ctl.exit.LOAD_IA32_PAT ~= 0 then
    local pat = assert(cpu.rdmsr(0x277))
    local on = exit | vmx.ctl.exit.LOAD_IA32_PAT
    multi(list, "host.pat.memtype2", { { "VM_EXIT_CONTROLS", on }, { "HOST_IA32_PAT", (pat & ~0xFF) | 2 } })
    multi(list, "host.pat.valid", { { "VM_EXIT_CONTROLS", on }, { "HOST_IA32_PAT", pat } })
  end
end

-- ---- non-register guest state (27.3.1.5), descriptor tables, MSRs (27.3.1.1, 27.3.1.3) ----

function M.state_mutations(list, ctx, base)
  -- Not 3 (wait-for-SIPI): the VMX-preemption timer does not end that state, the guest would wait
  -- for a SIPI forever (SDM 26.5.1).
  for _, st in ipairs { 1, 2, 4, 5, 7 } do
    set(list, "activity." .. st, "GUEST_ACTIVITY_STATE", st, { budget = st <= 2 or nil })
  end
  local rf = ctx.v("GUEST_RFLAGS")
  for _, b in ipairs { 1, 2, 3, 4, 8, 5, 0x10, 0x20, 0x80000000 } do          -- values, not bit numbers
    set(list, ("interruptibility.0x%x"):format(b), "GUEST_INTERRUPTIBILITY_INFO", b)
  end
  multi(list, "interruptibility.sti_if0", { { "GUEST_RFLAGS", rf & ~0x200 }, { "GUEST_INTERRUPTIBILITY_INFO", 1 } })
  for _, bit in ipairs { 4, 11, 13, 15, 32 } do
    set(list, "pending_dbg.reserved." .. bit, "GUEST_PENDING_DBG_EXCEPTIONS", 1 << bit)
  end
  set(list, "pending_dbg.b0", "GUEST_PENDING_DBG_EXCEPTIONS", 1)
  local aux = ctx.pages.aux
  local rev = vmx.caps().basic.revision_id
  set(list, "link.zero", "VMCS_LINK_POINTER", 0)
  set(list, "link.misaligned", "VMCS_LINK_POINTER", aux + 8)
  set(list, "link.beyond_maxphy", "VMCS_LINK_POINTER", 1 << ctx.maxphy)
  list[#list + 1] = { name = "link.revision_ok", apply = function()
    assert(mem.write32(aux, rev)); assert(vmx.vmwrite("VMCS_LINK_POINTER", aux)) end }
  list[#list + 1] = { name = "link.shadow_bit", apply = function()
    assert(mem.write32(aux, rev | 0x80000000)); assert(vmx.vmwrite("VMCS_LINK_POINTER", aux)) end }
  set(list, "link.current_vmcs", "VMCS_LINK_POINTER", assert(vmx.vmptrst()))
  for _, t in ipairs { "GDTR", "IDTR" } do
    set(list, t .. ".limit_10000", "GUEST_" .. t .. "_LIMIT", 0x10000)
    set(list, t .. ".base_noncanonical", "GUEST_" .. t .. "_BASE", NONCANON)
  end
  set(list, "sysenter_esp.noncanonical", "GUEST_SYSENTER_ESP", NONCANON)
  set(list, "sysenter_eip.noncanonical", "GUEST_SYSENTER_EIP", NONCANON)
  set(list, "debugctl.reserved.2", "GUEST_IA32_DEBUGCTL", 4)
  set(list, "debugctl.reserved.32", "GUEST_IA32_DEBUGCTL", 1 << 32)
  local entry, a = ctx.v("VM_ENTRY_CONTROLS"), ctx.caps.controls.entry
  if base == "guest64" and a.allowed1 & vmx.ctl.entry.LOAD_IA32_EFER ~= 0 then
    local efer = assert(cpu.rdmsr(0xC0000080))
    local on = entry | vmx.ctl.entry.LOAD_IA32_EFER
    multi(list, "guest.efer.lma_clear", { { "VM_ENTRY_CONTROLS", on }, { "GUEST_IA32_EFER", efer & ~0x400 } })
    multi(list, "guest.efer.reserved", { { "VM_ENTRY_CONTROLS", on }, { "GUEST_IA32_EFER", efer | 0x2 } })
    multi(list, "guest.efer.valid", { { "VM_ENTRY_CONTROLS", on }, { "GUEST_IA32_EFER", efer } })
  end
  if base == "guest64" and a.allowed1 & vmx.ctl.entry.LOAD_IA32_PAT ~= 0 then
    local pat = assert(cpu.rdmsr(0x277))
    local on = entry | vmx.ctl.entry.LOAD_IA32_PAT
    multi(list, "guest.pat.memtype3", { { "VM_ENTRY_CONTROLS", on }, { "GUEST_IA32_PAT", (pat & ~0xFF) | 3 } })
    multi(list, "guest.pat.valid", { { "VM_ENTRY_CONTROLS", on }, { "GUEST_IA32_PAT", pat } })
  end
end

-- ---- event injection (27.2.1.3, 27.3.1.5) ----------------------------------------------------
-- Only injections some check must refuse, except in the V86 base, whose guest has its own IDT.

local function info(type_, vector, errcode) return 0x80000000 | (type_ << 8) | vector | (errcode and 0x800 or 0) end

function M.injection_mutations(list, ctx, base)
  local F = "VM_ENTRY_INTR_INFO_FIELD"
  set(list, "inject.type1", F, info(1, 0x20))
  set(list, "inject.nmi_vector3", F, info(2, 3))
  set(list, "inject.hw_vector32", F, info(3, 32))
  set(list, "inject.hw_vector255", F, info(3, 255))
  set(list, "inject.ext_errcode", F, info(0, 0x20, true))
  set(list, "inject.soft_errcode", F, info(4, 0x80, true))
  local mtf = ctx.caps.controls.cpu.allowed1 & vmx.ctl.cpu.MONITOR_TRAP_FLAG ~= 0
  if mtf then                                        -- type 7 vector 0: a pending MTF exit (safe)
    set(list, "inject.other_mtf", F, info(7, 0))
    set(list, "inject.other_mtf.reserved12", F, info(7, 0) | (1 << 12))
    set(list, "inject.other_mtf.reserved30", F, info(7, 0) | (1 << 30))
    set(list, "inject.other_vector1", F, info(7, 1))
  end
  if base == "real" then
    set(list, "inject.gp_errcode_in_real_mode", F, info(3, 13, true))
  end
  if base ~= "v86" then return end
  set(list, "inject.pf_no_errcode", F, info(3, 14))
  set(list, "inject.bp_errcode", F, info(3, 3, true))
  multi(list, "inject.errcode_bit15", { { F, info(3, 13, true) }, { "VM_ENTRY_EXCEPTION_ERROR_CODE", 1 << 15 } })
  multi(list, "inject.soft_len0", { { F, info(4, 0x21) }, { "VM_ENTRY_INSTRUCTION_LEN", 0 } })
  multi(list, "inject.soft_len16", { { F, info(4, 0x21) }, { "VM_ENTRY_INSTRUCTION_LEN", 16 } })
  local rf = ctx.v("GUEST_RFLAGS")
  multi(list, "inject.ext_if0", { { F, info(0, 0x21) }, { "GUEST_RFLAGS", rf & ~0x200 } })
  multi(list, "inject.ext_sti_blocking", { { F, info(0, 0x21) }, { "GUEST_INTERRUPTIBILITY_INFO", 1 } })
  multi(list, "inject.ext_movss_blocking", { { F, info(0, 0x21) }, { "GUEST_INTERRUPTIBILITY_INFO", 2 } })
  multi(list, "inject.nmi_nmi_blocking", { { F, info(2, 2) }, { "GUEST_INTERRUPTIBILITY_INFO", 8 } })
end

-- ---- MSR-load/store areas (27.2.1.2, 27.2.1.3, 27.4, 28.7) ------------------------------------

local function area(page, entries)
  for i, e in ipairs(entries) do
    assert(mem.write32(page + 16 * (i - 1), e[1]))
    assert(mem.write32(page + 16 * (i - 1) + 4, e[3] or 0))
    assert(mem.write64(page + 16 * (i - 1) + 8, e[2]))
  end
end

local function msr_area_mutation(list, name, count_f, addr_f, page, entries, extra)
  local m = { name = name, apply = function()
    area(page, entries)
    assert(vmx.vmwrite(addr_f, page)); assert(vmx.vmwrite(count_f, #entries))
  end }
  for k, v in pairs(extra or {}) do m[k] = v end
  list[#list + 1] = m
end

function M.msr_mutations(list, ctx, base)
  local page = ctx.pages.msr
  for _, a in ipairs { { "entry", "VM_ENTRY_MSR_LOAD_COUNT", "VM_ENTRY_MSR_LOAD_ADDR" },
                       { "exit_store", "VM_EXIT_MSR_STORE_COUNT", "VM_EXIT_MSR_STORE_ADDR" },
                       { "exit_load", "VM_EXIT_MSR_LOAD_COUNT", "VM_EXIT_MSR_LOAD_ADDR" } } do
    multi(list, "msr." .. a[1] .. ".misaligned", { { a[2], 1 }, { a[3], page + 8 } })
    multi(list, "msr." .. a[1] .. ".beyond_maxphy", { { a[2], 1 }, { a[3], 1 << ctx.maxphy } })
    multi(list, "msr." .. a[1] .. ".end_beyond_maxphy", { { a[2], 2 }, { a[3], (1 << ctx.maxphy) - 16 } })
  end
  local C, A = "VM_ENTRY_MSR_LOAD_COUNT", "VM_ENTRY_MSR_LOAD_ADDR"
  msr_area_mutation(list, "msr.entry.fs_base", C, A, page, { { 0xC0000100, 0 } })
  msr_area_mutation(list, "msr.entry.x2apic", C, A, page, { { 0x808, 0 } })
  msr_area_mutation(list, "msr.entry.reserved_hi", C, A, page, { { 0x174, 0, 1 } })
  msr_area_mutation(list, "msr.entry.smm_monitor", C, A, page, { { 0x9B, 0 } })
  msr_area_mutation(list, "msr.entry.unknown", C, A, page, { { 0x4C0FFFFF, 0 } })
  msr_area_mutation(list, "msr.entry.second_bad", C, A, page, { { 0x174, 0 }, { 0xC0000101, 0 } })
  msr_area_mutation(list, "msr.entry.valid", C, A, page, { { 0x174, 0 } })
  -- The first VM exit would abort (28.7): vmx.vmlaunch must refuse these; never executed.
  msr_area_mutation(list, "msr.exit_load.fs_base", "VM_EXIT_MSR_LOAD_COUNT", "VM_EXIT_MSR_LOAD_ADDR", page,
                    { { 0xC0000100, 0 } }, { abort = true })
  msr_area_mutation(list, "msr.exit_load.unknown", "VM_EXIT_MSR_LOAD_COUNT", "VM_EXIT_MSR_LOAD_ADDR", page,
                    { { 0x4C0FFFFF, 0 } }, { abort = true })
  msr_area_mutation(list, "msr.exit_load.reserved_hi", "VM_EXIT_MSR_LOAD_COUNT", "VM_EXIT_MSR_LOAD_ADDR", page,
                    { { 0x174, 0, 1 } }, { abort = true })
  msr_area_mutation(list, "msr.exit_store.unknown", "VM_EXIT_MSR_STORE_COUNT", "VM_EXIT_MSR_STORE_ADDR", page,
                    { { 0x4C0FFFFF, 0 } }, { abort = true })
  msr_area_mutation(list, "msr.exit_store.smbase", "VM_EXIT_MSR_STORE_COUNT", "VM_EXIT_MSR_STORE_ADDR", page,
                    { { 0x9E, 0 } }, { abort = true })
end

return M
