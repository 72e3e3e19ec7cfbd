-- vmxlab-test: targets=bochs cpu=corei7_skylake_x timeout=1500
-- The full differential corpus (check_corpus.lua) on Bochs's corei7_skylake_x; run by
-- `./vmxlab check-corpus` (tools/check_corpus.sh), which reads this output and Bochs's log.
local t = dofile("vmx_report.lua")
t.vmx_off()
local results = {}
t.section("corpus", function() results = require("check_corpus").run() end)
t.check(#results >= 300, "at least 300 mutations ran", #results)
t.done()
