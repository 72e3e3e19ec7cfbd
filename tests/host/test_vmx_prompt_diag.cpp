// The prompt's diagnostics that need no checker: which VMCS fields exist (decided from the
// capability MSRs, never by probing), INVEPT/INVVPID operand errors, control words named bit by
// bit. Fixtures: the MSR values Bochs 2.7 reports (docs/emulators.md).
#include <gtest/gtest.h>

#include <string>
#include <cstdio>
#include <vector>

#include "vmx/caps.hpp"
#include "vmx/diagnose.hpp"
#include "vmx/entry_explain.hpp"
#include "vmx/field_decode.hpp"
#include "vmx/field_support.hpp"
#include "vmx/fields.hpp"

using namespace vmx;

namespace {

constexpr uint64_t kGP = ~uint64_t{0};
const uint64_t kSkylake[18] = {
    0x00d810000000002b, 0x0000007f00000016, 0xf7f9fffe0401e172, 0x007fffff00036dff,
    0x0000ffff000011ff, 0x00000000600401e0, 0x80000021, 0xffffffff, 0x2000, 0x003727ff, 0x34,
    0x02177fff00000000, 0x00000f0106334141, 0x0000007f00000016, 0xf7f9fffe04006172,
    0x007fffff00036dfb, 0x0000ffff000011fb, 0x1};
const uint64_t kPenryn[18] = {
    0x00d810000000002b, 0x0000003f00000016, 0xf7f9fffe0401e172, 0x0003ffff00036dff,
    0x00003fff000011ff, 0x00000000000401e0, 0x80000021, 0xffffffff, 0x2000, 0x000467ff, 0x34,
    0x0000004100000000, kGP, 0x0000003f00000016, 0xf7f9fffe04006172, 0x0003ffff00036dfb,
    0x00003fff000011fb, kGP};

VmxCaps caps_of(const uint64_t (&v)[18])
{
    std::vector<MsrValue> msrs;
    for (uint32_t i = 0; i < kMsrVmxCount; ++i) {
        bool known = i < 18 && v[i] != kGP;
        msrs.push_back({0x480 + i, known ? v[i] : 0, known});
    }
    VmxCaps c{};
    EXPECT_TRUE(decode_caps(msrs.data(), msrs.size(), &c));
    return c;
}

bool has(const char* name, const VmxCaps& c) { return field_supported(*find_field_by_name(name), c); }


} // namespace

TEST(FieldSupport, SkylakeHasEptVpidAndPreemptionTimer)
{
    VmxCaps c = caps_of(kSkylake);
    for (const char* f : {"GUEST_CR0", "VM_INSTRUCTION_ERROR", "EPT_POINTER", "VIRTUAL_PROCESSOR_ID",
                          "VMX_PREEMPTION_TIMER_VALUE", "GUEST_PDPTR0", "GUEST_PHYSICAL_ADDRESS",
                          "GUEST_IA32_EFER", "HOST_IA32_PAT", "SECONDARY_VM_EXEC_CONTROL", "TSC_MULTIPLIER",
                          "PML_ADDRESS", "VMREAD_BITMAP", "EPT_POINTER_HIGH"})
        EXPECT_TRUE(has(f, c)) << f;
    // No posted interrupts (pin bit 7), no tertiary controls (primary bit 17), no CET, no FRED.
    for (const char* f : {"POSTED_INTR_NV", "POSTED_INTR_DESC_ADDR", "TERTIARY_VM_EXEC_CONTROL", "GUEST_S_CET",
                          "HOST_SSP", "GUEST_IA32_FRED_CONFIG", "SHARED_EPT_POINTER", "ENCLS_EXITING_BITMAP"})
        EXPECT_FALSE(has(f, c)) << f;
}

TEST(FieldSupport, PenrynLacksWhatItsControlsLack)   // secondary allowed-1 = 0x41: no EPT, no VPID
{
    VmxCaps c = caps_of(kPenryn);
    for (const char* f : {"GUEST_CR0", "SECONDARY_VM_EXEC_CONTROL", "APIC_ACCESS_ADDR", "MSR_BITMAP",
                          "TPR_THRESHOLD", "GUEST_IA32_PERF_GLOBAL_CTRL"})
        EXPECT_TRUE(has(f, c)) << f;
    for (const char* f : {"VMX_PREEMPTION_TIMER_VALUE", "PML_ADDRESS", "VMREAD_BITMAP", "TSC_MULTIPLIER",
                          "GUEST_INTR_STATUS", "EOI_EXIT_BITMAP0", "EPTP_LIST_ADDRESS", "PLE_GAP",
                          "VIRTUAL_PROCESSOR_ID", "EPT_POINTER", "GUEST_PDPTR0",
                          "GUEST_IA32_PAT", "GUEST_IA32_EFER", "HOST_IA32_EFER"})   // entry allowed-1 0x3fff
        EXPECT_FALSE(has(f, c)) << f;
}

