#include "vmx/tracker.hpp"

#include "vmx/exit_reasons.hpp"
#include "vmx/text.hpp"

namespace vmx {

Tracker::Entry* Tracker::find(uint64_t vmcs)
{
    for (Entry& e : entries_)
        if (e.vmcs == vmcs && vmcs != kNone)
            return &e;
    return nullptr;
}

const Tracker::Entry* Tracker::find(uint64_t vmcs) const
{
    return const_cast<Tracker*>(this)->find(vmcs);
}

Tracker::Entry& Tracker::slot(uint64_t vmcs)
{
    Entry* e = find(vmcs);
    if (!e) {
        // A free slot, else the least recently used one that is not current.
        for (Entry& c : entries_) {
            if (c.vmcs == kNone) {
                e = &c;
                break;
            }
            if (c.vmcs != current_ && (!e || c.last_use < e->last_use))
                e = &c;
        }
        *e = Entry {};
        e->vmcs = vmcs;
    }
    e->last_use = ++clock_;
    return *e;
}

LaunchState Tracker::launch_state(uint64_t vmcs) const
{
    const Entry* e = find(vmcs);
    return e ? e->state : LaunchState::unknown;
}

const char* Tracker::state_name() const
{
    if (!on_)
        return "off";
    if (current_ == kNone)
        return "root";
    return launch_state(current_) == LaunchState::launched ? "launched" : "current";
}

static const char* launch_state_name(LaunchState s)
{
    switch (s) {
    case LaunchState::clear: return "clear";
    case LaunchState::launched: return "launched";
    default: return "launch state unknown: not VMCLEARed since vmxlab started";
    }
}

size_t Tracker::describe(char* buf, size_t cap) const
{
    TextBuf out(buf, cap);
    out.str(state_name()).str(": ");
    if (!on_)
        return out.str("not in VMX operation (vmx.enable() or vmx.vmxon(region) starts it)").length();
    out.str("VMX root operation, VMXON region ").hex(vmxon_);
    if (current_ == kNone)
        return out.str(", no current VMCS (vmx.vmptrld(vmcs) makes one current)").length();
    out.str(", current VMCS ").hex(current_).str(" (").str(launch_state_name(launch_state(current_)));
    return out.str(")").length();
}

GuestRegs& Tracker::regs()
{
    return current_entry_ ? current_entry_->regs : scratch_;
}

void Tracker::vmxon_succeeded(uint64_t region)
{
    on_ = true;
    vmxon_ = region;
    current_ = kNone;                 // SDM 31.3 VMXON: the current-VMCS pointer is invalid
    current_entry_ = nullptr;
}

void Tracker::vmxoff_succeeded()
{
    on_ = false;
    vmxon_ = kNone;
    current_ = kNone;
    current_entry_ = nullptr;
}

void Tracker::vmclear_succeeded(uint64_t vmcs)
{
    Entry& e = slot(vmcs);
    e.state = LaunchState::clear;
    e.failed_launch = 0;
    if (current_ == vmcs) {
        current_ = kNone;             // VMCLEAR of the current VMCS leaves none current
        current_entry_ = nullptr;
    }
}

void Tracker::vmptrld_succeeded(uint64_t vmcs)
{
    current_ = vmcs;                  // first: slot() never evicts the current VMCS
    current_entry_ = &slot(vmcs);
}

void Tracker::entry_succeeded()
{
    if (current_entry_) {
        current_entry_->state = LaunchState::launched;
        current_entry_->failed_launch = 0;
    }
}

void Tracker::launch_failed(uint32_t code)
{
    if (current_entry_ && current_entry_->state != LaunchState::launched)
        current_entry_->failed_launch = code;
}

uint32_t Tracker::failed_launch(uint64_t vmcs) const
{
    const Entry* e = find(vmcs);
    return e ? e->failed_launch : 0;
}

size_t Tracker::explain_not_launched(uint64_t vmcs, char* buf, size_t cap) const
{
    TextBuf out(buf, cap);
    uint32_t code = failed_launch(vmcs);
    if (code & kExitReasonEntryFailure)
    {
        const ExitReasonInfo* why = find_exit_reason(code & 0xFFFF);
        out.str("the last vmlaunch of VMCS ").hex(vmcs).str(" failed (VM-entry failure, exit reason ")
            .dec(code & 0xFFFF).chr(' ').str(why ? why->name : "?")
            .str("), so it is still clear: fix the cause, then vmx.vmlaunch() again");
    }
    else if (code)
        out.str("the last vmlaunch of VMCS ").hex(vmcs).str(" failed (VMfailValid(").dec(code)
            .str(")), so it is still clear: fix what it reported, then vmx.vmlaunch() again");
    else if (launch_state(vmcs) == LaunchState::clear)
        out.str("vmlaunch was never run on VMCS ").hex(vmcs).str(" since its last vmclear: vmx.vmlaunch() first");
    else
        out.str("vmlaunch was never run on VMCS ").hex(vmcs).str(" (as far as vmxlab saw): vmx.vmlaunch() first");
    return out.length();
}

void Tracker::reset()
{
    *this = Tracker {};
}

} // namespace vmx
