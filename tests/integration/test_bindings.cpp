// The kernel's Lua modules seen from the prompt: hardware faults come back as `nil, message,
// vector` (docs/lua-api.md), misuse raises "bad argument", memory can be allocated and accessed.
#include "tests/integration/repl_fixture.hpp"

using namespace vmxlab::test;

namespace {

class Bindings : public ReplTest {};

TEST_P(Bindings, EmulatorIsNamed)
{
    ASSERT_EVAL(m, "sys.emulator()");
    EXPECT_EQ(m.text, GetParam() == Target::bochs ? "bochs" : "qemu");
}

TEST_P(Bindings, NonCanonicalReadIsGP)
{
    ASSERT_EVAL(m, "mem.read64(1 << 47)");
    EXPECT_EQ(m.text, "nil\tread64(0x800000000000): #GP(0)\t13");
}

TEST_P(Bindings, MisuseIsBadArgument)
{
    ASSERT_EVAL(m, "cpu.rdmsr('msr')");
    EXPECT_EQ(m.text.substr(0, m.text.find('\n')), "stdin:1: bad argument #1 to 'rdmsr' (number expected, got string)");
}

TEST_P(Bindings, AllocReadWrite)
{
    ASSERT_EVAL(a, "p = mem.alloc(4096); return math.type(p), p % 16 == 0");
    EXPECT_EQ(a.text, "integer\ttrue") << "mem.alloc returns an aligned address";
    ASSERT_EVAL(w, "mem.write64(p + 8, 0x1122334455667788)");
    EXPECT_EQ(w.text, "true");
    ASSERT_EVAL(r, "string.format('%x', mem.read64(p + 8))");
    EXPECT_EQ(r.text, "1122334455667788");
    ASSERT_EVAL(b, "mem.write8(p, 0xab); return mem.read8(p), mem.read32(p + 8)");
    EXPECT_EQ(b.text, std::to_string(0xab) + "\t" + std::to_string(0x55667788u));
}

INSTANTIATE_TEST_SUITE_P(Targets, Bindings, VMXLAB_REPL_TARGETS, target_param_name);

// Bochs only: MSRs that exist where VMX does, and faults QEMU TCG does not raise.
class VmxBindings : public ReplTest {};

// Bochs faults on unknown MSRs (QEMU TCG reads them as 0 without #GP).
TEST_P(VmxBindings, RdmsrOfUnknownMsrIsGP)
{
    ASSERT_EVAL(m, "cpu.rdmsr(0xdeadbeef)");
    EXPECT_EQ(m.text, "nil\trdmsr(0xdeadbeef): #GP(0)\t13");
}

TEST_P(VmxBindings, RdmsrReadsVmxBasic)
{
    ASSERT_EVAL(m, "string.format('%016x', cpu.rdmsr(0x480))");
    EXPECT_EQ(m.text, "00d810000000002b") << "IA32_VMX_BASIC of Bochs 2.7's corei7_skylake_x";
}

INSTANTIATE_TEST_SUITE_P(Targets, VmxBindings, ::testing::Values(Target::bochs), target_param_name);

} // namespace
