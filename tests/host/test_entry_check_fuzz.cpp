// The checker on arbitrary VMCS contents (what a user can write at the prompt): it must never
// read outside its buffers, and the count it returns must not depend on the room it was given.
#include "test_entry_check_fixtures.hpp"

namespace entry_test {
namespace {

uint64_t next(uint64_t* s)
{
    // xorshift64*: deterministic, so a failure is reproducible from the iteration number.
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1Dull;
}

uint64_t interesting(uint64_t* s)
{
    static const uint64_t kValues[] = {0, 1, 2, 0xF3, 0xFFFF, 0x10000, 0x80000000, 0xFFFFFFFF,
                                       0x0000800000000000, ~uint64_t{0}, 0x8000000000000000};
    uint64_t r = next(s);
    return (r & 3) == 0 ? kValues[(r >> 2) % (sizeof kValues / sizeof kValues[0])] : next(s);
}

TEST(EntryCheckFuzz, ArbitraryFieldsNeverOverrunAndCountIsStable)
{
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    size_t nfields = 0;
    const uint32_t* fields = vmx::entry::snapshot_fields(&nfields);
    size_t checks = 0;
    for (int iter = 0; iter < 3000; ++iter) {
        SCOPED_TRACE(iter);
        Fixture f;
        make_base(f, static_cast<Base>(iter % 3), iter % 2 ? Model::Skylake : Model::Penryn);
        // Mutate a few fields (sometimes all of them), and the CPU facts now and then.
        size_t n = iter % 50 == 0 ? nfields : 1 + next(&seed) % 4;
        for (size_t k = 0; k < n; ++k)
            f.s.set(fields[next(&seed) % nfields], interesting(&seed));
        if (iter % 7 == 0) {
            f.s.maxphyaddr = static_cast<uint8_t>(next(&seed));
            f.s.linear_width = static_cast<uint8_t>(next(&seed));
        }
        f.set(VM_ENTRY_MSR_LOAD_COUNT, f.get(VM_ENTRY_MSR_LOAD_COUNT) & 0xFFFF);
        f.set(VM_EXIT_MSR_LOAD_COUNT, f.get(VM_EXIT_MSR_LOAD_COUNT) & 0xFFFF);
        f.set(VM_EXIT_MSR_STORE_COUNT, f.get(VM_EXIT_MSR_STORE_COUNT) & 0xFFFF);
        vmx::entry::Finding many[64], one[1];
        size_t total = vmx::entry::check(f.s, vmx::entry::kAllAreas, many, 64);
        ASSERT_EQ(vmx::entry::check(f.s, vmx::entry::kAllAreas, one, 1), total);
        ASSERT_EQ(vmx::entry::check(f.s, vmx::entry::kAllAreas, nullptr, 0), total);
        if (total > 0) {
            ASSERT_EQ(one[0].rule, many[0].rule);
            ASSERT_STREQ(one[0].hint, many[0].hint);
        }
        for (size_t i = 0; i < total && i < 64; ++i) {
            ASSERT_NE(many[i].rule, nullptr);
            ASSERT_LE(many[i].field_count, vmx::entry::kFindingFieldMax);
            ASSERT_LT(std::strlen(many[i].hint), vmx::entry::kHintMax);
            ++checks;
        }
    }
    EXPECT_GT(checks, 3000u);   // the mutations did break rules: the loop judged findings
}

} // namespace
} // namespace entry_test
