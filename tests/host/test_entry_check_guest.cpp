// VM-entry checker: every rule on the guest's registers, RIP/RFLAGS and non-register state
// (SDM 27.3.1.1, 27.3.1.3-27.3.1.6), each broken once from a valid base state. Expected: exactly
// that rule, exit reason 33.
#include "test_entry_check_fixtures.hpp"

namespace entry_test {
namespace {

#define CASE(id, base, body) {id, Base::base, Model::Skylake, [](Fixture& f) body}
#define CASE_ON(id, base, model, body) {id, Base::base, Model::model, [](Fixture& f) body}

constexpr uint64_t kNonCanonical = 0x0000800000000000;
constexpr uint64_t kExtInt30 = 0x80000030;   // valid, external interrupt, vector 0x30

const std::vector<Case> kCases = {
    CASE("guest.cr0.fixed", Guest64, { f.clear_bits(GUEST_CR0, 1u << 5); }),
    CASE("guest.cr0.pg_without_pe", Real, { f.set(GUEST_CR0, 0x80000030); }),
    CASE_ON("guest.cr4.fixed", V86, Penryn, { f.clear_bits(GUEST_CR4, 0x2000); }),
    CASE("guest.debugctl", Guest64, {
        f.set_bits(VM_ENTRY_CONTROLS, 1u << 2);
        f.set(GUEST_IA32_DEBUGCTL, 1u << 4);
    }),
    CASE("guest.ia32e.paging", Guest64, { f.set(GUEST_CR4, 0x2000); }),
    CASE("guest.cr4.pcide", V86, { f.set_bits(GUEST_CR4, 1u << 17); }),
    CASE("guest.cr3.width", Guest64, { f.set(GUEST_CR3, 1ull << 45); }),
    CASE("guest.dr7", Guest64, {
        f.set_bits(VM_ENTRY_CONTROLS, 1u << 2);
        f.set(GUEST_DR7, 1ull << 32 | 0x400);
    }),
    CASE("guest.sysenter.canonical", Guest64, { f.set(GUEST_SYSENTER_EIP, kNonCanonical); }),
    CASE("guest.pat", Guest64, {
        f.set_bits(VM_ENTRY_CONTROLS, 1u << 14);
        f.set(GUEST_IA32_PAT, 0x0007040600070408);
    }),
    CASE("guest.efer.reserved", Guest64, {
        f.set_bits(VM_ENTRY_CONTROLS, 1u << 15);
        f.set(GUEST_IA32_EFER, 0xD03);
    }),
    CASE("guest.efer.lma", Guest64, {
        f.set_bits(VM_ENTRY_CONTROLS, 1u << 15);
        f.set(GUEST_IA32_EFER, 0x101);
    }),
    CASE("guest.dtr.base", Guest64, { f.set(GUEST_IDTR_BASE, kNonCanonical); }),
    CASE("guest.dtr.limit", Guest64, { f.set(GUEST_GDTR_LIMIT, 0x10027); }),
    CASE("guest.rip.high", V86, { f.set(GUEST_RIP, 1ull << 32); }),
    CASE("guest.rip.canonical", Guest64, { f.set(GUEST_RIP, kNonCanonical); }),
    CASE("guest.rflags.reserved", Guest64, { f.set_bits(GUEST_RFLAGS, 1u << 3); }),
    CASE("guest.rflags.bit1", Guest64, { f.set(GUEST_RFLAGS, 0x200); }),
    CASE("guest.rflags.vm", Real, {
        // Real mode (CR0.PE = 0) with VM = 1, segments otherwise fit for virtual-8086 mode.
        f.set(GUEST_RFLAGS, 0x20002);
        for (unsigned i = 0; i < 6; ++i)
            f.set(GUEST_ES_AR_BYTES + 2 * i, 0xF3);
    }),
    CASE("guest.rflags.if", Guest64, {
        f.set(GUEST_RFLAGS, 0x2);
        f.set(VM_ENTRY_INTR_INFO_FIELD, kExtInt30);
    }),
    CASE("guest.activity.supported", Guest64, { f.set(GUEST_ACTIVITY_STATE, 4); }),
    CASE("guest.activity.hlt_dpl", V86, { f.set(GUEST_ACTIVITY_STATE, 1); }),
    CASE("guest.activity.blocking", Guest64, {
        f.set(GUEST_ACTIVITY_STATE, 1);
        f.set(GUEST_INTERRUPTIBILITY_INFO, 2);
    }),
    CASE("guest.activity.injection", Guest64, {
        f.set(GUEST_ACTIVITY_STATE, 3);
        f.set(VM_ENTRY_INTR_INFO_FIELD, kExtInt30);
    }),
    CASE("guest.interruptibility.reserved", Guest64, { f.set(GUEST_INTERRUPTIBILITY_INFO, 0x20); }),
    CASE("guest.interruptibility.sti_and_mov_ss", Guest64, { f.set(GUEST_INTERRUPTIBILITY_INFO, 3); }),
    CASE("guest.interruptibility.sti_if", Guest64, {
        f.set(GUEST_RFLAGS, 0x2);
        f.set(GUEST_INTERRUPTIBILITY_INFO, 1);
    }),
    CASE("guest.interruptibility.external", Guest64, {
        f.set(VM_ENTRY_INTR_INFO_FIELD, kExtInt30);
        f.set(GUEST_INTERRUPTIBILITY_INFO, 2);
    }),
    CASE("guest.interruptibility.nmi", Guest64, {
        f.set(VM_ENTRY_INTR_INFO_FIELD, 0x80000202);
        f.set(GUEST_INTERRUPTIBILITY_INFO, 2);
    }),
    CASE("guest.interruptibility.smi", Guest64, { f.set(GUEST_INTERRUPTIBILITY_INFO, 4); }),
    CASE("guest.interruptibility.enclave", Guest64, { f.set(GUEST_INTERRUPTIBILITY_INFO, 0x10); }),
    CASE("guest.pending_debug.reserved", Guest64, { f.set(GUEST_PENDING_DBG_EXCEPTIONS, 0x10); }),
    CASE("guest.pending_debug.bs", Guest64, {
        f.set_bits(GUEST_RFLAGS, 0x100);   // TF, after STI: the single-step trap is pending
        f.set(GUEST_INTERRUPTIBILITY_INFO, 1);
    }),
    CASE("guest.link_pointer.address", Guest64, { f.set(VMCS_LINK_POINTER, 0x1234); }),
    CASE("guest.link_pointer.revision", Guest64, {
        f.mem.put32(kVmxRevisionPage, 0x2a);   // not Bochs's revision 0x2b
        f.set(VMCS_LINK_POINTER, kVmxRevisionPage);
    }),
    CASE("guest.pdpte.cr3", Guest64, {
        f.clear_bits(VM_ENTRY_CONTROLS, 1u << 9);   // PAE paging: GUEST_CR3's table holds PDPTEs
        f.mem.put64(0x101000, 0x102003);            // a PML4E: R/W (bit 1) is reserved in a PDPTE
    }),
    CASE("guest.pdpte.reserved", Real, {
        f.set(GUEST_CR0, 0x80000031);   // PAE paging under EPT: the PDPTEs come from the VMCS
        f.set(GUEST_CR4, 0x2020);
        f.set(GUEST_PDPTR2, 0x5003);
    }),
};
const Register kRegister(kCases);

class EntryCheckGuest : public ::testing::TestWithParam<Case> {};
TEST_P(EntryCheckGuest, ReportsExactlyItsRule) { run_case(GetParam()); }
INSTANTIATE_TEST_SUITE_P(Rules, EntryCheckGuest, ::testing::ValuesIn(kCases), [](const auto& info) {
    std::string n = info.param.id;
    for (char& ch : n)
        if (ch == '.') ch = '_';
    return n;
});

// Zero-length software-interrupt injection is refused only where IA32_VMX_MISC[30] is 0
// (penryn), not on skylake_x: the capability MSR decides, not an assumption.
TEST(EntryCheckCapabilities, ZeroLengthInjectionFollowsMisc30)
{
    for (Model m : {Model::Skylake, Model::Penryn}) {
        Fixture f;
        make_base(f, Base::Guest64, m);
        f.set(VM_ENTRY_INTR_INFO_FIELD, 0x80000430);
        f.set(VM_ENTRY_INSTRUCTION_LEN, 0);
        std::vector<std::string> ids = run_check(f);
        if (m == Model::Skylake) {
            EXPECT_TRUE(ids.empty()) << ids[0];
        } else {
            ASSERT_EQ(ids.size(), 1u);
            EXPECT_EQ(ids[0].substr(0, ids[0].find(':')), "controls.entry.inject.length");
        }
    }
}

// Exit 33's qualification names two causes (SDM 27.8): 4 for the link pointer, 2 for PDPTEs.
TEST(EntryCheckCapabilities, ExitQualificationOfGuestFailures)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    f.set(VMCS_LINK_POINTER, 0x1234);
    std::vector<vmx::entry::Finding> out;
    ASSERT_EQ(run_check(f, &out).size(), 1u);
    EXPECT_EQ(out[0].qualification, 4u);
    make_base(f, Base::Guest64, Model::Skylake);
    f.set(GUEST_RFLAGS, 0);
    ASSERT_EQ(run_check(f, &out).size(), 1u);
    EXPECT_EQ(out[0].qualification, 0u);
}

// A valid link pointer: a page holding this CPU's revision identifier passes.
TEST(EntryCheckCapabilities, LinkPointerWithRevisionPasses)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Icelake);   // revision 0x4
    f.mem.put32(kVmxRevisionPage, 0x4);
    f.set(VMCS_LINK_POINTER, kVmxRevisionPage);
    EXPECT_TRUE(run_check(f).empty());
    f.mem.put32(kVmxRevisionPage, 0x2b);
    EXPECT_EQ(run_check(f).size(), 1u);
}

} // namespace
} // namespace entry_test

