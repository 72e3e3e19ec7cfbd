// The VM-entry checker's rule table: complete test coverage (every rule has its breaking case),
// well-formed rows, valid base states on every Bochs model that can run them.
#include <set>

#include "test_entry_check_fixtures.hpp"

namespace entry_test {
namespace {

using vmx::entry::Area;
using vmx::entry::Class;

TEST(EntryCheckTable, EveryRuleHasACaseAndEveryCaseARule)
{
    size_t n = 0;
    const vmx::entry::Rule* r = vmx::entry::rules(&n);
    ASSERT_GT(n, 100u);
    std::multiset<std::string> cased;
    for (const Case* c : all_cases())
        cased.insert(c->id);
    for (size_t i = 0; i < n; ++i)
        EXPECT_EQ(cased.count(r[i].id), 1u) << "rule " << r[i].id << " needs exactly one case";
    for (const std::string& id : cased)
        EXPECT_NE(vmx::entry::find_rule(id.c_str()), nullptr) << "case for unknown rule " << id;
    EXPECT_EQ(cased.size(), n);
}

TEST(EntryCheckTable, RowsAreWellFormedAndInCheckOrder)
{
    size_t n = 0;
    const vmx::entry::Rule* r = vmx::entry::rules(&n);
    std::set<std::string> ids;
    int last_area = 0;
    const char* prefix[] = {"controls.", "host.", "guest.", "msr_load.", "abort."};
    const Class cls[] = {Class::Controls, Class::Host, Class::Guest, Class::MsrLoad, Class::Abort};
    for (size_t i = 0; i < n; ++i) {
        SCOPED_TRACE(r[i].id);
        EXPECT_TRUE(ids.insert(r[i].id).second) << "duplicate id";
        int a = static_cast<int>(r[i].area);
        EXPECT_GE(a, last_area) << "rows must follow the processor's order of checks";
        last_area = a;
        EXPECT_EQ(std::string(r[i].id).rfind(prefix[a], 0), 0u);
        EXPECT_EQ(r[i].cls, cls[a]);
        std::string sec = r[i].section;
        bool entry_chapter = sec.rfind("27.2.", 0) == 0 || sec.rfind("27.3.1.", 0) == 0 || sec == "27.4";
        bool exit_chapter = sec == "28.4" || sec == "28.6";
        EXPECT_TRUE(a == 4 ? exit_chapter : entry_chapter) << sec;
        EXPECT_GT(std::strlen(r[i].rule), 10u);
        EXPECT_EQ(vmx::entry::find_rule(r[i].id), &r[i]);
    }
    EXPECT_EQ(vmx::entry::find_rule("guest.no_such_rule"), nullptr);
}

TEST(EntryCheckTable, BaseStatesPassOnEveryModelThatHasTheirFeatures)
{
    const Model all[] = {Model::Skylake, Model::Penryn, Model::Icelake, Model::Generic};
    for (Model m : all)
        for (Base b : {Base::Guest64, Base::V86, Base::Real}) {
            // Penryn and bx_generic have no EPT and no unrestricted guest.
            bool has_ept = m == Model::Skylake || m == Model::Icelake;
            Fixture f;
            make_base(f, b, m);
            std::vector<std::string> ids = run_check(f);
            if (b != Base::Real || has_ept)
                EXPECT_TRUE(ids.empty()) << base_name(b) << " on " << model_name(m) << ": " << ids[0];
            else
                EXPECT_FALSE(ids.empty()) << base_name(b) << " on " << model_name(m);
        }
}

TEST(EntryCheckTable, CountIsTotalEvenWhenOutputIsShort)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    f.set(GUEST_RFLAGS, 0x8);              // bit 1 clear and reserved bit 3 set: two findings
    f.set(HOST_CS_SELECTOR, 0);
    vmx::entry::Finding one[1];
    EXPECT_EQ(vmx::entry::check(f.s, vmx::entry::kAllAreas, one, 1), 3u);
    EXPECT_STREQ(one[0].rule->id, "host.cs.null");   // host state is checked before guest state
    EXPECT_EQ(vmx::entry::check(f.s, vmx::entry::kAllAreas, nullptr, 0), 3u);
    EXPECT_EQ(vmx::entry::check(f.s, area_bit(Area::Guest), one, 1), 2u);
    EXPECT_STREQ(one[0].rule->id, "guest.rflags.reserved");
}

// fields_supported() decides from the capability MSRs: penryn has no EPT, so no EPT_POINTER and
// no PDPTE fields; skylake has them; neither has a field beyond IA32_VMX_VMCS_ENUM's index.
TEST(EntryCheckTable, SupportedFieldsFollowCapabilities)
{
    auto has = [](Model m, uint32_t enc) {
        uint32_t out[vmx::entry::kSnapshotFieldMax];
        size_t n = vmx::entry::fields_supported(model_caps(m), out, vmx::entry::kSnapshotFieldMax);
        EXPECT_LE(n, vmx::entry::kSnapshotFieldMax);
        for (size_t i = 0; i < n; ++i)
            if (out[i] == enc)
                return true;
        return false;
    };
    EXPECT_TRUE(has(Model::Skylake, EPT_POINTER));
    EXPECT_FALSE(has(Model::Penryn, EPT_POINTER));
    EXPECT_FALSE(has(Model::Penryn, GUEST_PDPTR0));
    EXPECT_TRUE(has(Model::Penryn, GUEST_CR0));
    EXPECT_TRUE(has(Model::Penryn, VM_ENTRY_INTR_INFO_FIELD));
    EXPECT_FALSE(has(Model::Skylake, TERTIARY_VM_EXEC_CONTROL));   // no "activate tertiary"
    EXPECT_FALSE(has(Model::Skylake, POSTED_INTR_NV));             // no posted interrupts
    EXPECT_TRUE(has(Model::Skylake, VIRTUAL_PROCESSOR_ID));
    EXPECT_FALSE(has(Model::Generic, VIRTUAL_PROCESSOR_ID));
    EXPECT_TRUE(has(Model::Skylake, GUEST_IA32_EFER));
    uint32_t few[3];
    EXPECT_GT(vmx::entry::fields_supported(model_caps(Model::Skylake), few, 3), 3u);
}

} // namespace
} // namespace entry_test
