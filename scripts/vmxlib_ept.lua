-- vmxlib_ept: EPT and the guests that need it -- an identity map of guest-physical memory and an
-- unrestricted guest in real mode (SDM 325462-080US, docs/sdm.md: 29.3 EPT, 27.3.1 checks for
-- unrestricted guests).
--
--   local ept = require "vmxlib_ept"
--   local eptp = ept.identity()               -- guest-physical = host-physical, 0..4 GiB, WB
--   local s = ept.real_mode()                 -- VMX on, a fresh VMCS: a real-mode guest at 0x0700:0000
--   local e = vmx.vmlaunch()                  -- VM exit 10 CPUID at RIP 0x0
--   vmx.skip(); e = vmx.vmresume()            -- VM exit 12 HLT
--
-- With "unrestricted guest" (secondary control bit 7, which needs "enable EPT") the guest may run
-- with CR0.PE = 0 and CR0.PG = 0: real mode, as after reset, without the V86 detour.
local vmxlib = require "vmxlib"

local ept = {}

ept.CODE = 0x7000                      -- the guest's code: below 1 MiB, clear of the V86 image (0x10000)
-- cpuid; hlt; jmp short back to the hlt (16-bit real-mode code).
ept.PROGRAM = "\x0F\xA2\xF4\xEB\xFD"

local cached                           -- one identity map per boot is enough: it never changes

