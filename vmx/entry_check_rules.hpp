// The rule table of the VM-entry checker as one X-macro list, so that the enum the checks use,
// the table rules() returns and docs/entry-checks.md are one list. Internal to vmx/entry_check*.
// Row: X(enumerator, "id", "SDM section", Area, "the rule in words")
#pragma once

#define VMXLAB_ENTRY_RULES(X) \
    /* none yet */

