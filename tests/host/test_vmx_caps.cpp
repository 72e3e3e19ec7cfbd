// Capability decoding and adjust() against the MSR values Bochs 2.7 reports
// (corei7_skylake_x, core2_penryn_t9600).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vmx/caps.hpp"
#include "vmx/caps_format.hpp"

using namespace vmx;

namespace {

constexpr uint64_t kGP = ~uint64_t{0};   // marks an MSR that raised #GP on that model

struct Model {
    const char* name;
    uint64_t v[18];   // 0x480 ... 0x491
};

const Model kSkylake = {"corei7_skylake_x", {
    0x00d810000000002b, 0x0000007f00000016, 0xf7f9fffe0401e172, 0x007fffff00036dff,
    0x0000ffff000011ff, 0x00000000600401e0, 0x80000021, 0xffffffff, 0x2000, 0x003727ff, 0x34,
    0x02177fff00000000, 0x00000f0106334141, 0x0000007f00000016, 0xf7f9fffe04006172,
    0x007fffff00036dfb, 0x0000ffff000011fb, 0x1}};
const Model kPenryn = {"core2_penryn_t9600", {
    0x00d810000000002b, 0x0000003f00000016, 0xf7f9fffe0401e172, 0x0003ffff00036dff,
    0x00003fff000011ff, 0x00000000000401e0, 0x80000021, 0xffffffff, 0x2000, 0x000467ff, 0x34,
    0x0000004100000000, kGP, 0x0000003f00000016, 0xf7f9fffe04006172, 0x0003ffff00036dfb,
    0x00003fff000011fb, kGP}};
const Model kIcelake = {"corei7_icelake_u", {
    0x00d8100000000004, 0x0000007f00000016, 0xfff9fffe0401e172, 0x007fffff00036dff,
    0x0000ffff000011ff, 0x00000000600401e0, 0x80000021, 0xffffffff, 0x2000, 0x00772fff, 0x34,
    0x02977fff00000000, 0x00000f0106334141, 0x0000007f00000016, 0xfff9fffe04006172,
    0x007fffff00036dfb, 0x0000ffff000011fb, 0x1}};
const Model kGeneric = {"bx_generic", {
    0x00d810000000002b, 0x0000003f00000016, 0xf7f9fffe0401e172, 0x0003efff00036dff,
    0x00001fff000011ff, 0x00000000000401e0, 0x80000021, 0xffffffff, 0x2000, 0x000027ff, 0x34,
    0x0000004900000000, kGP, 0x0000003f00000016, 0xf7f9fffe04006172, 0x0003efff00036dfb,
    0x00001fff000011fb, kGP}};

// What the MSR reader would hand over: 0x480-0x493, #GP ones (and the 0x492/0x493 that Bochs
// 2.7 does not have) marked not present.
VmxCaps caps_of(const Model& m)
{
    std::vector<MsrValue> msrs;
    for (uint32_t i = 0; i < kMsrVmxCount; ++i) {
        bool known = i < 18 && m.v[i] != kGP;
        msrs.push_back({0x480 + i, known ? m.v[i] : 0, known});
    }
    VmxCaps caps;
    EXPECT_TRUE(decode_caps(msrs.data(), msrs.size(), &caps)) << m.name;
    return caps;
}

uint64_t bit(ControlKind kind, const char* name)
{
    const ControlBit* b = find_control_bit(kind, name);
    EXPECT_NE(b, nullptr) << name;
    return b ? uint64_t{1} << b->bit : 0;
}

std::string text(size_t (*f)(uint64_t, char*, size_t), uint64_t v)
{
    char buf[512];
    f(v, buf, sizeof buf);
    return buf;
}

} // namespace

TEST(VmxCaps, DecodeBasic)
{
    VmxBasic b = decode_basic(kSkylake.v[0]);
    EXPECT_EQ(b.revision_id, 0x2Bu);
    EXPECT_EQ(b.region_size, 4096u);
    EXPECT_FALSE(b.phys_addr_32bit);
    EXPECT_FALSE(b.dual_monitor);
    EXPECT_EQ(b.memory_type, 6);
    EXPECT_TRUE(b.ins_outs_info);
    EXPECT_TRUE(b.true_controls);
    EXPECT_FALSE(b.no_error_code_check);
    EXPECT_EQ(decode_basic(kIcelake.v[0]).revision_id, 0x4u);
    EXPECT_TRUE(decode_basic(uint64_t{1} << 56 | uint64_t{1} << 48).no_error_code_check);
    std::string s = text(format_basic, kSkylake.v[0]);
    EXPECT_NE(s.find("revision id 0x2B, VMXON/VMCS region 4096 bytes, memory type 6 (WB)"),
              std::string::npos) << s;
}

