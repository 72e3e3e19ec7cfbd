// VM-entry checker: every rule on the VMX controls (SDM 27.2.1), each broken once from a valid
// base state. Expected: exactly that rule, VMfailValid 7.
#include "test_entry_check_fixtures.hpp"

namespace entry_test {
namespace {

#define CASE(id, base, body) {id, Base::base, Model::Skylake, [](Fixture& f) body}
#define CASE_ON(id, base, model, body) {id, Base::base, Model::model, [](Fixture& f) body}

// Lets a test give the CPU a capability Bochs's models lack (allowed-1 bit of a control MSR).
void allow(Fixture& f, uint32_t msr, uint64_t bits)
{
    f.s.caps.value[msr - 0x480] |= bits;
    f.s.caps.present[msr - 0x480] = true;
}

void secondary(Fixture& f, uint64_t bits)
{
    f.set_bits(CPU_BASED_VM_EXEC_CONTROL, 1ull << 31);
    f.set(SECONDARY_VM_EXEC_CONTROL, f.get(SECONDARY_VM_EXEC_CONTROL) | bits);
}

void tpr_shadow(Fixture& f)
{
    f.set_bits(CPU_BASED_VM_EXEC_CONTROL, 1u << 21);
    f.set(VIRTUAL_APIC_PAGE_ADDR, 0x5000);
    f.set(TPR_THRESHOLD, 0);
}

void posted_ready(Fixture& f)
{
    allow(f, 0x48D, 1ull << (32 + 7));   // Bochs 2.7 has no posted interrupts
    f.set_bits(PIN_BASED_VM_EXEC_CONTROL, 1u << 7 | 1);
    tpr_shadow(f);
    secondary(f, 1u << 9);
    f.set_bits(VM_EXIT_CONTROLS, 1u << 15);
    f.set(POSTED_INTR_DESC_ADDR, 0x6000);
    f.set(POSTED_INTR_NV, 0xF2);
}

const std::vector<Case> kCases = {
    CASE("controls.pin", Guest64, { f.clear_bits(PIN_BASED_VM_EXEC_CONTROL, 2); }),
    CASE("controls.proc", Guest64, { f.set_bits(CPU_BASED_VM_EXEC_CONTROL, 1); }),
    CASE("controls.proc2", Guest64, { secondary(f, 1ull << 31); }),
    CASE("controls.proc3", Guest64, {
        allow(f, 0x48E, 1ull << (32 + 17));   // "activate tertiary controls" may be 1
        allow(f, 0x492, 1);                   // IA32_VMX_PROCBASED_CTLS3: bit 0 only
        f.set_bits(CPU_BASED_VM_EXEC_CONTROL, 1u << 17);
        f.set(TERTIARY_VM_EXEC_CONTROL, 2);
    }),
    CASE("controls.cr3_target_count", Guest64, { f.set(CR3_TARGET_COUNT, 5); }),
    CASE("controls.io_bitmaps", Guest64, {
        f.set_bits(CPU_BASED_VM_EXEC_CONTROL, 1u << 25);
        f.set(IO_BITMAP_A, 0x1234);
        f.set(IO_BITMAP_B, 0x2000);
    }),
    CASE("controls.msr_bitmap", Guest64, {
        f.set_bits(CPU_BASED_VM_EXEC_CONTROL, 1u << 28);
        f.set(MSR_BITMAP, 0x8000000000);
    }),
    CASE("controls.tpr_shadow.address", Guest64, {
        tpr_shadow(f);
        f.set(VIRTUAL_APIC_PAGE_ADDR, 0x1010);
    }),
    CASE("controls.tpr_shadow.threshold", Guest64, {
        tpr_shadow(f);
        f.set(TPR_THRESHOLD, 0x10);
    }),
    CASE("controls.tpr_shadow.vtpr", Guest64, {
        tpr_shadow(f);
        f.set(TPR_THRESHOLD, 5);
        f.mem.bytes[0x5080] = 0x30;
    }),
    CASE("controls.tpr_shadow.needed", Guest64, { secondary(f, 1u << 4); }),
    CASE("controls.virtual_nmis", Guest64, { f.set_bits(PIN_BASED_VM_EXEC_CONTROL, 1u << 5); }),
    CASE("controls.nmi_window", Guest64, { f.set_bits(CPU_BASED_VM_EXEC_CONTROL, 1u << 22); }),
    CASE("controls.apic_access.address", Guest64, {
        secondary(f, 1);
        f.set(APIC_ACCESS_ADDR, 0xFEE00001);
    }),
    CASE("controls.x2apic", Guest64, {
        tpr_shadow(f);
        secondary(f, 1 | 1u << 4);
        f.set(APIC_ACCESS_ADDR, 0xFEE00000);
    }),
    CASE("controls.virtual_intr_delivery", Guest64, {
        tpr_shadow(f);
        secondary(f, 1u << 9);
    }),
    CASE("controls.posted_intr", Guest64, {
        allow(f, 0x48D, 1ull << (32 + 7));
        f.set_bits(PIN_BASED_VM_EXEC_CONTROL, 1u << 7);
        f.set(POSTED_INTR_DESC_ADDR, 0x6000);
        f.set(POSTED_INTR_NV, 0xF2);
    }),
    CASE("controls.posted_intr.vector", Guest64, {
        posted_ready(f);
        f.set(POSTED_INTR_NV, 0x1F2);
    }),
    CASE("controls.posted_intr.descriptor", Guest64, {
        posted_ready(f);
        f.set(POSTED_INTR_DESC_ADDR, 0x6010);
    }),
    CASE("controls.vpid", Guest64, {
        secondary(f, 1u << 5);
        f.set(VIRTUAL_PROCESSOR_ID, 0);
    }),
    CASE("controls.eptp.memory_type", Real, { f.set(EPT_POINTER, 0x400000 | 3 << 3 | 1); }),
    CASE("controls.eptp.walk_length", Real, { f.set(EPT_POINTER, 0x400000 | 2 << 3 | 6); }),
    CASE("controls.eptp.accessed_dirty", Real, {
        f.s.caps.value[0x48C - 0x480] &= ~(1ull << 21);   // a CPU without EPT A/D flags
        f.set_bits(EPT_POINTER, 1u << 6);
    }),
    CASE("controls.eptp.reserved", Real, { f.set_bits(EPT_POINTER, 0x100); }),
    CASE("controls.pml", Real, {
        secondary(f, 1u << 17);
        f.set(PML_ADDRESS, 0x7001);
    }),
    CASE("controls.unrestricted_guest", Real, { f.clear_bits(SECONDARY_VM_EXEC_CONTROL, 2); }),
    CASE("controls.mode_based_ept", Guest64, {
        allow(f, 0x48B, 1ull << (32 + 22));
        secondary(f, 1u << 22);
    }),
    CASE("controls.vmfunc", Real, {
        secondary(f, 1u << 13);
        f.set(VM_FUNCTION_CONTROL, 2);
    }),
    CASE("controls.vmfunc.eptp_list", Real, {
        secondary(f, 1u << 13);
        f.set(VM_FUNCTION_CONTROL, 1);
        f.set(EPTP_LIST_ADDRESS, 0x8008);
    }),
    CASE("controls.vmcs_shadowing", Guest64, {
        secondary(f, 1u << 14);
        f.set(VMREAD_BITMAP, 0x9000);
        f.set(VMWRITE_BITMAP, 0x9001);
    }),
    CASE("controls.ept_violation_ve", Real, {
        secondary(f, 1u << 18);
        f.set(VE_INFORMATION_ADDRESS, 0xA004);
    }),
    CASE("controls.exit", Guest64, { f.clear_bits(VM_EXIT_CONTROLS, 1); }),
    CASE("controls.exit.save_preemption_timer", Guest64, { f.set_bits(VM_EXIT_CONTROLS, 1u << 22); }),
    CASE("controls.exit.msr_store", Guest64, {
        f.set(VM_EXIT_MSR_STORE_COUNT, 1);
        f.set(VM_EXIT_MSR_STORE_ADDR, kMsrAreas + 8);
    }),
    CASE("controls.exit.msr_load", Guest64, {
        f.set(VM_EXIT_MSR_LOAD_COUNT, 2);
        f.set(VM_EXIT_MSR_LOAD_ADDR, 0x7FFFFFFFF0);   // the second entry crosses 2^39
    }),
    CASE("controls.entry", Guest64, { f.set_bits(VM_ENTRY_CONTROLS, 1u << 16); }),
    CASE("controls.entry.inject.type", Guest64, { f.set(VM_ENTRY_INTR_INFO_FIELD, 0x80000100); }),
    CASE("controls.entry.inject.vector", Guest64, { f.set(VM_ENTRY_INTR_INFO_FIELD, 0x80000205); }),
    CASE("controls.entry.inject.deliver_error_code", Guest64, {
        f.set(VM_ENTRY_INTR_INFO_FIELD, 0x8000030D);   // #GP without its error code
    }),
    CASE("controls.entry.inject.error_code", Guest64, {
        f.set(VM_ENTRY_INTR_INFO_FIELD, 0x80000B0D);
        f.set(VM_ENTRY_EXCEPTION_ERROR_CODE, 0x10000);
    }),
    CASE("controls.entry.inject.reserved", Guest64, { f.set(VM_ENTRY_INTR_INFO_FIELD, 0x80001030); }),
    CASE("controls.entry.inject.length", Guest64, {
        f.set(VM_ENTRY_INTR_INFO_FIELD, 0x80000430);   // INT 0x30
        f.set(VM_ENTRY_INSTRUCTION_LEN, 16);
    }),
    CASE("controls.entry.msr_load", Guest64, {
        f.set(VM_ENTRY_MSR_LOAD_COUNT, 1);
        f.set(VM_ENTRY_MSR_LOAD_ADDR, kMsrAreas + 0x801);
    }),
    CASE("controls.entry.smm", Guest64, { f.set_bits(VM_ENTRY_CONTROLS, 1u << 10); }),
};
const Register kRegister(kCases);

class EntryCheckControls : public ::testing::TestWithParam<Case> {};
TEST_P(EntryCheckControls, ReportsExactlyItsRule) { run_case(GetParam()); }
INSTANTIATE_TEST_SUITE_P(Rules, EntryCheckControls, ::testing::ValuesIn(kCases),
                         [](const auto& info) {
                             std::string n = info.param.id;
                             for (char& ch : n)
                                 if (ch == '.') ch = '_';
                             return n;
                         });

} // namespace
} // namespace entry_test

