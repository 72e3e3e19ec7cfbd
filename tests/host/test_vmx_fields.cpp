#include <gtest/gtest.h>

#include <set>
#include <string>

#include "vmx/encoding.hpp"
#include "vmx/fields.hpp"

using namespace vmx;

namespace {

std::string alias_of(const FieldInfo& f)
{
    char buf[128];
    field_alias(f, buf, sizeof buf);
    return buf;
}

std::string describe(uint64_t encoding)
{
    char buf[512];
    size_t n = describe_field(encoding, buf, sizeof buf);
    EXPECT_LT(n, sizeof buf);
    return buf;
}

} // namespace

TEST(VmxFields, EncodingsAreUniqueAndInSdmOrder)
{
    ASSERT_GT(field_count(), 250u);
    std::set<uint32_t> seen;
    for (size_t i = 0; i < field_count(); ++i) {
        const FieldInfo* f = field_at(i);
        EXPECT_TRUE(seen.insert(f->encoding).second) << f->name;
        // Appendix B lists 16-bit, 64-bit, 32-bit, natural-width fields: ascending encodings.
        if (i > 0) {
            EXPECT_LT(field_at(i - 1)->encoding, f->encoding) << f->name;
        }
    }
    EXPECT_EQ(field_at(field_count()), nullptr);
    EXPECT_STREQ(field_at(0)->name, "VIRTUAL_PROCESSOR_ID");
}

TEST(VmxFields, NamesAndAliasesAreOneUniqueNamespace)
{
    std::set<std::string> names;
    for (size_t i = 0; i < field_count(); ++i)
        EXPECT_TRUE(names.insert(field_at(i)->name).second) << field_at(i)->name;
    for (size_t i = 0; i < field_count(); ++i) {
        std::string alias = alias_of(*field_at(i));
        if (alias.empty())
            continue;
        EXPECT_TRUE(names.insert(alias).second) << alias << " of " << field_at(i)->name;
        EXPECT_EQ(find_field_by_name(alias.c_str()), field_at(i)) << alias;
    }
}

TEST(VmxFields, DecoderAgreesWithEveryRow)
{
    for (size_t i = 0; i < field_count(); ++i) {
        const FieldInfo* f = field_at(i);
        EncodingParts p = decode_encoding(f->encoding);
        EXPECT_TRUE(p.valid) << f->name;
        EXPECT_EQ(p.width, f->width) << f->name;
        EXPECT_EQ(p.type, f->type) << f->name;
        EXPECT_EQ(p.high, f->high) << f->name;
        EXPECT_EQ(make_encoding(p.width, p.type, p.index, p.high), f->encoding) << f->name;
        EXPECT_EQ(find_field_by_encoding(f->encoding), f);
        EXPECT_EQ(find_field_by_name(f->name), f);
        // Every 64-bit field has its _HIGH twin right after it.
        if (f->width == Width::Bits64 && !f->high) {
            const FieldInfo* h = field_at(i + 1);
            ASSERT_NE(h, nullptr);
            EXPECT_EQ(h->encoding, f->encoding + 1);
            EXPECT_EQ(std::string(h->name), std::string(f->name) + "_HIGH");
        }
    }
}

