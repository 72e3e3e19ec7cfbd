-- vmxlab-test: targets=bochs cpu=core2_penryn_t9600 timeout=900
-- All seven labs in one session on an older model (no VMX-preemption timer, IA32_VMX_MISC[29] = 0,
-- no MSR 0x48C), in the order a student runs them: each lab_N test again, one after the other.
-- Each lab test prints its own checks and summary and raises at its end if one failed; here each
-- counts as one check, and the run goes on to the next lab.
local t = dofile("vmx_report.lua")
for _, name in ipairs { "lab_1_readiness.lua", "lab_2_vmxon.lua", "lab_3_prevmx.lua", "lab_4_fields.lua",
                        "lab_5_entry.lua", "lab_6_demo.lua", "lab_7_cr0_shadow.lua" } do
  local ok, err = xpcall(dofile, debug.traceback, name)
  t.check(ok, name .. " passes", err)
end
t.done()
