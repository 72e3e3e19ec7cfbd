// Guest exceptions that do not exit by themselves (issue 10, finding 8): an injected #GP and a
// #PF with EXCEPTION_BITMAP clear reach the guest's own IDT (vmxlib.guest64), whose handler
// reports vector, error code and RIP through VMCALL, decoded in the exit record. Before, the
// guest ran on the kernel's IDT: the kernel's fatal-exception report appeared inside the guest,
// and the user saw a HLT exit. Bochs (VMX).
#include "tests/integration/targets.hpp"
#include <gtest/gtest.h>

using namespace vmxlab::test;

namespace {

TEST(GuestException, ReportedByTheGuestsOwnIdtBochs)
{
    SessionOptions o = options_for(Target::bochs, current_test_name());
    VMXLAB_BOOT(b, o);
    Session& s = *b.session;
    Duration t = command_timeout(o);

    Match gp = s.eval("vl = require 'vmxlib'; g = vl.guest64('cpuid_hlt_vmcall'); "
                      "vmx.vmwrite('VM_ENTRY_INTR_INFO_FIELD', 0x80000B0D); "   // inject #GP, error code
                      "vmx.vmwrite('VM_ENTRY_EXCEPTION_ERROR_CODE', 0x18); e = vmx.vmlaunch(); "
                      "print(e.reason, e.exception and e.exception.name, e.exception and e.exception.error_code); "
                      "print(string.format('0x%X', g.guest.entry)); "
                      "print((tostring(e):gsub('^.* %-%- ', '')))", t);
    ASSERT_TRUE(gp) << gp.error;
    size_t nl1 = gp.text.find('\n'), nl2 = gp.text.find('\n', nl1 + 1);
    ASSERT_NE(nl2, std::string::npos) << shown(gp.text);
    std::string entry = gp.text.substr(nl1 + 1, nl2 - nl1 - 1);
    EXPECT_EQ(gp.text.substr(0, nl1), "18\t#GP\t24") << "a VMCALL exit carrying #GP, error code 0x18";
    EXPECT_EQ(gp.text.substr(nl2 + 1), "guest exception 13 #GP at RIP " + entry +
                                         ", error code 0x18 (reported by the guest's IDT handler)")
        << "the injected #GP is reported at the guest's first instruction:\n" << shown(gp.text);

    Match cont = s.eval("vmx.skip(); e = vmx.vmresume(); print(e.reason, e.rip - g.guest.entry)", t);
    ASSERT_TRUE(cont) << cont.error;
    EXPECT_EQ(cont.text, "10\t2") << "after vmx.skip() the handler returns to the guest's entry, which "
                                     "runs `xor eax, eax` and exits at its CPUID (offset 2)";

    Match pf = s.eval("g = vl.guest64('cpuid_hlt_vmcall', {exceptions = 0}); vmx.regs.rip = 0x7f0000000000; "
                      "e = vmx.vmlaunch(); print((tostring(e):gsub('^.* %-%- ', ''))); "
                      "print(e.exception.vector, e.exception.cr2 == 0x7f0000000000)", t);
    ASSERT_TRUE(pf) << pf.error;
    EXPECT_EQ(pf.text, "guest exception 14 #PF at RIP 0x7F0000000000, error code 0x0, CR2 0x7F0000000000 "
                       "(reported by the guest's IDT handler)\n14\ttrue") << shown(pf.text);

    for (const char* panic : { "unhandled CPU exception", "vmxlab halted" })
        EXPECT_FALSE(contains(s.output(), panic)) << "the kernel's handler ran in the guest:\n" << shown(s.output());
}

} // namespace
