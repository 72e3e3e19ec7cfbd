-- vmxlab-test: targets=bochs
-- Lab 2 (VMXON, "More on VMXON") under Bochs: the revision id comes from MSR 0x480 (not the slide's 7),
-- an unaligned region and a wrong revision id give VMfailInvalid, VMXON succeeds, VMXOFF leaves.
local t = require "testlib"
local labs = require "labs"

t.section("lab 2")
local ok, why = lab(2)
t.check("lab(2) returns true: every fact held", ok, why)
local v = labs.last.v
local rev = cpu.rdmsr(0x480) & 0x7FFFFFFF
t.equal("the revision id is IA32_VMX_BASIC[30:0]", v.revision_id, rev)
t.check("... and not the slide's 7", v.revision_id ~= 7)
t.equal("the global revision_id is left for the student", revision_id, rev)
t.equal("vmxon_region holds it in its first dword", mem.read32(vmxon_region), rev)
t.equal("vmxon_region is 4 KiB aligned", vmxon_region % 4096, 0)
t.contains("an unaligned region: VMfailInvalid", v.unaligned, "VMfailInvalid")
t.contains("revision id 7: VMfailInvalid", v.wrong_revision, "VMfailInvalid")
t.equal("VMX is off at the end", vmx.state(), "off")
t.check("CR4.VMXE stays set", cpu.cr4() & 0x2000 ~= 0)
local tok, twhy = labs.try(2)
t.check("lab 2's try-this outcomes are the ones it announces", tok, twhy)
t.equal("after the exercises VMX is off again", vmx.state(), "off")
t.section()
return t.summary()
