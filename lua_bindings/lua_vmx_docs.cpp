// help() text for every function and table of the `vmx` module (register_module, util.hpp).
#include "lua_bindings/lua_vmx.hpp"

namespace bindings::vmxl {

const Doc docs[] = {
    // Instructions (SDM 31.3). Outcomes: true/value; nil, "VMfailInvalid -- cause";
    // nil, "VMfailValid(n): text -- cause", n; nil, "vmxon: #GP(0) -- cause", vector.
    { "vmxon", "vmx.vmxon(pa) -> true | nil, msg[, code]", "Executes VMXON with the VMXON region at physical address pa. The region is 4 KiB aligned and holds the revision id in its first dword. Example: assert(vmx.vmxon(vmx.region())). Needs CR4.VMXE (else #UD) and CR0/CR4 within the fixed bits (else #GP); vmx.enable() does all of it." },
    { "vmxoff", "vmx.vmxoff() -> true | nil, msg[, code]", "Executes VMXOFF: leaves VMX operation." },
    { "vmclear", "vmx.vmclear(pa) -> true | nil, msg[, code]", "Executes VMCLEAR: the VMCS at pa becomes clear and not current. Its launch state is then clear, and it is written back to memory. Example: vmx.vmclear(vmcs) before the first vmx.vmptrld(vmcs)." },
    { "vmptrld", "vmx.vmptrld(pa) -> true | nil, msg[, code]", "Executes VMPTRLD: the VMCS at pa becomes the current VMCS. vmread, vmwrite and vmlaunch then act on it. VMfailValid(11) if its revision id is wrong, (10) for the VMXON region." },
    { "vmptrst", "vmx.vmptrst() -> pa", "Executes VMPTRST: the current VMCS's address, or -1 if none is current. -1 is hex 0xffffffffffffffff, the SDM's \"no current VMCS\"." },
    { "vmread", "vmx.vmread(field) -> value | nil, msg[, code]", "Executes VMREAD. field is a name (Linux's spelling, e.g. \"GUEST_RIP\", or the SDM alias) or an encoding. Example: hex(vmx.vmread(\"VM_EXIT_REASON\")). VMfailValid(12) for a field this CPU lacks." },
    { "vmwrite", "vmx.vmwrite(field, value) -> true | nil, msg[, code]", "Executes VMWRITE. Example: vmx.vmwrite(\"CPU_BASED_VM_EXEC_CONTROL\", (vmx.adjust(\"cpu\", vmx.ctl.cpu.HLT_EXITING))). VMfailValid(13) for a read-only field unless IA32_VMX_MISC[29]." },
    { "vmlaunch", "vmx.vmlaunch([budget]) -> exit | nil, msg[, code]", "Executes VMLAUNCH on the current VMCS and returns when the guest exits. vmx.regs is loaded first; the result is an exit record {reason=, name=, entry_failure=, qualification=, rip=, len=, intr_info=, interrupted=, budget=, ...} that prints as one decoded line. budget = VMX-preemption-timer ticks (exit reason 52). Ctrl-C stops the guest (exit marked interrupted); its state stays loaded." },
    { "vmresume", "vmx.vmresume([budget]) -> exit | nil, msg[, code]", "Executes VMRESUME (after a vmlaunch) and returns the next exit record. Example VMM: repeat local e = vmx.vmresume(); print(e); vmx.skip() until e.reason ~= 10." },
    { "invept", "vmx.invept(type, eptp) -> true | nil, msg[, code]", "Executes INVEPT (type 1 single-context, 2 global). VMfailValid(28) for a type this CPU lacks." },
    { "invvpid", "vmx.invvpid(type, vpid [, la]) -> true | nil, msg[, code]", "Executes INVVPID for the invalidation type and VPID given. Types: 0 individual address, 1 single-context, 2 all-context, 3 single-context keeping globals." },
    // Preparation and lifecycle.
    { "enable", "vmx.enable([{quiet=true}]) -> vmxon_region | nil, msg", "Enters VMX operation step by step, printing each step. The steps: CPUID.1:ECX[5], IA32_FEATURE_CONTROL (locks it with VMX outside SMX if unlocked), CR0/CR4 fixed bits and CR4.VMXE, a VMXON region with the revision id, VMXON. A failure names its step." },
    { "disable", "vmx.disable() -> true | nil, msg[, code]", "Executes VMXOFF (if on) and clears CR4.VMXE." },
    { "region", "vmx.region([size]) -> pa | nil, msg", "Allocates a VMXON region or a VMCS, the revision id in its first dword. It is zeroed, 4 KiB-aligned, of IA32_VMX_BASIC's size, a mem.alloc block: mem.read32(pa) shows the id. The raw way: local r = mem.alloc(4096); mem.write32(r, cpu.rdmsr(0x480) & 0x7fffffff)." },
    { "state", "vmx.state() -> name, description", "Where the VMX lifecycle stands, as vmxlab tracked it. The names: \"off\", \"root\" (VMXON done), \"current\" (a current VMCS, not launched) or \"launched\"; \"unsupported\" on a CPU without VMX." },
    // Knowledge.
    { "fields", "vmx.fields", "Table: every VMCS field name -> its encoding. Names are Linux's spelling (SDM appendix B); 64-bit fields also have NAME_HIGH. Example: hex(vmx.fields.GUEST_CR0) is 0x6800." },
    { "field", "vmx.field(name | encoding) -> info", "Describes a VMCS field, given by name or encoding. The result: {name=, encoding=, width=, bits=, type=, readonly=, high=, index=, sdm_name=, alias=, text=}; prints as a paragraph that takes the encoding apart (access type bit 0, index bits 9:1, type bits 11:10, width bits 14:13). Example: vmx.field(0x400A)." },
    { "error", "vmx.error(n) -> text", "The VM-instruction error n in words (SDM 30.4). Example: vmx.error(5)." },
    { "reason", "vmx.reason(n) -> name, description", "The basic exit reason n (SDM appendix C). Example: vmx.reason(33)." },
    { "caps", "vmx.caps() -> caps | nil, msg", "Reads and decodes every VMX capability MSR (IA32_VMX_*, 0x480-0x493). Missing ones are listed, not fatal. The result: {msr=, basic=, misc=, controls=, cr0_fixed0=, ..., ept_vpid=, preemption_timer=}; print(vmx.caps()) shows the full report." },
    { "adjust", "vmx.adjust(kind, value) -> legal, forced_on, forced_off, explanation", "Makes a control value legal here: (value | allowed-0) & allowed-1. The allowed bits come from the TRUE_* MSRs when IA32_VMX_BASIC[55] = 1. kind: pin, cpu, cpu2, cpu3, exit, exit2, entry, vmfunc. Example: vmx.adjust(\"exit\", vmx.ctl.exit.HOST_ADDR_SPACE_SIZE)." },
    { "ctl", "vmx.ctl.<kind>.<BIT>", "Control bits by name, as masks, for each kind of control. Examples: vmx.ctl.pin.EXT_INTR_EXITING, vmx.ctl.cpu.HLT_EXITING, vmx.ctl.cpu2.ENABLE_EPT, vmx.ctl.exit.HOST_ADDR_SPACE_SIZE, vmx.ctl.entry.IA32E_MODE, ..." },
    { "dump", "vmx.dump([area]) -> count | nil, msg", "Prints the current VMCS, grouped as the SDM groups it. Each field has its name, value and a short decoding (access rights, CR0 as the guest reads it, control bits, exit reason and qualification). area: guest, host, controls, exec, exit, entry, info. Fields this CPU lacks are skipped." },
    // Guests and exits.
    { "regs", "vmx.regs.<reg>", "The guest's registers, read and written by name. rax..r15 are kept by vmxlab per VMCS (saved at each exit, loaded at each entry); rip, rsp, rflags read and write GUEST_RIP/RSP/RFLAGS. Example: vmx.regs.rbx = 2; print(vmx.regs)." },
    { "host_state", "vmx.host_state() -> true | nil, msg[, code]", "Fills the host-state area of the current VMCS from the running kernel. It writes CR0/CR3/CR4, selectors (CS 0x08, SS/DS/ES 0x10, FS/GS 0, TR 0x18), FS/GS/TR/GDTR/IDTR bases, SYSENTER MSRs, EFER/PAT if the exit controls load them. HOST_RSP/HOST_RIP are written by vmlaunch/vmresume." },
    { "skip", "vmx.skip() -> new_rip | nil, msg[, code]", "Steps over the instruction that exited. GUEST_RIP advances by VM_EXIT_INSTRUCTION_LEN." },
    { "bench_roundtrip", "vmx.bench_roundtrip(n) -> ticks_per_trip, ticks | nil, msg", "Runs n exit/entry round trips in a minimal C++ loop, for benchmarks. Each is VMRESUME, exit, GUEST_RIP += length, with the cpuid_loop guest launched; in Bochs TSC ticks are instructions." },
    { "guests", "vmx.guests", "The built-in guests (guests/*.asm), by name. Each is {image=, size=, entry=, text=}, e.g. cpuid_hlt_vmcall, cpuid_loop, spin, io_cr. Example: for name, g in pairs(vmx.guests) do print(name, g.text) end." },
    { "load_guest", "vmx.load_guest(name [, pa]) -> {code=, entry=, stack=, size=} | nil, msg", "Copies a built-in guest into memory and allocates a stack page for it. It goes into a new mem.alloc block, or to physical address pa (mem.write's rules). Without EPT guest-physical = host-physical, so it runs there. require(\"vmxlib\").guest64(name) sets up the whole VMCS around it." },
    { nullptr, nullptr, nullptr },
};

} // namespace bindings::vmxl
