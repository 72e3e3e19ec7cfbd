-- vmxlab-test: targets=qemu
-- On a CPU without VMX (QEMU TCG: CPUID.1:ECX[5] = 0) every binding that would touch VMX answers
-- nil, "VMX not supported by this CPU (CPUID.1:ECX[5] = 0)" without executing anything -- in
-- particular without setting CR4.VMXE, which hangs QEMU 7.2 TCG (docs/vmx-api.md). The knowledge that
-- needs no hardware (fields, errors, exit reasons, control bit names, guests) still works.
local t = dofile("vmx_report.lua")
local NOVMX = "VMX not supported by this CPU (CPUID.1:ECX[5] = 0)"

if select(3, cpu.cpuid(1)) & 0x20 ~= 0 then
  -- Nothing here can be checked on such a CPU: the driver reports the script as skipped.
  t.skip("no-VMX answers", "this CPU has VMX (CPUID.1:ECX[5] = 1)")
  t.done()
  return
end

local calls = {
  { "vmxon", 0x100000 }, { "vmxoff" }, { "vmclear", 0x100000 }, { "vmptrld", 0x100000 },
  { "vmptrst" }, { "vmread", "GUEST_RIP" }, { "vmwrite", "GUEST_RIP", 0 }, { "vmlaunch" },
  { "vmresume" }, { "vmlaunch", 1000 }, { "invept", 2, 0 }, { "invvpid", 2, 0 }, { "enable" },
  { "disable" }, { "region" }, { "caps" }, { "adjust", "cpu", 0 }, { "dump" }, { "host_state" },
  { "skip" }, { "bench_roundtrip", 10 },
}
t.section("every VMX binding says so", function()
  for _, c in ipairs(calls) do
    local ok, msg = vmx[c[1]](table.unpack(c, 2))
    t.check(ok == nil and type(msg) == "string" and msg:find(NOVMX, 1, true) ~= nil,
            "vmx." .. c[1] .. " answers nil, \"" .. NOVMX .. "\"", msg)
  end
  t.eq(cpu.cr4() & 0x2000, 0, "CR4.VMXE was never set")
  t.eq(vmx.state(), "unsupported", "vmx.state() is \"unsupported\"")
  t.eq(select(2, vmx.state()), NOVMX, "... and says why")
  t.eq(vmx.regs.rip, nil, "vmx.regs.rip is nil (no VMCS)")
  t.eq(vmx.regs.rax, 0, "vmx.regs.rax is vmxlab's copy")
end)

t.section("knowledge without VMX", function()
  t.eq(vmx.fields.GUEST_CR0, 0x6800, "vmx.fields.GUEST_CR0")
  t.has(tostring(vmx.field("GUEST_CR0")), "natural-width guest-state field", "vmx.field decodes")
  t.eq(vmx.ctl.cpu.HLT_EXITING, 0x80, "vmx.ctl.cpu.HLT_EXITING")
  t.has(vmx.error(12), "unsupported VMCS component", "vmx.error(12)")
  t.eq(select(1, vmx.reason(10)), "CPUID", "vmx.reason(10)")
  t.eq(vmx.guests.spin.image, "\xEB\xFE", "vmx.guests.spin is jmp $")
  local low = vmx.load_guest("spin", 0x20000)
  t.eq(low and low.code, 0x20000, "vmx.load_guest(name, pa) loads at pa")
  t.eq(mem.read(0x20000, 2), "\xEB\xFE", "... with the image there")
  local none, why = vmx.load_guest("spin", 0x200000)
  t.check(none == nil and tostring(why):find("refused", 1, true), "... but not into the kernel image", why)
  local ok, err = pcall(function() return vmx.vmread("GUEST_CRO") end)
  t.check(not ok and err:find("did you mean GUEST_CR0", 1, true), "API misuse still raises", err)
end)

t.done()
