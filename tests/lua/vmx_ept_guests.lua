-- vmxlab-test: targets=bochs
-- Base states with EPT (scripts/vmxlib_ept.lua): the identity map translates as it should and the
-- unrestricted real-mode guest really enters and exits on Bochs's corei7_skylake_x: CPUID at
-- 0x0700:0000, then HLT; the entry leaves CR0.PE = 0 (real mode).
local t = dofile("vmx_report.lua")
local ept = require "vmxlib_ept"

t.vmx_off()

t.section("EPT identity map", function()
  local eptp, pml4 = ept.identity()
  t.eq(eptp & 0xFFF, 0x1E, "EPTP: WB (6), walk length 4 (3 << 3)")
  t.eq(eptp & ~0xFFF, pml4, "EPTP points at the PML4")
  local pdpt = mem.read64(pml4) & ~0xFFF
  local pd1 = mem.read64(pdpt + 8) & ~0xFFF
  t.eq(mem.read64(pd1 + 8 * 3), (1 << 30) | (3 << 21) | 0xB7, "2 MiB leaf for 1 GiB + 6 MiB: RWX, WB, large")
end)

t.section("unrestricted real-mode guest enters and exits", function()
  local s = ept.real_mode()
  local e, msg = vmx.vmlaunch()
  t.check(e ~= nil, "vmlaunch enters", msg)
  t.eq(e and e.reason, 10, "first exit: CPUID")
  t.eq(e and e.rip, 0, "... at IP 0")
  t.eq(vmx.vmread("GUEST_CS_BASE"), s.code, "CS base 0x7000 (selector 0x700)")
  t.eq(vmx.vmread("GUEST_CR0") & 1, 0, "CR0.PE = 0: real mode")
  vmx.skip()
  e = vmx.vmresume()
  t.eq(e and e.reason, 12, "next exit: HLT")
  t.eq(e and e.rip, 2, "... at IP 2")
end)

t.vmx_off()
t.done()
