// Where the VMX lifecycle stands, as far as the instructions executed so far tell: off -> root
// (after VMXON) -> a current VMCS (after VMPTRLD) -> launched (after the first VM entry that got
// into the guest). SDM 25.1 describes the launch states ("clear", "launched") of each VMCS; the
// tracker keeps one per VMCS address it has seen, with that VMCS's guest registers. It only
// records what succeeded -- the processor stays the judge; the tracker explains its answers.
// Pure logic: no VMX instruction here.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "vmx/guest_regs.hpp"

namespace vmx {

enum class LaunchState : uint8_t { unknown, clear, launched };

class Tracker {
public:
    static constexpr uint64_t kNone = ~uint64_t{0};   // the SDM's "no current VMCS" pointer
    static constexpr size_t kMaxVmcs = 32;

    bool on() const { return on_; }
    uint64_t vmxon_region() const { return on_ ? vmxon_ : kNone; }
    uint64_t current() const { return current_; }
    LaunchState launch_state(uint64_t vmcs) const;
    // "off", "root", "current" (a current VMCS, not launched), "launched".
    const char* state_name() const;
    // One line: "root: VMXON region 0x..., current VMCS 0x... (clear)".
    size_t describe(char* buf, size_t cap) const;

    // The guest registers of the current VMCS (a scratch set when there is none).
    GuestRegs& regs();

    void vmxon_succeeded(uint64_t region);
    void vmxoff_succeeded();
    void vmclear_succeeded(uint64_t vmcs);          // launch state clear; no longer current
    void vmptrld_succeeded(uint64_t vmcs);
    void entry_succeeded();                         // a VM exit came back: current is launched
    // A VMLAUNCH of the current VMCS failed: code = the VM-instruction error of a VMfailValid, or
    // the exit reason (bit 31 set) of a VM-entry failure. Nothing entered the guest, so the
    // launch state stays clear; the tracker remembers the failure until the next vmclear or entry.
    void launch_failed(uint32_t code);
    uint32_t failed_launch(uint64_t vmcs) const;   // that code, or 0
    // Why VMRESUME found vmcs not launched (VM-instruction error 5), as a cause for the message:
    // "vmlaunch was never run on VMCS 0x... since its last vmclear: ..." or "the last vmlaunch
    // of VMCS 0x... failed (VMfailValid(7)): it is still clear ...". snprintf-style return.
    size_t explain_not_launched(uint64_t vmcs, char* buf, size_t cap) const;
    void reset();                                   // forget everything (tests)

private:
    struct Entry {
        uint64_t vmcs = kNone;
        LaunchState state = LaunchState::unknown;
        uint32_t failed_launch = 0;                // launch_failed()'s code since vmclear/entry
        uint64_t last_use = 0;
        GuestRegs regs {};
    };
    Entry* find(uint64_t vmcs);
    const Entry* find(uint64_t vmcs) const;
    Entry& slot(uint64_t vmcs);                     // finds or makes one (evicting the oldest)

    bool on_ = false;
    uint64_t vmxon_ = kNone;
    uint64_t current_ = kNone;
    Entry* current_entry_ = nullptr;               // find(current_), kept for regs()
    uint64_t clock_ = 0;
    Entry entries_[kMaxVmcs];
    GuestRegs scratch_ {};
};

} // namespace vmx