TEST(VmxFields, KnownEncodingsFromLinux)
{
    struct { const char* name; uint32_t encoding; } known[] = {
        {"GUEST_CR0", 0x6800}, {"VM_EXIT_REASON", 0x4402}, {"VMCS_LINK_POINTER", 0x2800},
        {"VMCS_LINK_POINTER_HIGH", 0x2801}, {"CPU_BASED_VM_EXEC_CONTROL", 0x4002},
        {"VM_ENTRY_INTR_INFO_FIELD", 0x4016}, {"VM_ENTRY_MSR_LOAD_ADDR", 0x200A},
        {"CR0_GUEST_HOST_MASK", 0x6000}, {"CR3_TARGET_COUNT", 0x400A},
        {"VM_INSTRUCTION_ERROR", 0x4400}, {"HOST_RIP", 0x6C16}, {"GUEST_ES_AR_BYTES", 0x4814},
        {"GUEST_ACTIVITY_STATE", 0x4826}, {"GUEST_SYSENTER_CS", 0x482A}, {"EPT_POINTER", 0x201A},
        {"SECONDARY_VM_EXEC_CONTROL", 0x401E}, {"EXIT_QUALIFICATION", 0x6400},
        {"IO_RIP", 0x6408}, {"GUEST_SMBASE", 0x4828}, {"HOST_IA32_SYSENTER_CS", 0x4C00},
        {"VMX_PREEMPTION_TIMER_VALUE", 0x482E}, {"TSC_OFFSET_HIGH", 0x2011},
    };
    for (auto& k : known) {
        const FieldInfo* f = find_field_by_name(k.name);
        ASSERT_NE(f, nullptr) << k.name;
        EXPECT_EQ(f->encoding, k.encoding) << k.name;
    }
    EXPECT_EQ(vmcs::GUEST_CR0, 0x6800u);
    EXPECT_EQ(vmcs::VMCS_LINK_POINTER_HIGH, 0x2801u);
    EXPECT_EQ(vmcs::HOST_INTR_SSP_TABLE, 0x6C1Cu);
}

TEST(VmxFields, SdmAliases)
{
    EXPECT_EQ(find_field_by_name("EXIT_REASON")->encoding, 0x4402u);
    EXPECT_EQ(find_field_by_name("GUEST_ES_ACCESS_RIGHTS")->encoding, 0x4814u);
    EXPECT_EQ(find_field_by_name("ADDRESS_OF_IO_BITMAP_A")->encoding, 0x2000u);
    EXPECT_EQ(find_field_by_name("ADDRESS_OF_IO_BITMAP_A_HIGH")->encoding, 0x2001u);
    EXPECT_EQ(find_field_by_name("VM_EXIT_INSTRUCTION_INFORMATION")->encoding, 0x440Eu);
    EXPECT_EQ(find_field_by_name("GUEST_PDPTE0")->encoding, 0x280Au);
    EXPECT_EQ(find_field_by_name("GUEST_IA32_SYSENTER_ESP")->encoding, 0x6824u);
    EXPECT_EQ(find_field_by_name("VIRTUAL_PROCESSOR_IDENTIFIER")->encoding, 0x0000u);
    // No separate alias where the SDM's name already reads like Linux's.
    EXPECT_EQ(alias_of(*find_field_by_name("CR3_TARGET_COUNT")), "");
    EXPECT_EQ(alias_of(*find_field_by_name("VM_INSTRUCTION_ERROR")), "");
    EXPECT_EQ(alias_of(*find_field_by_name("PLE_GAP")), "");
    EXPECT_EQ(alias_of(*find_field_by_name("IO_RCX")), "");
    EXPECT_EQ(alias_of(*find_field_by_name("VM_EXIT_REASON")), "EXIT_REASON");
    // Case-sensitive, exact.
    EXPECT_EQ(find_field_by_name("guest_cr0"), nullptr);
    EXPECT_EQ(find_field_by_name("GUEST_CR"), nullptr);
    EXPECT_EQ(find_field_by_name(""), nullptr);
    EXPECT_EQ(find_field_by_name(nullptr), nullptr);
}

TEST(VmxFields, DecodeEncodingBits)
{
    EncodingParts p = decode_encoding(0x400A);
    EXPECT_TRUE(p.valid);
    EXPECT_FALSE(p.high);
    EXPECT_EQ(p.index, 5);
    EXPECT_EQ(p.type, FieldType::Control);
    EXPECT_EQ(p.width, Width::Bits32);
    p = decode_encoding(0x4402);
    EXPECT_EQ(p.type, FieldType::ReadOnly);
    EXPECT_EQ(p.index, 1);
    p = decode_encoding(0x2801);
    EXPECT_TRUE(p.valid);
    EXPECT_TRUE(p.high);
    EXPECT_EQ(p.width, Width::Bits64);
    EXPECT_EQ(p.type, FieldType::Guest);
}