namespace entry_test {
namespace {

// EPT_POINTER bit 7 is reserved unless the CPU has CET shadow stacks (a CPUID fact).
TEST(EntryCheckControlsCpuid, EptpBit7FollowsCetShadowStacks)
{
    Fixture f;
    make_base(f, Base::Real, Model::Skylake);
    f.set_bits(EPT_POINTER, 0x80);
    std::vector<std::string> ids = run_check(f);
    ASSERT_EQ(ids.size(), 1u);
    EXPECT_EQ(ids[0].substr(0, ids[0].find(':')), "controls.eptp.reserved");
    f.s.cet_ss = true;
    EXPECT_TRUE(run_check(f).empty());
}

// The physical-address width comes from CPUID (and IA32_VMX_BASIC[48]), not an assumption.
TEST(EntryCheckControlsCpuid, AddressWidthFollowsMaxphyaddr)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    f.set_bits(CPU_BASED_VM_EXEC_CONTROL, 1u << 28);
    f.set(MSR_BITMAP, 0x100000000);   // 4 GiB: fine with 39 bits, too high with 32
    EXPECT_TRUE(run_check(f).empty());
    f.s.caps.value[0] |= 1ull << 48;   // IA32_VMX_BASIC[48]: 32-bit addresses only
    EXPECT_EQ(run_check(f).size(), 1u);
    f.s.caps.value[0] &= ~(1ull << 48);
    f.s.maxphyaddr = 32;
    EXPECT_EQ(run_check(f).size(), 1u);
}

} // namespace
} // namespace entry_test

