// Internals shared by the files of the `vmx` module (lua_vmx_*.cpp): one job per file --
// instructions, field catalogue, capabilities/controls, guest runs and exit records, the VMCS
// dump, enable/disable, guest images -- and luaopen_vmx (lua_vmx.cpp) putting them together.
#pragma once
#include "lua_bindings/lua_mem.hpp"
#include "lua_bindings/util.hpp"
#include "vmx/controls.hpp"
#include "vmx/diagnose.hpp"
#include "vmx/entry_check.hpp"
#include "vmx/instr.hpp"
#include "vmx/run.hpp"
#include "vmx/tracker.hpp"

namespace bindings::vmxl {

// The lifecycle as vmxlab saw it (vmx.state()); updated only by successful instructions.
vmx::Tracker& tracker();

// VMCS addresses for which vmxlab saw a VM exit (or an entry-failure exit) come back; the dump
// says "no VM exit yet" for the others, whose VM_EXIT_REASON 0 would read as EXCEPTION_NMI.
void note_exit(uint64_t vmcs);
bool saw_exit(uint64_t vmcs);

// CPUID.1:ECX[5]. Every binding that would touch VMX hardware checks it first and answers
// `nil, kUnsupported` -- without executing anything (CR4.VMXE hangs QEMU TCG, docs/vmx-api.md).
bool supported();
constexpr const char* kUnsupported = "VMX not supported by this CPU (CPUID.1:ECX[5] = 0)";
int push_unsupported(lua_State* L);

// A VMCS field argument: an integer encoding (passed to the CPU as it is) or a name -- Linux's
// spelling or the SDM alias. An unknown name raises "unknown VMCS field 'X' (did you mean Y?)".
uint32_t check_field(lua_State* L, int arg);
// A control-word kind: "pin", "cpu"/"primary"/"proc", "cpu2"/"secondary"/"proc2", "cpu3"/
// "tertiary", "exit", "exit2", "entry", "vmfunc".
vmx::ControlKind check_kind(lua_State* L, int arg);
const vmx::ControlKindInfo* find_kind(const char* name);

// The hardware said no: pushes `nil, message[, code]` (docs/lua-api.md) and returns the count.
//   VMfailInvalid          -> nil, "VMfailInvalid -- <likely cause>"
//   VMfailValid(n)         -> nil, "VMfailValid(n): <SDM text> -- <likely cause>", n
//   exception              -> nil, "<instr>: #GP(0) -- <likely cause>", vector
// `operand` is the instruction's address or field encoding; `detail` the caller's findings.
int push_failure(lua_State* L, vmx::Instr instr, const vmx::Outcome& o, uint64_t operand,
                 const char* detail = nullptr);
// What is wrong with the current VMCS's controls (error 7) or host state (error 8), in words,
// from quick direct comparisons with the capability MSRs; "" when they find nothing. Used when
// the checker has no finding of the class the processor reported.
void explain_controls(char* buf, size_t cap);
void explain_host_state(char* buf, size_t cap);

// The VM-entry checker's account of an entry that failed with `actual`, from the current VMCS
// read right after the failure (lua_vmx_check.cpp). true: a finding of that class explains it;
// false: none does (buf then says so honestly, or is "" if the VMCS could not be read).
bool explain_entry(vmx::entry::Class actual, char* buf, size_t cap);
// Pushes one finding as vmx.check() lists it (a table that prints as its text).
void push_finding(lua_State* L, const vmx::entry::Finding& f);

// A line on the console (the REPL's output), "\n" appended.
void print_line(const char* s);

// Exit records (lua_vmx_exit.cpp): pushes one for `e`.
// `note`: for an exit after a successful entry, a line added to the record (e.hint and its text).
void push_exit(lua_State* L, const vmx::ExitRecord& e, const char* note = nullptr);

// Each file's part of the module table, set into the table on top of the stack.
void add_instr(lua_State* L);
void add_fields(lua_State* L);
void add_caps(lua_State* L);
void add_run(lua_State* L);        // also calls add_exit (metatable) and add_regs (vmx.regs)
void add_exit(lua_State* L);
void add_regs(lua_State* L);
void add_dump(lua_State* L);
void add_enable(lua_State* L);
void add_guests(lua_State* L);
void add_check(lua_State* L);      // vmx.check (lua_vmx_check.cpp)
extern const Doc docs[];

// A mem.alloc block (lua_mem.hpp), so the block is the user's to mem.write/mem.free.
// Pushes nothing; returns 0 and leaves an error message on the stack top if it fails.
uint64_t mem_alloc(lua_State* L, uint64_t size, uint64_t align);

} // namespace bindings::vmxl