TEST(FieldSupport, IndexAboveVmcsEnumIsMissing)
{
    VmxCaps c = caps_of(kSkylake);
    c.value[IA32_VMX_VMCS_ENUM - 0x480] = 2 * 0x10;       // highest index 0x10
    EXPECT_EQ(field_support(*find_field_by_name("GUEST_CR0"), c), FieldSupport::supported);  // index 0
    EXPECT_EQ(field_support(*find_field_by_name("GUEST_SYSENTER_EIP"), c), FieldSupport::beyond_enum);
    EXPECT_EQ(field_support(*find_field_by_name("POSTED_INTR_NV"), c), FieldSupport::feature_missing);
}

TEST(InvOperand, ZeroVpidAndBadEptpAreOperandErrors)
{
    char b[300];
    const uint64_t cap = kSkylake[12];
    ASSERT_GT(explain_inv_operand(Instr::invvpid, 1, 0, 0, cap, 39, b, sizeof b), 0u);
    EXPECT_NE(std::string(b).find("VPID 0 is invalid for INVVPID type 1"), std::string::npos) << b;
    EXPECT_EQ(explain_inv_operand(Instr::invvpid, 2, 0, 0, cap, 39, b, sizeof b), 0u);  // all-context: fine
    ASSERT_GT(explain_inv_operand(Instr::invvpid, 0, 1, 0x0000800000000000, cap, 39, b, sizeof b), 0u);
    EXPECT_NE(std::string(b).find("not canonical"), std::string::npos) << b;
    ASSERT_GT(explain_inv_operand(Instr::invept, 1, 0, 0, cap, 39, b, sizeof b), 0u);
    EXPECT_NE(std::string(b).find("page-walk length 1"), std::string::npos) << b;
    ASSERT_GT(explain_inv_operand(Instr::invept, 1, 0x1000 | 3 << 3 | 1, 0, cap, 39, b, sizeof b), 0u);
    EXPECT_NE(std::string(b).find("memory type 1"), std::string::npos) << b;
    EXPECT_EQ(explain_inv_operand(Instr::invept, 1, 0x1000 | 3 << 3 | 6, 0, cap, 39, b, sizeof b), 0u);
    ASSERT_GT(explain_inv_operand(Instr::invept, 1, (uint64_t(1) << 40) | 3 << 3 | 6, 0, cap, 39, b, sizeof b), 0u);
    EXPECT_NE(std::string(b).find("39-bit physical-address width"), std::string::npos) << b;
}

TEST(InvOperand, UnsupportedTypeSaysSo)
{
    char b[300];
    ASSERT_GT(explain_inv_operand(Instr::invept, 3, 0, 0, kSkylake[12], 39, b, sizeof b), 0u);
    EXPECT_EQ(std::string(b), "INVEPT type 3 does not exist: the types are 1 (single-context) and 2 (all-context)");
    ASSERT_GT(explain_inv_operand(Instr::invept, 1, 0, 0, 0, 39, b, sizeof b), 0u);     // no INVEPT at all
    EXPECT_NE(std::string(b).find("does not support INVEPT type 1"), std::string::npos) << b;
    ASSERT_GT(explain_inv_operand(Instr::invvpid, 4, 1, 0, kSkylake[12], 39, b, sizeof b), 0u);
    EXPECT_NE(std::string(b).find("INVVPID type 4 does not exist"), std::string::npos) << b;
    ASSERT_GT(explain_inv_operand(Instr::invvpid, 1, 1, 0, 0, 39, b, sizeof b), 0u);   // no INVVPID at all
    EXPECT_NE(std::string(b).find("does not support INVVPID type 1"), std::string::npos) << b;
}

TEST(ControlViolation, BareVmcsNamesReservedDefault1Bits)
{
    VmxCaps c = caps_of(kSkylake);
    char b[500];
    Adjusted a = adjust_controls(ControlKind::Pin, 0, c);
    ASSERT_GT(describe_control_violation(ControlKind::Pin, 0, a, b, sizeof b), 0u);
    EXPECT_EQ(std::string(b), "PIN_BASED_VM_EXEC_CONTROL = 0x00000000 (Pin-based VM-execution controls): must be 1: "
              "reserved bits 1, 2, 4 (reserved bits are \"default1\": IA32_VMX_TRUE_PINBASED_CTLS allowed-0 = "
              "0x00000016) -- SDM 27.2.1; vmx.adjust(\"pin\", value) makes it legal");
}

