// VM-entry checker: the MSR-load area of VM entry (SDM 27.4, exit reason 34) and the VM-exit
// MSR areas whose entries would make the first VM exit end in a VMX abort (SDM 28.4, 28.6, 28.7).
#include "test_entry_check_fixtures.hpp"

namespace entry_test {
namespace {

#define CASE(id, base, body) {id, Base::base, Model::Skylake, [](Fixture& f) body}

constexpr uint64_t kStore = kMsrAreas, kExitLoad = kMsrAreas + 0x400, kEntryLoad = kMsrAreas + 0x800;

// Two entries: a good one first (IA32_SYSENTER_CS), then `index`, so the entry number counts.
void entry_load(Fixture& f, uint32_t index, uint64_t data, uint32_t reserved = 0)
{
    f.mem.msr_entry(kEntryLoad, 0x174, 0x08);
    f.mem.msr_entry(kEntryLoad + 16, index, data, reserved);
    f.set(VM_ENTRY_MSR_LOAD_COUNT, 2);
}

void exit_store(Fixture& f, uint32_t index, uint32_t reserved = 0)
{
    f.mem.msr_entry(kStore, index, 0, reserved);
    f.set(VM_EXIT_MSR_STORE_COUNT, 1);
}

void exit_load(Fixture& f, uint32_t index, uint64_t data, uint32_t reserved = 0)
{
    f.mem.msr_entry(kExitLoad, index, data, reserved);
    f.set(VM_EXIT_MSR_LOAD_COUNT, 1);
}

// The processor's MSRs as Snapshot::msr_exists reports them: all but 0x4C000000-0x4CFFFFFF, a
// range no Intel MSR uses.
constexpr uint32_t kNoSuchMsr = 0x4C0FFFFF;
bool msr_exists(void*, uint32_t msr) { return (msr >> 24) != 0x4C; }

const std::vector<Case> kCases = {
    CASE("msr_load.fs_gs_base", Guest64, { entry_load(f, 0xC0000100, 0); }),
    CASE("msr_load.x2apic", Guest64, { entry_load(f, 0x808, 0); }),
    CASE("msr_load.smm_only", Guest64, { entry_load(f, 0x9B, 0); }),
    CASE("msr_load.reserved", Guest64, { entry_load(f, 0x10, 0, 1); }),
    CASE("msr_load.value", Guest64, { entry_load(f, 0x277, 0x0007040600070402); }),
    CASE("abort.exit_msr_store.x2apic", Guest64, { exit_store(f, 0x802); }),
    CASE("abort.exit_msr_store.smbase", Guest64, { exit_store(f, 0x9E); }),
    CASE("abort.exit_msr_store.reserved", Guest64, { exit_store(f, 0x10, 0x80); }),
    CASE("abort.exit_msr_store.no_such_msr", Guest64, {
        f.s.msr_exists = msr_exists;
        exit_store(f, kNoSuchMsr);
    }),
    CASE("abort.exit_msr_load.fs_gs_base", Guest64, { exit_load(f, 0xC0000101, 0); }),
    CASE("abort.exit_msr_load.x2apic", Guest64, { exit_load(f, 0x830, 0); }),
    CASE("abort.exit_msr_load.smm_only", Guest64, { exit_load(f, 0x9B, 0); }),
    CASE("abort.exit_msr_load.reserved", Guest64, { exit_load(f, 0xC0000080, 0xD01, 2); }),
    CASE("abort.exit_msr_load.value", Guest64, { exit_load(f, 0xC0000082, 0x0000800000000000); }),
};
const Register kRegister(kCases);

class EntryCheckMsr : public ::testing::TestWithParam<Case> {};
TEST_P(EntryCheckMsr, ReportsExactlyItsRule) { run_case(GetParam()); }
INSTANTIATE_TEST_SUITE_P(Rules, EntryCheckMsr, ::testing::ValuesIn(kCases), [](const auto& info) {
    std::string n = info.param.id;
    for (char& ch : n)
        if (ch == '.') ch = '_';
    return n;
});

TEST(EntryCheckMsrAreas, GoodEntriesPassAndNumberingIsOneBased)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    entry_load(f, 0xC0000102, 0xFFFF800000001000);   // IA32_KERNEL_GS_BASE, canonical
    exit_load(f, 0xC0000080, 0xD01);                 // IA32_EFER: SCE LME LMA NXE
    exit_store(f, 0x10);                             // IA32_TIME_STAMP_COUNTER
    EXPECT_TRUE(run_check(f).empty());
    entry_load(f, 0x808, 0);
    std::vector<vmx::entry::Finding> out;
    ASSERT_EQ(run_check(f, &out).size(), 1u);
    EXPECT_EQ(std::string(out[0].hint).rfind("VM-entry MSR-load entry 2 (MSR 0x808", 0), 0u) << out[0].hint;
    EXPECT_EQ(out[0].rule->cls, vmx::entry::Class::MsrLoad);
    EXPECT_EQ(out[0].qualification, 2u);   // exit 34's qualification: the entry's number
    ASSERT_EQ(out[0].field_count, 3u);
    EXPECT_STREQ(out[0].fields[1].name, "MSR entry index");
    EXPECT_EQ(out[0].fields[1].value, 0x808u);
}

// An MSR the processor does not have, in each area: WRMSR/RDMSR would raise #GP (27.4, 28.4,
// 28.6). Without the hook nothing is judged; with it, MSRs the processor has pass.
TEST(EntryCheckMsrAreas, MsrTheProcessorDoesNotHave)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    entry_load(f, kNoSuchMsr, 0);
    exit_load(f, kNoSuchMsr, 0);
    exit_store(f, kNoSuchMsr);
    EXPECT_TRUE(run_check(f).empty());
    f.s.msr_exists = msr_exists;
    std::vector<vmx::entry::Finding> out;
    ASSERT_EQ(run_check(f, &out).size(), 3u);
    EXPECT_STREQ(out[0].rule->id, "msr_load.value");
    EXPECT_EQ(out[0].qualification, 2u);
    EXPECT_NE(std::string(out[0].hint).find("does not have (RDMSR raises #GP)"), std::string::npos) << out[0].hint;
    EXPECT_STREQ(out[1].rule->id, "abort.exit_msr_store.no_such_msr");
    EXPECT_STREQ(out[2].rule->id, "abort.exit_msr_load.value");
    entry_load(f, 0x10, 0);
    exit_load(f, 0x10, 0);
    exit_store(f, 0x10);
    EXPECT_TRUE(run_check(f).empty());
}

TEST(EntryCheckMsrAreas, WithoutMemoryReaderEntriesAreNotJudged)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    exit_load(f, 0x9B, 0);
    f.s.read = nullptr;
    EXPECT_TRUE(run_check(f).empty());
}

TEST(EntryCheckMsrAreas, AbortIsItsOwnArea)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    exit_load(f, 0x830, 0);
    vmx::entry::Finding out[4];
    using vmx::entry::Area;
    EXPECT_EQ(vmx::entry::check(f.s, vmx::entry::kAllAreas & ~area_bit(Area::Abort), out, 4), 0u);
    ASSERT_EQ(vmx::entry::check(f.s, area_bit(Area::Abort), out, 4), 1u);
    EXPECT_EQ(out[0].rule->cls, vmx::entry::Class::Abort);
}

} // namespace
} // namespace entry_test