TEST(VmxCaps, DecodeMisc)
{
    VmxMisc m = decode_misc(kSkylake.v[5]);
    EXPECT_EQ(m.preemption_timer_rate, 0);
    EXPECT_TRUE(m.store_efer_lma);
    EXPECT_TRUE(m.activity_hlt);
    EXPECT_TRUE(m.activity_shutdown);
    EXPECT_TRUE(m.activity_wait_sipi);
    EXPECT_EQ(m.cr3_target_count, 4);
    EXPECT_EQ(m.max_msr_list, 512u);
    EXPECT_TRUE(m.vmwrite_exit_info);        // FACTS: VMWRITE to VM_EXIT_REASON succeeds here
    EXPECT_TRUE(m.zero_length_injection);
    EXPECT_FALSE(decode_misc(kPenryn.v[5]).vmwrite_exit_info);   // ... and fails with error 13
    EXPECT_FALSE(decode_misc(kGeneric.v[5]).vmwrite_exit_info);
    EXPECT_EQ(decode_misc(5 | 3u << 25 | uint64_t{7} << 32).max_msr_list, 2048u);
    EXPECT_EQ(decode_misc(uint64_t{7} << 32).mseg_revision, 7u);
    std::string s = text(format_misc, kPenryn.v[5]);
    EXPECT_NE(s.find("activity states: HLT shutdown wait-for-SIPI, CR3-target values: 4"),
              std::string::npos) << s;
    EXPECT_NE(s.find("VMWRITE to VM-exit information fields: no"), std::string::npos) << s;
}

TEST(VmxCaps, EptVpidAndVmcsEnum)
{
    EptVpidCaps e = decode_ept_vpid(kSkylake.v[12]);
    EXPECT_TRUE(e.execute_only);
    EXPECT_TRUE(e.walk_length_4);
    EXPECT_FALSE(e.walk_length_5);
    EXPECT_TRUE(e.memtype_uc);
    EXPECT_TRUE(e.memtype_wb);
    EXPECT_TRUE(e.pde_2mb);
    EXPECT_TRUE(e.pdpte_1gb);
    EXPECT_TRUE(e.invept);
    EXPECT_TRUE(e.accessed_dirty);
    EXPECT_FALSE(e.advanced_exit_info);
    EXPECT_TRUE(e.invept_single_context);
    EXPECT_TRUE(e.invept_all_context);
    EXPECT_TRUE(e.invvpid);
    EXPECT_TRUE(e.invvpid_address);
    EXPECT_TRUE(e.invvpid_single_keep_globals);
    EXPECT_EQ(vmcs_enum_highest_index(0x34), 26);
}

TEST(VmxCaps, MissingMsrsAreReportedNotFatal)
{
    VmxCaps penryn = caps_of(kPenryn);
    uint64_t v = 0;
    EXPECT_FALSE(caps_msr(penryn, IA32_VMX_EPT_VPID_CAP, &v));   // 0x48C #GP on penryn
    EXPECT_FALSE(caps_msr(penryn, 0x491, &v));
    EXPECT_TRUE(caps_msr(penryn, 0x48B, &v));
    EXPECT_EQ(v, 0x0000004100000000u);
    EXPECT_FALSE(control_caps(penryn, ControlKind::VmFunc).available);
    char buf[256];
    describe_controls(ControlKind::VmFunc, penryn, buf, sizeof buf);
    EXPECT_STREQ(buf, "VM-function controls: not available (IA32_VMX_VMFUNC could not be read)\n");
    // Without IA32_VMX_BASIC nothing is meaningful: decode_caps says so.
    MsrValue only_misc = {0x485, 1, true};
    VmxCaps caps;
    EXPECT_FALSE(decode_caps(&only_misc, 1, &caps));
    EXPECT_FALSE(control_caps(caps, ControlKind::Pin).available);
    EXPECT_STREQ(vmx_msr_name(0x48C), "IA32_VMX_EPT_VPID_CAP");
    EXPECT_EQ(vmx_msr_name(0x494), nullptr);
}

TEST(VmxCaps, TrueMsrsDifferOnlyInDefault1Bits)
{
    for (const Model* m : {&kSkylake, &kPenryn, &kIcelake, &kGeneric}) {
        const ControlKind kinds[] = {ControlKind::Pin, ControlKind::Primary, ControlKind::Exit,
                                     ControlKind::Entry};
        for (ControlKind kind : kinds) {
            const ControlKindInfo& k = control_kind_info(kind);
            uint64_t plain = m->v[k.msr - 0x480];
            uint64_t truev = m->v[k.true_msr - 0x480];
            EXPECT_EQ((plain & 0xFFFFFFFF) & k.default1, k.default1) << m->name << " " << k.name;
            EXPECT_EQ((plain ^ truev) & ~k.default1, 0u) << m->name << " " << k.name;
        }
    }
}

