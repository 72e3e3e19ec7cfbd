-- vmxlib: the VMCS set-up every 64-bit guest needs, written once so that scripts and users do not
-- repeat sixty vmwrites. Read it as a worked example of SDM 27.2-27.3 (the checks VM entry makes).
--
--   local vmxlib = require "vmxlib"
--   local s = vmxlib.guest64("cpuid_hlt_vmcall")   -- VMX on, a fresh current VMCS, guest loaded
--   local e = vmx.vmlaunch()                       -- VM exit 10 CPUID ...
--   vmx.skip(); e = vmx.vmresume()                 -- VM exit 12 HLT ...
--
-- The guest runs in 64-bit mode at CPL 0 and shares the host's page tables (GUEST_CR3 = CR3),
-- GDT and TSS: without EPT, guest-physical addresses are host-physical. Every exception the guest
-- raises exits (EXCEPTION_BITMAP = all ones), so its mistakes come back as exit records. The IDT
-- is the guest's own: an exception that does not exit (an injected event, a vector cleared in
-- EXCEPTION_BITMAP) reaches guests/idt_report.asm, whose handler reports it through VMCALL --
-- an exit record "... -- guest exception 13 #GP at RIP ..., error code ..." with e.exception.
local vmxlib = {}

-- vmxlib.write(field, value): VMWRITE that raises "vmwrite(FIELD): message" at its caller's caller.
local function w(field, value)
  local ok, msg = vmx.vmwrite(field, value)
  if not ok then error("vmwrite(" .. field .. "): " .. msg, 3) end
end
vmxlib.write = w

-- vmxlab's GDT (arch/x86_64/descriptors.cpp): null, 0x08 code, 0x10 data, 0x18 TSS (16 bytes).
local GDT_LIMIT, IDT_LIMIT = 5 * 8 - 1, 256 * 16 - 1
-- Access rights (SDM 25.4.1): 64-bit code execute/read accessed (L=1, G=1); data read/write
-- accessed (D/B=1, G=1); busy 64-bit TSS; LDTR unusable (bit 16).
local AR_CODE64, AR_DATA, AR_TSS_BUSY, AR_UNUSABLE = 0xA09B, 0xC093, 0x008B, 0x10000

-- Controls made legal with vmx.adjust (allowed-0/allowed-1 from the capability MSRs).
local function controls(opts)
  local ctl = vmx.ctl
  w("PIN_BASED_VM_EXEC_CONTROL", (vmx.adjust("pin", opts.pin or 0)))
  local cpu_bits = opts.cpu or ctl.cpu.HLT_EXITING
  if opts.cpu2 then cpu_bits = cpu_bits | ctl.cpu.ACTIVATE_SECONDARY_CONTROLS end
  w("CPU_BASED_VM_EXEC_CONTROL", (vmx.adjust("cpu", cpu_bits)))
  if opts.cpu2 then w("SECONDARY_VM_EXEC_CONTROL", (vmx.adjust("cpu2", opts.cpu2))) end
  -- 27.2.4: a 64-bit host needs "host address-space size"; 27.2.1.3: an IA-32e guest needs
  -- "IA-32e mode guest".
  w("VM_EXIT_CONTROLS", (vmx.adjust("exit", ctl.exit.HOST_ADDR_SPACE_SIZE | (opts.exit or 0))))
  w("VM_ENTRY_CONTROLS", (vmx.adjust("entry", ctl.entry.IA32E_MODE | (opts.entry or 0))))
  w("EXCEPTION_BITMAP", opts.exceptions or 0xFFFFFFFF)
  w("PAGE_FAULT_ERROR_CODE_MASK", 0)
  w("PAGE_FAULT_ERROR_CODE_MATCH", 0)
  w("CR3_TARGET_COUNT", 0)
  w("VM_EXIT_MSR_STORE_COUNT", 0)
  w("VM_EXIT_MSR_LOAD_COUNT", 0)
  w("VM_ENTRY_MSR_LOAD_COUNT", 0)
  w("VM_ENTRY_INTR_INFO_FIELD", 0)
  -- Nothing of CR0/CR4 is owned by the host: the guest reads and writes them itself.
  w("CR0_GUEST_HOST_MASK", 0)
  w("CR4_GUEST_HOST_MASK", 0)
  w("CR0_READ_SHADOW", 0)
  w("CR4_READ_SHADOW", 0)
  w("VMCS_LINK_POINTER", -1)             -- 27.3.1.5: all ones unless VMCS shadowing is used
end

-- vmxlib.segment(name, selector, base, limit, ar): the four guest fields of segment register name.
local function segment(name, selector, base, limit, ar)
  w("GUEST_" .. name .. "_SELECTOR", selector)
  w("GUEST_" .. name .. "_BASE", base)
  w("GUEST_" .. name .. "_LIMIT", limit)
  w("GUEST_" .. name .. "_AR_BYTES", ar)
end
vmxlib.segment = segment

-- The guest's IDT (one page): 256 64-bit interrupt gates (Vol. 3A 6.14.1: offset 15:0, selector
-- 0x08, type 0xE present DPL 0, offset 31:16, offset 63:32) to the handlers of the idt_report
-- image, 16 bytes apart. Built once and shared by every guest64 guest: nothing in it changes.
local idt_base
local function guest_idt()
  if idt_base then return idt_base end
  local handlers = assert(vmx.load_guest("idt_report"))
  local gates = {}
  for v = 0, 255 do
    local h = handlers.entry + 16 * v
    local low = (h & 0xFFFF) | (0x08 << 16) | (0x8E << 40) | ((h >> 16) & 0xFFFF) << 48
    gates[v + 1] = string.pack("<I8I8", low, h >> 32)
  end
  local idt = assert(mem.alloc(4096))
  assert(mem.write(idt, table.concat(gates)))
  idt_base = idt
  return idt