TEST(VmxFields, DecodeRejectsReservedBitsAndBadHighAccess)
{
    EXPECT_EQ(decode_encoding(0x1000).reserved_bits, 0x1000u);        // bit 12
    EXPECT_FALSE(decode_encoding(0x1000).valid);
    EXPECT_FALSE(decode_encoding(0x8000).valid);                      // bit 15
    EXPECT_FALSE(decode_encoding(0x100006800ull).valid);              // bit 32 of a 64-bit operand
    EXPECT_TRUE(decode_encoding(0x4001).high_not_64bit);              // high access, 32-bit field
    EXPECT_FALSE(decode_encoding(0x4001).valid);
    EXPECT_FALSE(decode_encoding(0x6FFF).valid);                      // natural width, high
    EXPECT_TRUE(decode_encoding(0x6FFE).valid);                       // well-formed, no such field
    EXPECT_EQ(find_field_by_encoding(0x6FFE), nullptr);
}

TEST(VmxFields, DescribeTheLectureExamples)
{
    std::string s = describe(0x400A);
    EXPECT_NE(s.find("0x0000400A is CR3_TARGET_COUNT"), std::string::npos) << s;
    EXPECT_NE(s.find("CR3-target count: a 32-bit control field (SDM B.3.1)"), std::string::npos)
        << s;
    EXPECT_NE(s.find("index (bits 9:1) = 5"), std::string::npos) << s;
    s = describe(0x4402);
    EXPECT_NE(
        s.find("VM_EXIT_REASON, the exit reason: a 32-bit read-only data field (SDM B.3.2)"),
        std::string::npos) << s;
    EXPECT_NE(s.find("SDM alias: EXIT_REASON"), std::string::npos) << s;
    s = describe(0x2801);
    EXPECT_NE(
        s.find("high 32 bits of the VMCS link pointer: a 64-bit guest-state field (SDM B.2.3)"),
        std::string::npos) << s;
    EXPECT_NE(s.find("access type (bit 0) = 1 high"), std::string::npos) << s;
    s = describe(0x0C02);
    EXPECT_NE(s.find("16-bit host-state field (SDM B.1.3)"), std::string::npos) << s;
    s = describe(0x6800);
    EXPECT_NE(s.find("the guest CR0: a natural-width guest-state field (SDM B.4.3)"),
              std::string::npos) << s;
}

TEST(VmxFields, DescribeUnknownAndInvalid)
{
    std::string s = describe(0x4030);
    EXPECT_NE(s.find("names no field"), std::string::npos) << s;
    EXPECT_NE(s.find("32-bit control field"), std::string::npos) << s;
    s = describe(0x1000);
    EXPECT_NE(s.find("not a valid VMCS field encoding"), std::string::npos) << s;
    EXPECT_NE(s.find("reserved bits 0x1000"), std::string::npos) << s;
    s = describe(0x4401);
    EXPECT_NE(s.find("only for 64-bit fields"), std::string::npos) << s;
    EXPECT_NE(s.find("error 12"), std::string::npos) << s;
    char small[16];
    size_t n = describe_field(0x400A, small, sizeof small);
    EXPECT_GT(n, sizeof small);
    EXPECT_STREQ(small, "0x0000400A is C");
}

TEST(VmxFields, WidthAndTypeNames)
{
    EXPECT_STREQ(width_name(Width::Natural), "natural-width");
    EXPECT_STREQ(type_name(FieldType::ReadOnly), "read-only data");
    const FieldInfo* f = find_field_by_name("GUEST_S_CET");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->source, NameSource::Linux);
    EXPECT_EQ(find_field_by_name("IO_RCX")->source, NameSource::KvmUnitTests);
    EXPECT_EQ(find_field_by_name("EPTP_INDEX")->source, NameSource::Vmxlab);
}
