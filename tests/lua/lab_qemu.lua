-- vmxlab-test: targets=qemu
-- Without VMX (QEMU's TCG) the labs stop at lab 1 with "this CPU has no VMX" and a pointer to the
-- runners that have it; no lab touches CR4.VMXE (TCG would hang).
local t = require "testlib"
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

t.section("labs without VMX")
t.equal("CPUID.1:ECX[5] = 0 here", labs.has_vmx(), false)
local _, ok, why = capture(lab, 1)
local out = table.concat(lines, "\n")
t.equal("lab(1) returns false", ok, false)
t.contains("... and says why", why, "this CPU has no VMX")
t.contains("lab 1 prints 'this CPU has no VMX'", out, "this CPU has no VMX")
t.contains("... pointing at Bochs", out, "./vmxlab run --bochs")
t.contains("... and at KVM", out, "./vmxlab run --kvm")
t.check("... and lists no try-this exercises", not out:find("try this", 1, true))
t.contains("... calls QEMU's TCG what it is (Bochs is the default without KVM)", out,
           "QEMU without KVM (./vmxlab run --qemu: its TCG emulator) does not emulate VMX.")
t.check("... and not 'the default without KVM'", not out:find("default without KVM", 1, true))
t.equal("the machine-readable verdict is the last line", lines[#lines], "vmxlab-lab: n=1 name=lab1_readiness.lua result=fail")
for n = 2, 7 do
  local _, ok2 = capture(lab, n)
  t.equal(("lab(%d) refuses too"):format(n), ok2, false)
  t.contains(("lab(%d) says why"):format(n), table.concat(lines, "\n"), "this CPU has no VMX")
  t.equal(("lab(%d): result=fail for machines"):format(n), lines[#lines],
          ("vmxlab-lab: n=%d name=%s.lua result=fail"):format(n, labs.list[n].module))
end
local _, tok = capture(labs.try, 6)
t.equal("labs.try(6) refuses", tok, false)
t.equal("CR4.VMXE was never set", cpu.cr4() & 0x2000, 0)
capture(labs)
t.contains("labs() lists the labs and says they need VMX", table.concat(lines, "\n"), "this CPU has no VMX")
t.section()
return t.summary()