-- ept.identity([gib]) -> eptp, pml4: an EPT identity map of guest-physical 0 .. gib GiB (default 4)
-- with 2 MiB pages, read/write/execute, write-back. Entries (SDM 29.3.2): bits 2:0 R/W/X; in a
-- 2 MiB leaf bits 5:3 the memory type (6 = WB) and bit 7 = 1. EPTP (25.6.11): bits 2:0 memory type
-- of the paging structures (6 = WB), bits 5:3 walk length - 1 (3: four levels).
function ept.identity(gib)
  gib = gib or 4
  if cached and cached.gib == gib then return cached.eptp, cached.pml4 end
  local c = assert(vmx.caps())
  local e = c.ept_vpid
  if not (e and e.walk_length_4 and e.memtype_wb and e.pde_2mb) then
    error("ept.identity: this CPU lacks 4-level EPT with WB and 2 MiB pages (vmx.caps().ept_vpid)", 2)
  end
  local pml4, pdpt = assert(mem.alloc(4096)), assert(mem.alloc(4096))
  assert(mem.write64(pml4, pdpt | 7))
  for g = 0, gib - 1 do
    local pd = assert(mem.alloc(4096))
    local entries = {}
    for i = 0, 511 do entries[#entries + 1] = string.pack("<I8", (g << 30) | (i << 21) | 0x80 | (6 << 3) | 7) end
    assert(mem.write(pd, table.concat(entries)))
    assert(mem.write64(pdpt + 8 * g, pd | 7))
  end
  cached = { gib = gib, pml4 = pml4, eptp = pml4 | (3 << 3) | 6 }
  return cached.eptp, pml4
end

local w = vmxlib.write

-- Controls of a guest without IA-32e mode: EPT + unrestricted guest, HLT exiting, every exception exits.
local function controls(eptp, opts)
  local ctl = vmx.ctl
  w("PIN_BASED_VM_EXEC_CONTROL", (vmx.adjust("pin", 0)))
  w("CPU_BASED_VM_EXEC_CONTROL", (vmx.adjust("cpu", ctl.cpu.HLT_EXITING | ctl.cpu.ACTIVATE_SECONDARY_CONTROLS)))
  local want = ctl.cpu2.ENABLE_EPT | ctl.cpu2.UNRESTRICTED_GUEST | (opts.cpu2 or 0)
  local cpu2 = vmx.adjust("cpu2", want)
  if cpu2 & want ~= want then
    error("ept.real_mode: this CPU cannot run an unrestricted guest (secondary controls: EPT, bit 7)", 3)
  end
  w("SECONDARY_VM_EXEC_CONTROL", cpu2)
  w("EPT_POINTER", eptp)
  w("VM_EXIT_CONTROLS", (vmx.adjust("exit", ctl.exit.HOST_ADDR_SPACE_SIZE)))  -- 27.2.4: 64-bit host
  w("VM_ENTRY_CONTROLS", (vmx.adjust("entry", 0)))                            -- no IA-32e mode guest
  for _, f in ipairs { "PAGE_FAULT_ERROR_CODE_MASK", "PAGE_FAULT_ERROR_CODE_MATCH", "CR3_TARGET_COUNT",
                       "VM_EXIT_MSR_STORE_COUNT", "VM_EXIT_MSR_LOAD_COUNT", "VM_ENTRY_MSR_LOAD_COUNT",
                       "VM_ENTRY_INTR_INFO_FIELD", "CR0_GUEST_HOST_MASK", "CR4_GUEST_HOST_MASK",
                       "CR0_READ_SHADOW", "CR4_READ_SHADOW" } do
    w(f, 0)
  end
  w("EXCEPTION_BITMAP", 0xFFFFFFFF)
  w("VMCS_LINK_POINTER", -1)
end

local segment = vmxlib.segment

-- Real mode (27.3.1.2 with "unrestricted guest"): base = selector * 16, limit 0xFFFF, accessed
-- code/data segments at DPL 0; TR a busy 16-bit TSS (type 3), LDTR unusable; IVT at 0.
local function guest_state(code)
  local c = assert(vmx.caps())
  w("GUEST_CR0", (c.cr0_fixed0 & ~0x80000001) | 0x10)   -- PE = PG = 0 (allowed: unrestricted), NE, ET
  w("GUEST_CR3", 0)
  w("GUEST_CR4", c.cr4_fixed0)                           -- VMXE
  w("GUEST_DR7", 0x400)
  w("GUEST_IA32_DEBUGCTL", 0)
  local seg = code >> 4
  segment("CS", seg, code, 0xFFFF, 0x9B)
  for _, s in ipairs { "SS", "DS", "ES", "FS", "GS" } do segment(s, 0, 0, 0xFFFF, 0x93) end
  segment("TR", 0, 0, 0xFFFF, 0x83)
  segment("LDTR", 0, 0, 0xFFFF, 0x10082)
  w("GUEST_GDTR_BASE", 0); w("GUEST_GDTR_LIMIT", 0xFFFF)
  w("GUEST_IDTR_BASE", 0); w("GUEST_IDTR_LIMIT", 0x3FF)
  w("GUEST_RSP", 0x6FF0)
  w("GUEST_RIP", 0)
  w("GUEST_RFLAGS", 0x202)                              -- IF = 1: see vmxlib.lua on Bochs and Ctrl-C
  for _, f in ipairs { "GUEST_ACTIVITY_STATE", "GUEST_INTERRUPTIBILITY_INFO", "GUEST_PENDING_DBG_EXCEPTIONS",
                       "GUEST_SYSENTER_CS", "GUEST_SYSENTER_ESP", "GUEST_SYSENTER_EIP" } do
    w(f, 0)
  end
  for _, r in ipairs { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp" } do vmx.regs[r] = 0 end
end

-- ept.real_mode([opts]) -> { vmcs=, eptp=, code= }
-- Enables VMX if needed, makes a new VMCS current, copies ept.PROGRAM to ept.CODE (guest-physical
-- = host-physical through ept.identity()) and fills controls, host and guest state for a real-mode
-- guest at CS:IP = 0x0700:0000. Its first exit is CPUID (10), the next HLT (12). opts.cpu2: more
-- secondary controls.
function ept.real_mode(opts)
  opts = opts or {}
  assert(vmx.enable { quiet = true })
  local eptp = ept.identity()
  assert(mem.write(ept.CODE, ept.PROGRAM))
  local vmcs = assert(vmx.region())
  assert(vmx.vmclear(vmcs))
  assert(vmx.vmptrld(vmcs))
  controls(eptp, opts)
  assert(vmx.host_state())
  guest_state(ept.CODE)
  return { vmcs = vmcs, eptp = eptp, code = ept.CODE }
end

return ept