namespace entry_test {
namespace {

// RFLAGS.VM in a 64-bit guest also makes every flat segment wrong for virtual-8086 mode; the
// first finding names the cause (as Bochs's log does), the segment findings follow.
TEST(EntryCheckGuestOrder, VmFlagInA64BitGuestComesFirst)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    f.set_bits(GUEST_RFLAGS, 1u << 17);
    std::vector<vmx::entry::Finding> out;
    std::vector<std::string> ids = run_check(f, &out);
    ASSERT_GT(ids.size(), 1u);
    EXPECT_STREQ(out[0].rule->id, "guest.rflags.vm");
    EXPECT_STREQ(out[1].rule->id, "guest.v86.base");
}

} // namespace
} // namespace entry_test

namespace entry_test {
namespace {

// Without EPT the PDPTEs come from memory at GUEST_CR3[31:5] (SDM 27.3.1.6, 4.4.1): valid ones
// pass, a bad one is reported with qualification 2, unreadable memory is not judged, and with
// EPT the table in memory is not consulted.
TEST(EntryCheckPdpte, TableAtCr3)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    f.clear_bits(VM_ENTRY_CONTROLS, 1u << 9);
    f.set(GUEST_CR3, 0x101018);                   // bits 4:0 are ignored: the table is at 0x101000
    f.mem.put64(0x101000, 0x102001);
    f.mem.put64(0x101008, 0x103019);              // PWT, PCD: allowed
    EXPECT_TRUE(run_check(f).empty());
    f.mem.put64(0x101018, 0x8000000000104001);    // bit 63: beyond the 39-bit width
    std::vector<vmx::entry::Finding> out;
    ASSERT_EQ(run_check(f, &out).size(), 1u);
    EXPECT_STREQ(out[0].rule->id, "guest.pdpte.cr3");
    EXPECT_EQ(out[0].qualification, 2u);
    EXPECT_EQ(std::string(out[0].hint).rfind("PDPTE 3 at GUEST_CR3 0x8000000000104001", 0), 0u) << out[0].hint;
    f.s.read = nullptr;
    EXPECT_TRUE(run_check(f).empty());
}

// The worked example of docs/entry-checks.md, word for word.
TEST(EntryCheckPdpte, DocumentedExample)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    f.clear_bits(VM_ENTRY_CONTROLS, 1u << 9);
    f.mem.put64(0x101000, 0x102003);
    std::vector<vmx::entry::Finding> out;
    ASSERT_EQ(run_check(f, &out).size(), 1u);
    EXPECT_STREQ(out[0].hint, "PDPTE 0 at GUEST_CR3 0x102003 is present with reserved bits set (2:1, "
                              "8:5 or beyond the 39-bit physical-address width) -- write 0x102001 or 0 "
                              "(not present)");
    ASSERT_EQ(out[0].field_count, 2u);
    EXPECT_STREQ(out[0].fields[0].name, "GUEST_CR3");
    EXPECT_STREQ(out[0].fields[1].name, "PDPTE 0 at GUEST_CR3");
}

