-- vmxlab-test: targets=bochs cpu=core2_penryn_t9600 timeout=1500
-- The full differential corpus (check_corpus.lua) on Bochs's core2_penryn_t9600 (no EPT: the real-mode base is not available); run by
-- `./vmxlab check-corpus` (tools/check_corpus.sh), which reads this output and Bochs's log.
local t = dofile("vmx_report.lua")
t.vmx_off()
local results = {}
t.section("corpus", function() results = require("check_corpus").run() end)
t.check(#results >= 200, "at least 200 mutations ran", #results)
t.done()
