// Placeholder check functions until each area has its own file.
#include "vmx/entry_check_internal.hpp"

namespace vmx::entry {
void check_controls(Ctx&) {}
void check_host(Ctx&) {}
void check_guest(Ctx&) {}
void check_msr_load(Ctx&) {}
void check_abort(Ctx&) {}
} // namespace vmx::entry