TEST(ControlViolation, NamedBitAboveAllowed1)
{
    VmxCaps c = caps_of(kPenryn);
    char b[500];
    uint64_t v = 0x16 | (1u << 6);                         // preemption timer: not on penryn
    Adjusted a = adjust_controls(ControlKind::Pin, v, c);
    ASSERT_GT(describe_control_violation(ControlKind::Pin, v, a, b, sizeof b), 0u);
    EXPECT_NE(std::string(b).find("must be 0: PIN_BASED_PREEMPTION_TIMER (bit 6)"), std::string::npos) << b;
    EXPECT_EQ(describe_control_violation(ControlKind::Pin, 0x16, adjust_controls(ControlKind::Pin, 0x16, c), b,
                                         sizeof b), 0u);
}

// ---- The checker's findings in words (vmx/entry_explain.hpp) ------------------------------------

namespace {

vmx::entry::Finding finding(const char* id, const char* hint)
{
    vmx::entry::Finding f{};
    f.rule = vmx::entry::find_rule(id);
    EXPECT_NE(f.rule, nullptr) << id;
    f.fields[0] = {0x4000, "PIN_BASED_VM_EXEC_CONTROL", 0x41};
    f.field_count = 1;
    snprintf(f.hint, sizeof f.hint, "%s", hint);
    return f;
}

} // namespace

TEST(EntryExplain, FindingPrintsIdSectionRuleHintFields)
{
    char b[900];
    vmx::entry::Finding f = finding("controls.pin", "write 0x57");
    vmx::entry::format_finding(f, b, sizeof b);
    std::string s(b);
    EXPECT_EQ(s.rfind(std::string("controls.pin (SDM ") + f.rule->section + "): " + f.rule->rule, 0), 0u) << s;
    EXPECT_NE(s.find(" -- write 0x57 [PIN_BASED_VM_EXEC_CONTROL=0x41]"), std::string::npos) << s;
}

TEST(EntryExplain, OnlyAFindingOfTheReportedClassIsTheCause)
{
    char b[900];
    vmx::entry::Finding fs[2] = {finding("guest.ss.rpl", "g"), finding("controls.pin", "c")};
    vmx::entry::explain_entry_failure(vmx::entry::Class::Controls, fs, 2, 2, b, sizeof b);
    EXPECT_EQ(std::string(b).rfind("checker: controls.pin", 0), 0u) << b;
    vmx::entry::explain_entry_failure(vmx::entry::Class::Host, fs, 2, 2, b, sizeof b);
    EXPECT_EQ(std::string(b), "the checker found no broken rule that gives VMfailValid 8 (its first finding "
              "predicts exit 33: guest.ss.rpl); the failed check is one it does not model (under Bochs, its "
              "log names it)");
    vmx::entry::explain_entry_failure(vmx::entry::Class::Guest, fs, 0, 0, b, sizeof b);
    EXPECT_EQ(std::string(b), "the checker found no broken rule that gives exit 33; the failed check is one it "
              "does not model (under Bochs, its log names it)");
}

// ---- vmx.dump()'s decodings (vmx/field_decode.hpp) ---------------------------------------------

namespace {

std::string decoded(const char* name, uint64_t v, bool saw_exit)
{
    vmx::DecodeContext ctx;
    ctx.saw_exit = saw_exit;
    char b[400];
    vmx::decode_field_value(*vmx::find_field_by_name(name), v, ctx, b, sizeof b);
    return b;
}

} // namespace

TEST(FieldDecode, ExitReasonZeroWithoutAnExitIsNoExitYet)
{
    EXPECT_EQ(decoded("VM_EXIT_REASON", 0, false), "no VM exit yet");
    EXPECT_NE(decoded("VM_EXIT_REASON", 0, true).find("EXCEPTION_NMI"), std::string::npos);
    EXPECT_NE(decoded("VM_EXIT_REASON", 0x80000021, false).find("33"), std::string::npos);
}

TEST(FieldDecode, InstructionErrorControlsAndAccessRights)
{
    EXPECT_EQ(decoded("VM_INSTRUCTION_ERROR", 7, true), "VM entry with invalid control field(s)");
    EXPECT_EQ(decoded("VM_INSTRUCTION_ERROR", 0, true), "");
    EXPECT_NE(decoded("CPU_BASED_VM_EXEC_CONTROL", 1u << 7, true).find("HLT_EXITING"), std::string::npos);
    EXPECT_NE(decoded("GUEST_RFLAGS", 0, true).find("bit 1 is 0"), std::string::npos);
    EXPECT_FALSE(decoded("GUEST_CS_AR_BYTES", 0xA09B, true).empty());
}