end

-- The guest-state area for 64-bit mode (27.3.1): control registers as the host's, flat segments.
local function guest_state(g)
  w("GUEST_CR0", cpu.cr0())
  w("GUEST_CR3", cpu.cr3())
  w("GUEST_CR4", cpu.cr4())
  w("GUEST_DR7", 0x400)
  w("GUEST_IA32_DEBUGCTL", 0)
  segment("CS", 0x08, 0, 0xFFFFFFFF, AR_CODE64)
  for _, s in ipairs { "SS", "DS", "ES", "FS", "GS" } do segment(s, 0x10, 0, 0xFFFFFFFF, AR_DATA) end
  segment("TR", 0x18, assert(vmx.vmread("HOST_TR_BASE")), 0x67, AR_TSS_BUSY)
  segment("LDTR", 0, 0, 0, AR_UNUSABLE)
  w("GUEST_GDTR_BASE", assert(vmx.vmread("HOST_GDTR_BASE")))
  w("GUEST_GDTR_LIMIT", GDT_LIMIT)
  w("GUEST_IDTR_BASE", guest_idt())    -- the guest's own, never the kernel's
  w("GUEST_IDTR_LIMIT", IDT_LIMIT)
  w("GUEST_RSP", g.stack)
  w("GUEST_RIP", g.entry)
  -- Bit 1 is reserved as 1 (27.3.1.4). IF = 1: vmx.vmlaunch/vmresume force external-interrupt
  -- exiting on, so no interrupt ever reaches the guest; and Bochs 2.7 takes those exits only for
  -- a guest entered with IF = 1 (see docs/vmx-api.md, "Ctrl-C").
  w("GUEST_RFLAGS", 0x202)
  w("GUEST_ACTIVITY_STATE", 0)
  w("GUEST_INTERRUPTIBILITY_INFO", 0)
  w("GUEST_PENDING_DBG_EXCEPTIONS", 0)
  w("GUEST_SYSENTER_CS", 0)
  w("GUEST_SYSENTER_ESP", 0)
  w("GUEST_SYSENTER_EIP", 0)
  local entry = assert(vmx.vmread("VM_ENTRY_CONTROLS"))
  if entry & vmx.ctl.entry.LOAD_IA32_EFER ~= 0 then w("GUEST_IA32_EFER", assert(cpu.rdmsr(0xC0000080))) end
  if entry & vmx.ctl.entry.LOAD_IA32_PAT ~= 0 then w("GUEST_IA32_PAT", assert(cpu.rdmsr(0x277))) end
  for _, r in ipairs { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10", "r11",
                       "r12", "r13", "r14", "r15" } do
    vmx.regs[r] = 0
  end
end

-- vmxlib.guest64([name [, opts]]) -> { vmcs=, guest={code=, entry=, stack=, ...}, name= }
-- Enables VMX if needed, makes a new VMCS current (vmclear + vmptrld), loads the built-in guest
-- `name` (default "cpuid_hlt_vmcall") and fills controls, host and guest state. opts: pin, cpu,
-- cpu2, exit, entry (control bits wanted, adjusted to the CPU), exceptions (EXCEPTION_BITMAP),
-- quiet (default true: vmx.enable prints nothing).
function vmxlib.guest64(name, opts)
  opts = opts or {}
  name = name or "cpuid_hlt_vmcall"
  assert(vmx.enable { quiet = opts.quiet ~= false })
  local g = assert(vmx.load_guest(name))
  local vmcs = assert(vmx.region())
  assert(vmx.vmclear(vmcs))
  assert(vmx.vmptrld(vmcs))
  controls(opts)
  assert(vmx.host_state())
  guest_state(g)
  return { vmcs = vmcs, guest = g, name = name }
end

-- vmxlib.run(on_exit [, budget]) -> the last exit record (or nil, msg)
-- A Lua VMM loop: launches (or resumes) the current VMCS and calls on_exit(e) for each exit
-- until it returns something false, the guest was interrupted by Ctrl-C, or entry failed.
function vmxlib.run(on_exit, budget)
  local state = vmx.state()
  local e, msg, code
  if state == "launched" then e, msg, code = vmx.vmresume(budget) else e, msg, code = vmx.vmlaunch(budget) end
  while e and not e.interrupted and not e.entry_failure and on_exit(e) do
    e, msg, code = vmx.vmresume(budget)
  end
  return e, msg, code
end

-- vmxlib.bench(n) -> instructions per round trip through Lua, through C++
-- The cpuid_loop guest exits n times into a Lua loop (vmresume, check, skip) and n times into
-- vmx.bench_roundtrip's C++ loop. In Bochs RDTSC counts instructions retired (docs/emulators.md).
function vmxlib.bench(n)
  n = n or 1000
  vmxlib.guest64("cpuid_loop")
  local e = assert(vmx.vmlaunch())
  assert(e.reason == 10, tostring(e))
  vmx.skip()
  local cpp = assert(vmx.bench_roundtrip(n))
  local vmresume, skip, rdtsc = vmx.vmresume, vmx.skip, cpu.rdtsc
  local t0 = rdtsc()
  for _ = 1, n do
    local x = vmresume()
    if x.reason ~= 10 then error("bench: unexpected " .. tostring(x)) end
    skip()
  end
  local lua = (rdtsc() - t0) / n
  return lua, cpp
end

return vmxlib
