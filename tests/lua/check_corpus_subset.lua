-- vmxlab-test: targets=bochs timeout=300
-- A representative subset of the differential corpus (./vmxlab check-corpus runs all of it on two
-- models and scores it against Bochs's log): every 4th mutation of each base state on
-- corei7_skylake_x, the checker's verdict class against the real VMLAUNCH; every one must agree.
-- Known Bochs 2.7 deviations from the SDM (tools/check_corpus_map.py DEVIATIONS) count as agreement.
local t = dofile("vmx_report.lua")
t.vmx_off()

-- mutation name pattern -> the (checker, Bochs) verdicts of a known Bochs deviation
local DEVIATIONS = {
  { "GUEST_RIP%.noncanonical$", "exit 33", "enters" },
  { "entry%.toggle%.10$", "VMfailValid 7", "exit 33" },
  { "pending_dbg%.reserved%.32$", "exit 33", "enters" },
  { "link%.current_vmcs$", "enters", "exit 33" },
  { "inject%.nmi_nmi_blocking$", "exit 33", "VMfailValid 7" },
  { "guest%.cs%.selector%.rpl3$", "enters", "exit 33" },
  { "cpu2%.toggle%.25$", "enters", "VMfailValid 7" },   -- TSC_MULTIPLIER 0 with "use TSC scaling"
}

local function agrees(r)
  if r.predicted == r.actual or (r.predicted == "VMX abort" and r.actual == "refused") then return true end
  for _, d in ipairs(DEVIATIONS) do
    if r.name:match(d[1]) and r.predicted == d[2] and r.actual == d[3] then return true end
  end
  return false
end

t.section("checker vs VMLAUNCH on a subset of the corpus", function()
  local results = require("check_corpus").run { every = 4, quiet = true }
  local run, agree, classes = 0, 0, {}
  for _, r in ipairs(results) do
    if not r.skipped then
      run = run + 1
      classes[r.actual] = true
      if agrees(r) then agree = agree + 1
      else print(("disagree: %s %s checker=%s [%s] processor=%s"):format(r.base, r.name, r.predicted,
                 r.rule or "", r.actual)) end
    end
  end
  t.check(run >= 250, "at least 250 mutations ran", run)
  for _, c in ipairs { "enters", "VMfailValid 7", "VMfailValid 8", "exit 33", "exit 34" } do
    t.check(classes[c], "the subset reaches verdict class " .. c)
  end
  print(("subset agreement: %d/%d"):format(agree, run))
  -- Every disagreement of the full corpus is explained (docs/vmx-api.md): the subset has none.
  t.check(agree == run, "checker and processor agree on every mutation of the subset", agree .. "/" .. run)
end)

t.vmx_off()
t.done()
