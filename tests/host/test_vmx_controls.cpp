#include <gtest/gtest.h>

#include <set>
#include <string>

#include "vmx/controls.hpp"
#include "vmx/fields.hpp"

using namespace vmx;

namespace {

uint64_t mask(ControlKind kind, const char* name)
{
    const ControlBit* b = find_control_bit(kind, name);
    EXPECT_NE(b, nullptr) << name;
    return b ? uint64_t{1} << b->bit : 0;
}

} // namespace

TEST(VmxControls, EveryKindIsConsistent)
{
    std::set<std::string> full_names;
    for (size_t i = 0; i < kControlKindCount; ++i) {
        const ControlKindInfo& k = control_kind_info(static_cast<ControlKind>(i));
        EXPECT_EQ(static_cast<size_t>(k.kind), i);
        EXPECT_EQ(find_control_kind(k.name), &k);
        // The control field is in the VMCS catalogue, with the width the kind claims.
        const FieldInfo* f = find_field_by_encoding(k.field);
        ASSERT_NE(f, nullptr) << k.name;
        EXPECT_EQ(f->type, FieldType::Control);
        EXPECT_EQ(f->width, k.is_64bit ? Width::Bits64 : Width::Bits32) << k.name;
        unsigned previous = 0;
        for (size_t j = 0; j < k.bit_count; ++j) {
            const ControlBit& b = k.bits[j];
            if (j > 0) {
                EXPECT_GT(b.bit, previous) << b.name;
            }
            previous = b.bit;
            EXPECT_LT(b.bit, k.is_64bit ? 64 : 32);
            EXPECT_EQ(control_bit_at(k.kind, b.bit), &b);
            EXPECT_EQ(find_control_bit(k.kind, b.name), &b);
            char full[96];
            control_full_name(k, b, full, sizeof full);
            EXPECT_EQ(find_control_bit(k.kind, full), &b) << full;
            EXPECT_TRUE(full_names.insert(full).second) << full;
            if (b.alias) {
                EXPECT_EQ(find_control_bit(k.kind, b.alias), &b) << b.alias;
            }
            // SDM A.2: the only named default1 controls -- the ones a TRUE MSR may let
            // software clear -- are CR3-load/store exiting and save/load debug controls.
            if ((k.default1 >> b.bit) & 1) {
                EXPECT_TRUE(std::string(b.name).find("CR3_") == 0 ||
                            std::string(b.name).find("_DEBUG_CONTROLS") != std::string::npos)
                    << b.name;
            }
        }
    }
}

TEST(VmxControls, LinuxBitPositions)
{
    // Values of Linux's asm/vmx.h macros.
    EXPECT_EQ(mask(ControlKind::Pin, "PIN_BASED_EXT_INTR_MASK"), 0x1u);
    EXPECT_EQ(mask(ControlKind::Pin, "EXT_INTR_EXITING"), 0x1u);
    EXPECT_EQ(mask(ControlKind::Pin, "PIN_BASED_VMX_PREEMPTION_TIMER"), 0x40u);
    EXPECT_EQ(mask(ControlKind::Pin, "PREEMPTION_TIMER"), 0x40u);
    EXPECT_EQ(mask(ControlKind::Primary, "CPU_BASED_HLT_EXITING"), 0x80u);
    EXPECT_EQ(mask(ControlKind::Primary, "CR3_LOAD_EXITING"), 0x8000u);
    EXPECT_EQ(mask(ControlKind::Primary, "USE_IO_BITMAPS"), 0x02000000u);
    EXPECT_EQ(mask(ControlKind::Primary, "USE_MSR_BITMAPS"), 0x10000000u);
    EXPECT_EQ(mask(ControlKind::Primary, "ACTIVATE_SECONDARY_CONTROLS"), 0x80000000u);
    EXPECT_EQ(mask(ControlKind::Secondary, "SECONDARY_EXEC_ENABLE_EPT"), 0x2u);
    EXPECT_EQ(mask(ControlKind::Secondary, "UNRESTRICTED_GUEST"), 0x80u);
    EXPECT_EQ(mask(ControlKind::Tertiary, "TERTIARY_EXEC_IPI_VIRT"), 0x10u);
    EXPECT_EQ(mask(ControlKind::Exit, "VM_EXIT_HOST_ADDR_SPACE_SIZE"), 0x200u);
    EXPECT_EQ(mask(ControlKind::Exit, "ACK_INTR_ON_EXIT"), 0x8000u);
    EXPECT_EQ(mask(ControlKind::Exit, "SAVE_VMX_PREEMPTION_TIMER"), 0x400000u);
    EXPECT_EQ(mask(ControlKind::Entry, "VM_ENTRY_IA32E_MODE"), 0x200u);
    EXPECT_EQ(mask(ControlKind::Entry, "SMM"), 0x400u);
    EXPECT_EQ(mask(ControlKind::Entry, "DEACT_DUAL_MONITOR"), 0x800u);
    EXPECT_EQ(mask(ControlKind::Entry, "LOAD_IA32_EFER"), 0x8000u);
    EXPECT_EQ(mask(ControlKind::VmFunc, "VMX_VMFUNC_EPTP_SWITCHING"), 0x1u);
}