TEST(VmxCaps, AdjustEntryOnSkylakeUsesTrueControls)
{
    VmxCaps caps = caps_of(kSkylake);
    ControlCaps c = control_caps(caps, ControlKind::Entry);
    EXPECT_TRUE(c.available);
    EXPECT_EQ(c.msr, 0x490u);
    EXPECT_EQ(c.allowed0, 0x11FBu);
    EXPECT_EQ(c.allowed1, 0xFFFFu);
    uint64_t want = bit(ControlKind::Entry, "IA32E_MODE");
    Adjusted a = adjust_controls(ControlKind::Entry, want, caps);
    EXPECT_EQ(a.value, 0x13FBu);
    EXPECT_EQ(a.forced_on, 0x11FBu);   // default1 bits, except "load debug controls" (bit 2)
    EXPECT_EQ(a.forced_off, 0u);
    char buf[256];
    format_adjusted(ControlKind::Entry, want, a, buf, sizeof buf);
    EXPECT_STREQ(buf, "entry: wanted 0x00000200, legal 0x000013FB; forced on: bit 0, bit 1, "
                      "bit 3, bit 4, bit 5, bit 6, bit 7, bit 8, bit 12; forced off: none");
    // Without BASIC[55] the plain MSR applies, and "load debug controls" is forced on too.
    VmxCaps no_true = caps;
    no_true.value[0] &= ~(uint64_t{1} << 55);
    Adjusted b = adjust_controls(ControlKind::Entry, want, no_true);
    EXPECT_EQ(b.caps.msr, 0x484u);
    EXPECT_EQ(b.value, 0x13FFu);
    EXPECT_EQ(b.forced_on & bit(ControlKind::Entry, "LOAD_DEBUG_CONTROLS"), 0x4u);
}

TEST(VmxCaps, AdjustForcesOffWhatOlderModelsLack)
{
    VmxCaps penryn = caps_of(kPenryn);
    uint64_t efer = bit(ControlKind::Entry, "LOAD_IA32_EFER");
    Adjusted a = adjust_controls(ControlKind::Entry, efer, penryn);   // allowed-1 0x3FFF
    EXPECT_EQ(a.forced_off, efer);
    EXPECT_EQ(a.value & efer, 0u);
    uint64_t ept = bit(ControlKind::Secondary, "ENABLE_EPT") |
                   bit(ControlKind::Secondary, "UNRESTRICTED_GUEST");
    a = adjust_controls(ControlKind::Secondary, ept, penryn);          // allowed-1 0x41
    EXPECT_EQ(a.value, 0u);
    EXPECT_EQ(a.forced_off, ept);
    char buf[256];
    format_adjusted(ControlKind::Secondary, ept, a, buf, sizeof buf);
    EXPECT_STREQ(buf, "secondary: wanted 0x00000082, legal 0x00000000; forced on: none; "
                      "forced off: ENABLE_EPT, UNRESTRICTED_GUEST");

    VmxCaps generic = caps_of(kGeneric);
    uint64_t want = bit(ControlKind::Exit, "HOST_ADDR_SPACE_SIZE") |
                    bit(ControlKind::Exit, "LOAD_IA32_PERF_GLOBAL_CTRL");
    a = adjust_controls(ControlKind::Exit, want, generic);             // allowed-1 0x3EFFF
    EXPECT_EQ(a.forced_off, 0x1000u);
    EXPECT_EQ(a.value, (0x36DFBu | 0x200u) & 0x3EFFFu);
}

TEST(VmxCaps, MonitorTrapFlagOnlyOnIcelake)
{
    uint64_t mtf = bit(ControlKind::Primary, "MONITOR_TRAP_FLAG");
    EXPECT_EQ(adjust_controls(ControlKind::Primary, mtf, caps_of(kSkylake)).forced_off, mtf);
    Adjusted a = adjust_controls(ControlKind::Primary, mtf, caps_of(kIcelake));
    EXPECT_EQ(a.forced_off, 0u);
    EXPECT_EQ(a.value, 0x04006172u | mtf);
}

