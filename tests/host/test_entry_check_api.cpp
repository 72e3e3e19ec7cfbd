// The VM-entry checker's public surface: snapshot storage, the field list, names, the table.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "vmx/entry_check.hpp"
#include "vmx/fields.hpp"

using namespace vmx;
using namespace vmx::entry;

TEST(EntryCheckApi, SnapshotStoresOnlyCheckerFields)
{
    Snapshot s;
    EXPECT_FALSE(s.has(vmcs::GUEST_CR0));
    EXPECT_TRUE(s.set(vmcs::GUEST_CR0, 0x80000031));
    uint64_t v = 0;
    EXPECT_TRUE(s.get(vmcs::GUEST_CR0, &v));
    EXPECT_EQ(v, 0x80000031u);
    EXPECT_TRUE(s.set(vmcs::GUEST_CR0, 0x21));
    EXPECT_EQ(s[vmcs::GUEST_CR0], 0x21u);
    EXPECT_EQ(s.field_count, 1u);
    EXPECT_FALSE(s.set(vmcs::VM_EXIT_REASON, 1));     // read-only data: the checker never reads it
    EXPECT_EQ(s[vmcs::VM_EXIT_REASON], 0u);
}

TEST(EntryCheckApi, FieldListIsKnownAndUnique)
{
    size_t n = 0;
    const uint32_t* f = snapshot_fields(&n);
    ASSERT_GT(n, 100u);
    ASSERT_LE(n, kSnapshotFieldMax);
    std::set<uint32_t> seen;
    for (size_t i = 0; i < n; ++i) {
        EXPECT_NE(find_field_by_encoding(f[i]), nullptr) << std::hex << f[i];
        EXPECT_TRUE(seen.insert(f[i]).second) << std::hex << f[i];
        EXPECT_EQ(f[i] & 1, 0u) << "full encodings only";
    }
}

TEST(EntryCheckApi, AreaNames)
{
    EXPECT_EQ(area_mask_by_name("guest"), area_bit(Area::Guest));
    EXPECT_EQ(area_mask_by_name("controls"), 1u);
    EXPECT_EQ(area_mask_by_name("all"), kAllAreas);
    EXPECT_EQ(area_mask_by_name("bogus"), 0u);
    EXPECT_STREQ(class_name(Class::Host), "VMfailValid 8");
    EXPECT_STREQ(class_name(Class::MsrLoad), "exit 34");
}
