-- vmxlab-test: targets=bochs cpu=core2_penryn_t9600 timeout=900
-- All seven labs in one session on an older model (no VMX-preemption timer, IA32_VMX_MISC[29] = 0,
-- no MSR 0x48C), in the order a student runs them: each lab_N test again, one after the other.
for _, name in ipairs { "lab_1_readiness.lua", "lab_2_vmxon.lua", "lab_3_prevmx.lua", "lab_4_fields.lua",
                        "lab_5_entry.lua", "lab_6_demo.lua", "lab_7_cr0_shadow.lua" } do
  dofile(name)
end
return require("testlib").summary()
