-- vmxlab-test: targets=bochs
-- Lab 7 (CR0 guest/host mask and read shadow, the in-class exercise of "Setup for VM launch") under Bochs: for every run
-- the guest's SMSW shows the shadow where the mask is 1 and the actual CR0 where it is 0 (checked
-- here again from the raw values), it printed the same on COM1, and a write to a masked bit
-- exits with reason 28 "MOV to CR0 from RBX".
local t = require "testlib"
local labs = require "labs"

t.section("lab 7")
local ok, why = lab(7)
t.check("lab(7) returns true: every fact held", ok, why)
local v = labs.last.v
t.check("several runs", #v.runs >= 5, #v.runs)
for i, r in ipairs(v.runs) do
  local want = ((r.actual & ~r.mask) | (r.shadow & r.mask)) & 0xFFFF
  t.equal(("run %d (mask %s, shadow %s): SMSW obeys the rule"):format(i, hex(r.mask, 4), hex(r.shadow, 4)), r.apparent, want)
  t.contains(("run %d: the guest printed it"):format(i), r.said, ("smsw: CR0 = 0x%04X"):format(want))
end
t.equal("the slide's mask/shadow on CR0 0x0031 gives 0xC0C1", v.runs[5].apparent, 0xC0C1)
t.equal("a masked write exits: CR access (28)", v.write_exit, 28)
t.equal("qualification: CR0, MOV to CR, RBX", v.write_qual & 0xF3F, 0x300)
t.check("after emulation the guest sees TS = 1", v.after_emulation & 8 ~= 0)
t.equal("an unmasked write does not exit", v.unmasked_exit, 18)
local tok, twhy = labs.try(7)
t.check("lab 7's try-this outcomes are the ones it announces", tok, twhy)
t.section()
return t.summary()