TEST(VmxCaps, GatedControlWords)
{
    VmxCaps skylake = caps_of(kSkylake);
    // Tertiary controls need primary bit 17, which Bochs does not offer (and 0x492 is absent).
    EXPECT_FALSE(control_caps(skylake, ControlKind::Tertiary).available);
    EXPECT_FALSE(control_caps(skylake, ControlKind::SecondaryExit).available);
    // VM functions: secondary bit 13 may be 1 and 0x491 = 1 allows EPTP switching.
    ControlCaps vmfunc = control_caps(skylake, ControlKind::VmFunc);
    EXPECT_TRUE(vmfunc.available);
    EXPECT_EQ(vmfunc.allowed0, 0u);
    EXPECT_EQ(vmfunc.allowed1, 1u);
    // A secondary MSR behind a closed gate counts as unavailable.
    VmxCaps closed = skylake;
    closed.value[0x48E - 0x480] &= ~(uint64_t{1} << 63);
    EXPECT_FALSE(control_caps(closed, ControlKind::Secondary).available);
    char buf[256];
    describe_controls(ControlKind::Secondary, closed, buf, sizeof buf);
    EXPECT_STREQ(buf, "Secondary processor-based VM-execution controls: not available "
                      "(primary control 31 may not be 1)\n");
}

TEST(VmxCaps, DescribeControls)
{
    char buf[4096];
    describe_controls(ControlKind::Pin, caps_of(kSkylake), buf, sizeof buf);
    std::string s = buf;
    EXPECT_NE(s.find("Pin-based VM-execution controls from IA32_VMX_TRUE_PINBASED_CTLS (0x48D): "
                     "allowed-0 0x00000016, allowed-1 0x0000007F\n"), std::string::npos) << s;
    EXPECT_NE(s.find("  bit  0 EXT_INTR_EXITING: 0 or 1\n"), std::string::npos) << s;
    EXPECT_NE(s.find("  bit  1 (reserved, default1): must be 1\n"), std::string::npos) << s;
    EXPECT_NE(s.find("  bit  6 PREEMPTION_TIMER: 0 or 1\n"), std::string::npos) << s;
    EXPECT_NE(s.find("  bit  7 POSTED_INTR: must be 0\n"), std::string::npos) << s;
    // bx_generic (allowed-1 0x3F) has no VMX-preemption timer.
    describe_controls(ControlKind::Pin, caps_of(kGeneric), buf, sizeof buf);
    s = buf;
    EXPECT_NE(s.find("  bit  6 PREEMPTION_TIMER: must be 0\n"), std::string::npos) << s;
}

TEST(VmxCaps, FixedBitsExplainVmxonGp)
{
    VmxCaps caps = caps_of(kSkylake);
    // After BIOS + GRUB in Bochs CR0.NE is clear (measured): VMXON would #GP.
    FixedCheck c = check_cr0(caps, 0x80000011);
    EXPECT_FALSE(c.ok);
    EXPECT_EQ(c.must_be_one, 0x20u);
    EXPECT_EQ(c.must_be_zero, 0u);
    char buf[256];
    format_fixed_check(0, 0x80000011, c, buf, sizeof buf);
    EXPECT_STREQ(buf, "CR0 0x80000011 violates the VMX fixed bits: CR0.NE (bit 5) must be 1");
    c = check_cr4(caps, 0x20);
    EXPECT_EQ(c.must_be_one, 0x2000u);
    format_fixed_check(4, 0x20, c, buf, sizeof buf);
    EXPECT_STREQ(buf, "CR4 0x00000020 violates the VMX fixed bits: CR4.VMXE (bit 13) must be 1");
    // Penryn's CR4 FIXED1 (0x467FF) has no SMEP.
    c = check_cr4(caps_of(kPenryn), 0x2000 | 0x100000);
    EXPECT_EQ(c.must_be_zero, 0x100000u);
    format_fixed_check(4, 0x102000, c, buf, sizeof buf);
    EXPECT_STREQ(buf, "CR4 0x00102000 violates the VMX fixed bits: CR4.SMEP (bit 20) must be 0");
    c = check_cr0(caps, 0x80000031);
    EXPECT_TRUE(c.ok);
    format_fixed_check(0, 0x80000031, c, buf, sizeof buf);
    EXPECT_STREQ(buf, "CR0 0x80000031 satisfies IA32_VMX_CR0_FIXED0/FIXED1");
    EXPECT_EQ(apply_fixed_bits(0x11, 0x80000021, 0xFFFFFFFF), 0x80000031u);
    // Missing FIXED MSRs: nothing to report.
    VmxCaps none{};
    EXPECT_TRUE(check_cr4(none, 0).ok);
    EXPECT_STREQ(cr4_bit_name(32), "FRED");
    EXPECT_EQ(cr0_bit_name(6), nullptr);
}
