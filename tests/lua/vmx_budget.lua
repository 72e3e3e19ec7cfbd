-- vmxlab-test: targets=bochs
-- The preemption-timer budget (issue 10, finding 9): its minimum is 2 ticks and every accepted
-- budget makes the guest progress. Before, vmx.vmresume(1) exited with reason 52 at the same RIP
-- forever. The "nops" guest's RIP counts the instructions run: in Bochs a tick is an instruction
-- and the VM entry takes the first one, so budget n runs n - 1 NOPs.
local t = dofile("vmx_report.lua")
local vmxlib = require "vmxlib"

t.section("budgets below the minimum are bad arguments", function()
  local g = vmxlib.guest64("nops")
  for _, b in ipairs { 0, 1 } do
    local ok, err = pcall(vmx.vmlaunch, b)
    t.eq(ok, false, "vmlaunch(" .. b .. ") is refused")
    t.has(err, "bad argument #1 to 'vmx.vmlaunch' (budget must be at least 2 VMX-preemption-timer ticks",
          "vmlaunch(" .. b .. "): the message says the minimum")
  end
  t.eq(vmx.state(), "current", "nothing was launched")
  t.eq(vmx.regs.rip, g.guest.entry, "the guest did not move")
end)

t.section("every accepted budget makes progress", function()
  local g = vmxlib.guest64("nops")
  local e = assert(vmx.vmlaunch(2))
  t.eq(e.reason, 52, "vmlaunch(2) exits with PREEMPTION_TIMER")
  t.eq(e.budget, true, "... because the budget ran out")
  t.eq(e.rip - g.guest.entry, 1, "vmlaunch(2) ran one NOP")
  local ok, err = pcall(vmx.vmresume, 1)
  t.has(err, "bad argument #1 to 'vmx.vmresume' (budget must be at least 2", "vmresume(1) is refused too")
  local rip, stuck = e.rip, 0
  for _ = 1, 10 do
    e = assert(vmx.vmresume(2))
    if e.reason ~= 52 or e.rip ~= rip + 1 then stuck = stuck + 1 end
    rip = e.rip
  end
  t.eq(stuck, 0, "ten vmresume(2): each exits with 52 one NOP further")
  for _, b in ipairs { 3, 5, 17, 100 } do
    e = assert(vmx.vmresume(b))
    t.eq(e.rip - rip, b - 1, "vmresume(" .. b .. ") ran " .. (b - 1) .. " NOPs")
    rip = e.rip
  end
end)

t.section("vmxlib.run with the minimum budget reaches the end of the NOPs", function()
  local g = vmxlib.guest64("nops")
  local exits = 0
  local e = vmxlib.run(function(x) exits = exits + 1; return x.reason == 52 and exits < 300 and x.rip < g.guest.entry + 200 end, 2)
  t.eq(e.rip - g.guest.entry, 200, "200 exits of budget 2 ran 200 NOPs")
end)

t.done()
