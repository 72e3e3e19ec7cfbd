// The short decoding vmx.dump() prints after a VMCS field's value: access rights taken apart,
// CR0/CR4 bit names and what the guest reads through mask and shadow (SDM 26.3, 080 numbering),
// control bits by name, activity and interruptibility state, VM-instruction error and exit
// reason by name ("no VM exit yet" where none happened), exit qualification, interruption
// information. Pure logic: other fields it needs come through a reader callback.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "vmx/fields.hpp"

namespace vmx {

struct DecodeContext {
    // Reads another field of the same VMCS (CR0 mask/shadow, the exit reason); nullptr: none.
    bool (*read)(void* read_ctx, uint32_t field, uint64_t* value) = nullptr;
    void* read_ctx = nullptr;
    // A VM exit (or entry failure) came back on this VMCS: VM_EXIT_REASON 0 then means
    // EXCEPTION_NMI; without one it is the "no VM exit yet" of a fresh VMCS.
    bool saw_exit = true;
    uint64_t trampoline = 0;   // vmxlab's exit trampoline: a HOST_RIP equal to it is named
};

// Writes the decoding of `v` as the value of `f` into buf; returns its length (0: nothing to add).
size_t decode_field_value(const FieldInfo& f, uint64_t v, const DecodeContext& ctx, char* buf, size_t cap);

} // namespace vmx
