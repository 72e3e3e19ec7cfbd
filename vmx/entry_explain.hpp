// The VM-entry checker's findings in words, for the prompt: one finding on one line, and the
// "because ..." added to a failed VMLAUNCH/VMRESUME (VMfailValid 7 or 8, exit reason 33 or 34).
// The processor's answer decides which findings count: only rules of the class it reported are
// offered as the cause; if the checker has none, the text says so instead of guessing.
// Pure logic: host-tested.
#pragma once
#include <stddef.h>

#include "vmx/entry_check.hpp"

namespace vmx::entry {

// "guest.ss.rpl (SDM 27.3.1.2): SS.RPL must equal CS.RPL ... -- <hint>". snprintf-style return.
size_t format_finding(const Finding& f, char* buf, size_t cap);

// The cause of an entry that failed with `actual`, from `n` findings of check() (all areas,
// `total` = check()'s return value):
//   "checker: <first finding of class actual>[; N more: vmx.check() lists them]"
//   "the checker found no broken rule that gives <actual> ... "  when none matches.
size_t explain_entry_failure(Class actual, const Finding* findings, size_t n, size_t total, char* buf,
                             size_t cap);

} // namespace vmx::entry
