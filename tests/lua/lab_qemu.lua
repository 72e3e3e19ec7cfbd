-- vmxlab-test: targets=qemu
-- Without VMX (QEMU's TCG) the labs stop at lab 1 with "this CPU has no VMX" and a pointer to the
-- runners that have it; no lab touches CR4.VMXE (TCG would hang).
local t = dofile("vmx_report.lua")
local labs = require "labs"

local lines = {}
local real_print = print
local function capture(f, ...)
  lines = {}
  print = function(...)
    local parts = {}
    for i = 1, select("#", ...) do parts[#parts + 1] = tostring(select(i, ...)) end
    lines[#lines + 1] = table.concat(parts, "\t")
    real_print(...)
  end
  local r = table.pack(pcall(f, ...))
  print = real_print
  return table.unpack(r, 1, r.n)
end

t.section("labs without VMX", function()
  t.eq(labs.has_vmx(), false, "CPUID.1:ECX[5] = 0 here")
  local _, ok, why = capture(lab, 1)
  local out = table.concat(lines, "\n")
  t.eq(ok, false, "lab(1) returns false")
  t.has(why, "this CPU has no VMX", "... and says why")
  t.has(out, "this CPU has no VMX", "lab 1 prints 'this CPU has no VMX'")
  t.has(out, "./vmxlab run --bochs", "... pointing at Bochs")
  t.has(out, "./vmxlab run --kvm", "... and at KVM")
  t.check(not out:find("try this", 1, true), "... and lists no try-this exercises")
  t.has(out, "QEMU without KVM (./vmxlab run --qemu: its TCG emulator) does not emulate VMX.",
        "... calls QEMU's TCG what it is (Bochs is the default without KVM)")
  t.check(not out:find("default without KVM", 1, true), "... and not 'the default without KVM'")
  t.eq(lines[#lines], "vmxlab-lab: n=1 name=lab1_readiness.lua result=fail",
       "the machine-readable verdict is the last line")
  for n = 2, 7 do
    local _, ok2 = capture(lab, n)
    t.eq(ok2, false, ("lab(%d) refuses too"):format(n))
    t.has(table.concat(lines, "\n"), "this CPU has no VMX", ("lab(%d) says why"):format(n))
    t.eq(lines[#lines], ("vmxlab-lab: n=%d name=%s.lua result=fail"):format(n, labs.list[n].module),
         ("lab(%d): result=fail for machines"):format(n))
  end
  local _, tok = capture(labs.try, 6)
  t.eq(tok, false, "labs.try(6) refuses")
  t.eq(cpu.cr4() & 0x2000, 0, "CR4.VMXE was never set")
  capture(labs)
  t.has(table.concat(lines, "\n"), "this CPU has no VMX", "labs() lists the labs and says they need VMX")
end)
t.done()