TEST(VmxControls, LookupMisses)
{
    EXPECT_EQ(find_control_bit(ControlKind::Entry, "HLT_EXITING"), nullptr);
    EXPECT_EQ(find_control_bit(ControlKind::Primary, "VM_ENTRY_IA32E_MODE"), nullptr);
    EXPECT_EQ(find_control_bit(ControlKind::Primary, nullptr), nullptr);
    EXPECT_EQ(control_bit_at(ControlKind::Primary, 26), nullptr);   // reserved
    EXPECT_EQ(find_control_kind("proc2")->kind, ControlKind::Secondary);
    EXPECT_EQ(find_control_kind("nope"), nullptr);
}

// The C++ masks vmx::ctl::<word>::NAME come from the same list as the lookup tables: each is the
// bit the table gives that name, and the SDM's positions hold for the ones the kernel uses.
TEST(VmxControls, NamedMasksMatchTheTableAndTheSdm)
{
    size_t checked = 0;
#define VMXLAB_CHECK_MASK(kind, ns)                                                           \
    [&](unsigned bit, uint64_t m, const char* name) {                                         \
        const ControlBit* b = find_control_bit(ControlKind::kind, name);                      \
        ASSERT_NE(b, nullptr) << name;                                                        \
        EXPECT_EQ(b->bit, bit) << name;                                                       \
        EXPECT_EQ(m, uint64_t{1} << b->bit) << name;                                          \
        ++checked;                                                                            \
    }
    auto pin = VMXLAB_CHECK_MASK(Pin, pin);
    auto primary = VMXLAB_CHECK_MASK(Primary, primary);
    auto entry = VMXLAB_CHECK_MASK(Entry, entry);
    auto exit_ = VMXLAB_CHECK_MASK(Exit, exit);
#undef VMXLAB_CHECK_MASK
#define ROW_PIN(bit, NAME, ...) pin(bit, ctl::pin::NAME, #NAME);
#define ROW_PRIMARY(bit, NAME, ...) primary(bit, ctl::primary::NAME, #NAME);
#define ROW_ENTRY(bit, NAME, ...) entry(bit, ctl::entry::NAME, #NAME);
#define ROW_EXIT(bit, NAME, ...) exit_(bit, ctl::exit::NAME, #NAME);
    VMXLAB_PIN_CONTROLS(ROW_PIN)
    VMXLAB_PRIMARY_CONTROLS(ROW_PRIMARY)
    VMXLAB_ENTRY_CONTROLS(ROW_ENTRY)
    VMXLAB_EXIT_CONTROLS(ROW_EXIT)
#undef ROW_PIN
#undef ROW_PRIMARY
#undef ROW_ENTRY
#undef ROW_EXIT
    EXPECT_EQ(checked, control_kind_info(ControlKind::Pin).bit_count
                           + control_kind_info(ControlKind::Primary).bit_count
                           + control_kind_info(ControlKind::Entry).bit_count
                           + control_kind_info(ControlKind::Exit).bit_count);

    EXPECT_EQ(ctl::pin::EXT_INTR_EXITING, 0x1u);
    EXPECT_EQ(ctl::pin::PREEMPTION_TIMER, 0x40u);
    EXPECT_EQ(ctl::primary::ACTIVATE_SECONDARY_CONTROLS, 0x80000000u);
    EXPECT_EQ(ctl::secondary::UNRESTRICTED_GUEST, 0x80u);
    EXPECT_EQ(ctl::secondary::SHADOW_VMCS, 0x4000u);
    EXPECT_EQ(ctl::exit::HOST_ADDR_SPACE_SIZE, 0x200u);
    EXPECT_EQ(ctl::exit::LOAD_IA32_PERF_GLOBAL_CTRL, 0x1000u);
    EXPECT_EQ(ctl::exit::ACK_INTR_ON_EXIT, 0x8000u);
    EXPECT_EQ(ctl::exit::LOAD_IA32_PAT, 0x80000u);
    EXPECT_EQ(ctl::exit::LOAD_IA32_EFER, 0x200000u);
    EXPECT_EQ(ctl::entry::LOAD_DEBUG_CONTROLS, 0x4u);
    EXPECT_EQ(ctl::entry::IA32E_MODE, 0x200u);
    EXPECT_EQ(ctl::vmfunc::EPTP_SWITCHING, 0x1u);
}