TEST(EntryCheckPdpte, WithEptTheVmcsFieldsCountNotMemory)
{
    Fixture f;
    make_base(f, Base::Real, Model::Skylake);
    f.set(GUEST_CR0, 0x80000031);
    f.set(GUEST_CR4, 0x2020);
    f.mem.put64(0, 0x5003);                       // GUEST_CR3 = 0: a bad PDPTE in memory
    EXPECT_TRUE(run_check(f).empty());
}

// Enclave interruption needs SGX; with SGX it may not come with blocking by MOV SS (27.3.1.5).
TEST(EntryCheckInterruptibility, EnclaveBitFollowsSgx)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    f.s.sgx = true;
    f.set(GUEST_INTERRUPTIBILITY_INFO, 0x11);     // enclave + blocking by STI (IF = 1)
    EXPECT_TRUE(run_check(f).empty());
    f.set(GUEST_INTERRUPTIBILITY_INFO, 0x12);
    std::vector<std::string> ids = run_check(f);
    ASSERT_EQ(ids.size(), 1u);
    EXPECT_EQ(ids[0].rfind("guest.interruptibility.enclave: GUEST_INTERRUPTIBILITY_INFO 0x12 sets "
                           "enclave interruption (bit 4) with blocking by MOV SS -- write 0x10", 0), 0u) << ids[0];
}

} // namespace
} // namespace entry_test
