// VM-entry checker: every rule on the host-state area (SDM 27.2.2-27.2.4), each broken once from
// a valid base state. Expected: exactly that rule, VMfailValid 8.
#include "test_entry_check_fixtures.hpp"

namespace entry_test {
namespace {

#define CASE(id, base, body) {id, Base::base, Model::Skylake, [](Fixture& f) body}
#define CASE_ON(id, base, model, body) {id, Base::base, Model::model, [](Fixture& f) body}

const std::vector<Case> kCases = {
    CASE("host.cr0.fixed", Guest64, { f.clear_bits(HOST_CR0, 1u << 5); }),
    CASE_ON("host.cr4.fixed", Guest64, Penryn, { f.clear_bits(HOST_CR4, 0x2000); }),
    CASE("host.cr3.width", Guest64, { f.set(HOST_CR3, 1ull << 40 | 0x1000); }),
    CASE("host.sysenter.canonical", Guest64, { f.set(HOST_IA32_SYSENTER_ESP, 0x0000800000000000); }),
    CASE("host.pat", Guest64, {
        f.set_bits(VM_EXIT_CONTROLS, 1u << 19);
        f.set(HOST_IA32_PAT, 0x0007040600070402);
    }),
    CASE("host.efer.reserved", Guest64, {
        f.set_bits(VM_EXIT_CONTROLS, 1u << 21);
        f.set(HOST_IA32_EFER, 0xD03);
    }),
    CASE("host.efer.lma", Guest64, {
        f.set_bits(VM_EXIT_CONTROLS, 1u << 21);
        f.set(HOST_IA32_EFER, 0x101);
    }),
    CASE("host.selector.rpl_ti", Guest64, { f.set(HOST_DS_SELECTOR, 0x13); }),
    CASE("host.cs.null", Guest64, { f.set(HOST_CS_SELECTOR, 0); }),
    CASE("host.tr.null", Guest64, { f.set(HOST_TR_SELECTOR, 0); }),
    CASE("host.ss.null", V86, {
        // A 32-bit host (outside IA-32e mode) needs a usable SS.
        f.s.host_efer_lma = false;
        f.clear_bits(VM_EXIT_CONTROLS, 1u << 9);
        f.set(HOST_SS_SELECTOR, 0);
    }),
    CASE("host.base.canonical", Guest64, { f.set(HOST_GS_BASE, 0xFFFF7FFF00000000); }),
    CASE("host.address_space.lma", Guest64, { f.s.host_efer_lma = false; f.set_bits(VM_ENTRY_CONTROLS, 0); }),
    CASE("host.address_space.pae", Guest64, { f.set(HOST_CR4, 0x2600); }),
    CASE("host.address_space.rip", Guest64, { f.set(HOST_RIP, 0x0000900000000000); }),
};
const Register kRegister(kCases);

class EntryCheckHost : public ::testing::TestWithParam<Case> {};
TEST_P(EntryCheckHost, ReportsExactlyItsRule) { run_case(GetParam()); }
INSTANTIATE_TEST_SUITE_P(Rules, EntryCheckHost, ::testing::ValuesIn(kCases), [](const auto& info) {
    std::string n = info.param.id;
    for (char& ch : n)
        if (ch == '.') ch = '_';
    return n;
});

// The example of a host-state hint, exactly.
TEST(EntryCheckHostHints, SelectorHintIsExact)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    f.set(HOST_DS_SELECTOR, 0x13);
    std::vector<vmx::entry::Finding> out;
    ASSERT_EQ(run_check(f, &out).size(), 1u);
    EXPECT_STREQ(out[0].hint, "HOST_DS_SELECTOR 0x13 has RPL 3 and TI 0; the host runs at CPL 0 "
                              "from the GDT -- write 0x10");
    EXPECT_EQ(out[0].rule->cls, vmx::entry::Class::Host);
    EXPECT_STREQ(out[0].fields[0].name, "HOST_DS_SELECTOR");
    EXPECT_EQ(out[0].fields[0].value, 0x13u);
}

// Outside IA-32e mode an IA-32e guest is refused as a host-state error (27.2.4).
TEST(EntryCheckHostHints, Ia32eGuestOutsideLongMode)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    f.s.host_efer_lma = false;
    f.clear_bits(VM_EXIT_CONTROLS, 1u << 9);
    std::vector<vmx::entry::Finding> out;
    std::vector<std::string> ids = run_check(f, &out);
    ASSERT_GE(ids.size(), 1u);
    EXPECT_STREQ(out[0].rule->id, "host.address_space.lma") << ids[0];
}

} // namespace
} // namespace entry_test
