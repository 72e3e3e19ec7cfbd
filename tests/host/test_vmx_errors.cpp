#include <gtest/gtest.h>

#include <string>

#include "vmx/errors.hpp"

using namespace vmx;

TEST(VmxErrors, TableIsTheSdmList)
{
    // 1..28 without the unused 14, 21 and 27.
    EXPECT_EQ(vm_instruction_error_count(), 25u);
    unsigned previous = 0;
    for (size_t i = 0; i < vm_instruction_error_count(); ++i) {
        const VmInstructionError* e = vm_instruction_error_at(i);
        EXPECT_GT(e->number, previous);
        EXPECT_LE(e->number, 28);
        EXPECT_NE(e->number, 14);
        EXPECT_NE(e->number, 21);
        EXPECT_NE(e->number, 27);
        EXPECT_EQ(find_vm_instruction_error(e->number), e);
        EXPECT_EQ(find_vm_instruction_error_by_name(e->name), e);
        previous = e->number;
    }
    EXPECT_EQ(vm_instruction_error_at(vm_instruction_error_count()), nullptr);
}

TEST(VmxErrors, ExactSdmText)
{
    struct { unsigned n; const char* text; } expected[] = {
        {3, "VMCLEAR with VMXON pointer"},
        {4, "VMLAUNCH with non-clear VMCS"},
        {5, "VMRESUME with non-launched VMCS"},
        {7, "VM entry with invalid control field(s)"},
        {8, "VM entry with invalid host-state field(s)"},
        {10, "VMPTRLD with VMXON pointer"},
        {11, "VMPTRLD with incorrect VMCS revision identifier"},
        {12, "VMREAD/VMWRITE from/to unsupported VMCS component"},
        {13, "VMWRITE to read-only VMCS component"},
        {15, "VMXON executed in VMX root operation"},
        {26, "VM entry with events blocked by MOV SS."},
        {28, "Invalid operand to INVEPT/INVVPID."},
    };
    for (auto& e : expected) {
        const VmInstructionError* found = find_vm_instruction_error(e.n);
        ASSERT_NE(found, nullptr) << e.n;
        EXPECT_STREQ(found->text, e.text);
    }
}

TEST(VmxErrors, UnknownNumbers)
{
    EXPECT_EQ(find_vm_instruction_error(0), nullptr);
    EXPECT_EQ(find_vm_instruction_error(14), nullptr);
    EXPECT_EQ(find_vm_instruction_error(29), nullptr);
    EXPECT_EQ(find_vm_instruction_error(0x10000000Cull), nullptr);
    EXPECT_EQ(find_vm_instruction_error_by_name("NOPE"), nullptr);
}

TEST(VmxErrors, NamesFollowLinux)
{
    EXPECT_EQ(find_vm_instruction_error_by_name("VMXERR_UNSUPPORTED_VMCS_COMPONENT")->number, 12);
    EXPECT_EQ(find_vm_instruction_error_by_name("VMLAUNCH_NONCLEAR_VMCS")->number, 4);
    EXPECT_EQ(find_vm_instruction_error_by_name("ENTRY_INVALID_HOST_STATE_FIELD")->number, 8);
}

TEST(VmxErrors, Format)
{
    char buf[128];
    format_vm_instruction_error(12, buf, sizeof buf);
    EXPECT_STREQ(buf, "VM-instruction error 12: VMREAD/VMWRITE from/to unsupported VMCS component");
    format_vm_instruction_error(21, buf, sizeof buf);
    EXPECT_STREQ(buf, "VM-instruction error 21: (not defined by the SDM)");
}
