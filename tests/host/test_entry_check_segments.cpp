// VM-entry checker: every rule on the guest segment registers (SDM 27.3.1.2) for 64-bit,
// virtual-8086 and unrestricted real-mode guests, each broken once from a valid base state.
// Expected: exactly that rule, exit reason 33.
#include "test_entry_check_fixtures.hpp"

namespace entry_test {
namespace {

#define CASE(id, base, body) {id, Base::base, Model::Skylake, [](Fixture& f) body}
#define CASE_ON(id, base, model, body) {id, Base::base, Model::model, [](Fixture& f) body}

const std::vector<Case> kCases = {
    CASE("guest.tr.ti", Guest64, { f.set(GUEST_TR_SELECTOR, 0x1C); }),
    CASE_ON("guest.ldtr.ti", V86, Penryn, { f.set(GUEST_LDTR_SELECTOR, 0x2C); }),
    CASE("guest.ss.rpl", Guest64, { f.set(GUEST_CS_SELECTOR, 0x0B); }),
    CASE("guest.v86.base", V86, { f.set(GUEST_DS_BASE, 0x10010); }),
    CASE("guest.v86.limit", V86, { f.set(GUEST_ES_LIMIT, 0xFFFFF); }),
    CASE_ON("guest.v86.access_rights", V86, Generic, { f.set(GUEST_GS_AR_BYTES, 0xF1); }),
    CASE("guest.base.canonical", Guest64, { f.set(GUEST_FS_BASE, 0x0000800000000000); }),
    CASE("guest.base.high", Guest64, { f.set(GUEST_DS_BASE, 1ull << 32); }),
    CASE("guest.cs.type", Guest64, { f.set(GUEST_CS_AR_BYTES, 0xA093); }),
    CASE("guest.ss.type", Guest64, { f.set(GUEST_SS_AR_BYTES, 0xC091); }),
    CASE("guest.data.type", Guest64, { f.set(GUEST_DS_AR_BYTES, 0xC092); }),
    CASE("guest.segment.s", Guest64, { f.set(GUEST_ES_AR_BYTES, 0xC083); }),
    CASE("guest.cs.dpl", Guest64, { f.set(GUEST_CS_AR_BYTES, 0xA0BB); }),
    CASE("guest.ss.dpl", Guest64, {
        f.set(GUEST_CS_AR_BYTES, 0xA09F);   // conforming code: CS.DPL 0 <= SS.DPL is fine
        f.set(GUEST_SS_AR_BYTES, 0xC0F3);
    }),
    CASE("guest.ss.dpl_real", Real, {
        f.set(GUEST_CS_AR_BYTES, 0x9F);
        f.set(GUEST_SS_AR_BYTES, 0xF3);
    }),
    CASE("guest.data.dpl", Guest64, { f.set(GUEST_DS_SELECTOR, 0x13); }),
    CASE("guest.segment.present", Guest64, { f.set(GUEST_FS_AR_BYTES, 0xC013); }),
    CASE("guest.segment.reserved", Guest64, { f.set(GUEST_GS_AR_BYTES, 0xC193); }),
    CASE("guest.cs.l_and_db", Guest64, { f.set(GUEST_CS_AR_BYTES, 0xE09B); }),
    CASE("guest.segment.granularity", Guest64, { f.set(GUEST_SS_LIMIT, 0xFFFFF000); }),
    CASE("guest.tr.type", Guest64, { f.set(GUEST_TR_AR_BYTES, 0x83); }),
    CASE("guest.tr.s", Guest64, { f.set(GUEST_TR_AR_BYTES, 0x9B); }),
    CASE("guest.tr.present", Guest64, { f.set(GUEST_TR_AR_BYTES, 0x0B); }),
    CASE("guest.tr.reserved", Guest64, { f.set(GUEST_TR_AR_BYTES, 0x18B); }),
    CASE("guest.tr.granularity", Guest64, { f.set(GUEST_TR_AR_BYTES, 0x808B); }),
    CASE("guest.tr.unusable", Real, { f.set(GUEST_TR_AR_BYTES, 0x1008B); }),
    CASE("guest.ldtr.type", V86, { f.set(GUEST_LDTR_AR_BYTES, 0x83); }),
    CASE("guest.ldtr.s", V86, { f.set(GUEST_LDTR_AR_BYTES, 0x92); }),
    CASE("guest.ldtr.present", V86, { f.set(GUEST_LDTR_AR_BYTES, 0x02); }),
    CASE("guest.ldtr.reserved", V86, { f.set(GUEST_LDTR_AR_BYTES, 0x182); }),
    CASE("guest.ldtr.granularity", V86, { f.set(GUEST_LDTR_AR_BYTES, 0x8082); }),
};
const Register kRegister(kCases);

class EntryCheckSegments : public ::testing::TestWithParam<Case> {};
TEST_P(EntryCheckSegments, ReportsExactlyItsRule) { run_case(GetParam()); }
INSTANTIATE_TEST_SUITE_P(Rules, EntryCheckSegments, ::testing::ValuesIn(kCases), [](const auto& info) {
    std::string n = info.param.id;
    for (char& ch : n)
        if (ch == '.') ch = '_';
    return n;
});

// The issue's own example, word for word (with "--" for the dash the serial console lacks).
TEST(EntryCheckSegmentHints, SsRplExample)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    f.set(GUEST_SS_SELECTOR, 0x13);
    f.set(GUEST_SS_AR_BYTES, 0xC0F3);
    f.set(GUEST_CS_AR_BYTES, 0xA09F);
    std::vector<vmx::entry::Finding> out;
    std::vector<std::string> ids = run_check(f, &out);
    ASSERT_EQ(ids.size(), 1u) << ids[0] << (ids.size() > 1 ? ids[1] : "");
    EXPECT_STREQ(out[0].hint, "GUEST_SS_SELECTOR RPL 3 differs from GUEST_CS_SELECTOR RPL 0; in a "
                              "guest that is not unrestricted SS.RPL must equal CS.RPL -- write 0x10");
    ASSERT_EQ(out[0].field_count, 2u);
    EXPECT_STREQ(out[0].fields[0].name, "GUEST_SS_SELECTOR");
    EXPECT_EQ(out[0].fields[0].value, 0x13u);
    EXPECT_STREQ(out[0].fields[1].name, "GUEST_CS_SELECTOR");
    EXPECT_STREQ(out[0].rule->section, "27.3.1.2");
}

// The unrestricted guest relaxes CR0.PE/PG and the CS type; without it the same state fails.
TEST(EntryCheckSegmentHints, RealModeNeedsUnrestrictedGuest)
{
    Fixture f;
    make_base(f, Base::Real, Model::Icelake);
    EXPECT_TRUE(run_check(f).empty());
    f.clear_bits(SECONDARY_VM_EXEC_CONTROL, 1u << 7);
    std::vector<std::string> ids = run_check(f);
    ASSERT_GE(ids.size(), 1u);
    EXPECT_EQ(ids[0].substr(0, ids[0].find(':')), "guest.cr0.fixed");
}

} // namespace
} // namespace entry_test
