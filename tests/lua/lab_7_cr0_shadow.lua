-- vmxlab-test: targets=bochs
-- Lab 7 (CR0 guest/host mask and read shadow, the in-class exercise of "Setup for VM launch") under Bochs: for every run
-- the guest's SMSW shows the shadow where the mask is 1 and the actual CR0 where it is 0 (checked
-- here again from the raw values), it printed the same on COM1, and a write to a masked bit
-- exits with reason 28 "MOV to CR0 from RBX".
local t = dofile("vmx_report.lua")
local labs = require "labs"

t.section("lab 7", function()
  local ok, why = lab(7)
  t.check(ok, "lab(7) returns true: every fact held", why)
  local v = labs.last.v
  t.check(#v.runs >= 5, "several runs", #v.runs)
  for i, r in ipairs(v.runs) do
    local want = ((r.actual & ~r.mask) | (r.shadow & r.mask)) & 0xFFFF
    t.eq(r.apparent, want, ("run %d (mask %s, shadow %s): SMSW obeys the rule"):format(i, hex(r.mask, 4), hex(r.shadow, 4)))
    t.has(r.said, ("smsw: CR0 = 0x%04X"):format(want), ("run %d: the guest printed it"):format(i))
  end
  t.eq(v.runs[5].apparent, 0xC0C1, "the slide's mask/shadow on CR0 0x0031 gives 0xC0C1")
  t.eq(v.write_exit, 28, "a masked write exits: CR access (28)")
  t.eq(v.write_qual & 0xF3F, 0x300, "qualification: CR0, MOV to CR, RBX")
  t.check(v.after_emulation & 8 ~= 0, "after emulation the guest sees TS = 1")
  t.eq(v.unmasked_exit, 18, "an unmasked write does not exit")
  local tok, twhy = labs.try(7)
  t.check(tok, "lab 7's try-this outcomes are the ones it announces", twhy)
end)
t.done()
