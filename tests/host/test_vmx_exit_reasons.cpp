#include <gtest/gtest.h>

#include <set>
#include <string>

#include "vmx/exit_reasons.hpp"

using namespace vmx;

TEST(VmxExitReasons, TableAscendingUniqueNamed)
{
    ASSERT_GE(exit_reason_count(), 80u);
    std::set<std::string> names;
    for (size_t i = 0; i < exit_reason_count(); ++i) {
        const ExitReasonInfo* r = exit_reason_at(i);
        if (i > 0) {
            EXPECT_LT(exit_reason_at(i - 1)->number, r->number);
        }
        EXPECT_TRUE(names.insert(r->name).second) << r->name;
        EXPECT_GT(std::string(r->description).size(), 2u);
        EXPECT_EQ(find_exit_reason(r->number), r);
        EXPECT_EQ(find_exit_reason_by_name(r->name), r);
    }
    EXPECT_EQ(exit_reason_at(exit_reason_count()), nullptr);
    // Unused numbers in appendix C.
    EXPECT_EQ(find_exit_reason(35), nullptr);
    EXPECT_EQ(find_exit_reason(38), nullptr);
    EXPECT_EQ(find_exit_reason(42), nullptr);
}

TEST(VmxExitReasons, KnownNumbersWithLinuxNames)
{
    struct { unsigned n; const char* name; } known[] = {
        {0, "EXCEPTION_NMI"}, {1, "EXTERNAL_INTERRUPT"}, {2, "TRIPLE_FAULT"},
        {7, "INTERRUPT_WINDOW"}, {10, "CPUID"}, {12, "HLT"}, {18, "VMCALL"},
        {28, "CR_ACCESS"}, {30, "IO_INSTRUCTION"}, {31, "MSR_READ"}, {32, "MSR_WRITE"},
        {33, "INVALID_STATE"}, {34, "MSR_LOAD_FAIL"}, {37, "MONITOR_TRAP_FLAG"},
        {41, "MCE_DURING_VMENTRY"}, {48, "EPT_VIOLATION"}, {49, "EPT_MISCONFIG"},
        {52, "PREEMPTION_TIMER"}, {55, "XSETBV"}, {62, "PML_FULL"}, {74, "BUS_LOCK"},
        {77, "TDCALL"},
    };
    for (auto& k : known) {
        const ExitReasonInfo* r = find_exit_reason(k.n);
        ASSERT_NE(r, nullptr) << k.n;
        EXPECT_STREQ(r->name, k.name);
        EXPECT_TRUE(r->linux_name) << k.name;
    }
    EXPECT_EQ(find_exit_reason_by_name("EXIT_REASON_HLT")->number, 12);
    EXPECT_FALSE(find_exit_reason(11)->linux_name);   // GETSEC: Linux has no name for it
    EXPECT_EQ(find_exit_reason_by_name("hlt"), nullptr);
}

TEST(VmxExitReasons, DecodeField)
{
    ExitReasonField f = decode_exit_reason(0x80000021);
    EXPECT_EQ(f.basic, 33);
    EXPECT_TRUE(f.entry_failure);
    EXPECT_FALSE(f.from_vmx_root);
    EXPECT_EQ(f.reserved_bits, 0u);
    f = decode_exit_reason(0x3C000000u | 12);
    EXPECT_EQ(f.basic, 12);
    EXPECT_FALSE(f.entry_failure);
    EXPECT_TRUE(f.bus_lock_detected);
    EXPECT_TRUE(f.enclave_mode);
    EXPECT_TRUE(f.pending_mtf);
    EXPECT_TRUE(f.from_vmx_root);
    EXPECT_EQ(decode_exit_reason(0x40010000u).reserved_bits, 0x40010000u);
}

TEST(VmxExitReasons, Format)
{
    char buf[200];
    format_exit_reason(0x80000021, buf, sizeof buf);
    EXPECT_STREQ(buf, "0x80000021: VM-entry failure; basic exit reason 33 INVALID_STATE "
                      "(VM-entry failure due to invalid guest state)");
    format_exit_reason(12, buf, sizeof buf);
    EXPECT_STREQ(buf, "0x0000000C: VM exit; basic exit reason 12 HLT "
                      "(Guest executed HLT with HLT exiting = 1)");
    format_exit_reason(0x08000000u | 200, buf, sizeof buf);
    EXPECT_NE(std::string(buf).find("200 (not a basic exit reason"), std::string::npos) << buf;
    EXPECT_NE(std::string(buf).find("enclave mode"), std::string::npos) << buf;
}