namespace entry_test {
namespace {

// Deliver-error-code follows the vector, CR0.PE of an unrestricted guest, and IA32_VMX_BASIC[56].
TEST(EntryCheckControlsCpuid, DeliverErrorCodeRules)
{
    auto verdict = [](Base b, uint64_t info, bool basic56, bool cet) {
        Fixture f;
        make_base(f, b, Model::Skylake);
        if (basic56)
            f.s.caps.value[0] |= 1ull << 56;
        f.s.cet_ss = cet;
        f.set(VM_ENTRY_INTR_INFO_FIELD, info);
        std::vector<std::string> ids = run_check(f);
        return ids.empty() ? std::string("ok") : ids[0].substr(0, ids[0].find(':'));
    };
    const std::string ec = "controls.entry.inject.deliver_error_code";
    EXPECT_EQ(verdict(Base::Guest64, 0x80000B0E, false, false), "ok");    // #PF with code
    EXPECT_EQ(verdict(Base::Guest64, 0x80000306, false, false), "ok");    // #UD without
    EXPECT_EQ(verdict(Base::Guest64, 0x80000B06, false, false), ec);      // #UD with a code
    EXPECT_EQ(verdict(Base::Guest64, 0x80000B06, true, false), "ok");     // allowed by BASIC[56]
    EXPECT_EQ(verdict(Base::Guest64, 0x8000030E, true, false), "ok");     // #PF without: too
    EXPECT_EQ(verdict(Base::Guest64, 0x80000315, false, false), "ok");    // #CP unknown without CET
    EXPECT_EQ(verdict(Base::Guest64, 0x80000315, false, true), ec);       // with CET it has a code
    EXPECT_EQ(verdict(Base::Real, 0x80000B0D, false, false), ec);         // real mode: no codes
    EXPECT_EQ(verdict(Base::Real, 0x8000030D, false, false), "ok");
    EXPECT_EQ(verdict(Base::Guest64, 0x80000830, false, false), ec);      // external interrupt
}

} // namespace
} // namespace entry_test

namespace entry_test {
namespace {

// IA32_VMX_BASIC[55] selects the TRUE control MSRs: without it, the default1 bits of
// IA32_VMX_ENTRY_CTLS (bit 2, "load debug controls", among them) must be 1.
TEST(EntryCheckControlsCpuid, TrueControlsFollowBasic55)
{
    Fixture f;
    make_base(f, Base::Guest64, Model::Skylake);
    ASSERT_EQ(f.get(VM_ENTRY_CONTROLS) & 4, 0u);   // adjusted with the TRUE MSR: bit 2 is 0
    f.s.caps.value[0] &= ~(1ull << 55);
    std::vector<vmx::entry::Finding> out;
    std::vector<std::string> ids = run_check(f, &out);
    // The non-TRUE MSRs also require CR3-load/store exiting (primary bits 15, 16) and "save
    // debug controls" (exit bit 2), which the TRUE MSRs let the base state clear.
    ASSERT_EQ(ids.size(), 3u);
    EXPECT_STREQ(out[0].rule->id, "controls.proc");
    EXPECT_NE(std::string(out[0].hint).find("lacks bits 0x18000 that IA32_VMX_PROCBASED_CTLS "
                                            "requires"), std::string::npos) << out[0].hint;
    EXPECT_STREQ(out[1].rule->id, "controls.exit");
    EXPECT_STREQ(out[2].rule->id, "controls.entry");
    EXPECT_NE(std::string(out[2].hint).find("lacks bits 0x4 that IA32_VMX_ENTRY_CTLS requires"),
              std::string::npos) << out[2].hint;
}

} // namespace
} // namespace entry_test
