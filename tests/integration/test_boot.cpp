// Boot: every way of starting vmxlab reaches the prompt, and the banner says what was found.
#include "tests/integration/repl_fixture.hpp"

using namespace vmxlab::test;

namespace {

// The banner's VMX line (lua_bindings/shell.cpp), exactly: one of these two at the start of a line.
const std::string vmx_found = "VMX: supported (CPUID.1:ECX[5] = 1)\n";
const std::string vmx_missing = "VMX: not supported by this CPU (CPUID.1:ECX[5] = 0): the vmx module will say so;";

bool has_line_starting(const std::string& text, const std::string& start)
{
    return text.rfind(start, 0) == 0 || text.find("\n" + start) != std::string::npos;
}

class Boot : public ::testing::TestWithParam<Target> {};

TEST_P(Boot, BannerThenPromptAnswers)
{
    auto opts = options_for(GetParam(), current_test_name());
    VMXLAB_BOOT(b, opts);
    EXPECT_TRUE(contains(b.banner, "vmxlab")) << "banner:\n" << shown(b.banner);
    EXPECT_TRUE(contains(b.banner, "Lua 5.4")) << "banner:\n" << shown(b.banner);
    if (has_vmx(GetParam())) {
        EXPECT_TRUE(has_line_starting(b.banner, vmx_found)) << "banner should say VMX was found:\n" << shown(b.banner);
        EXPECT_FALSE(has_line_starting(b.banner, vmx_missing)) << "banner:\n" << shown(b.banner);
    } else {
        // QEMU TCG has no VMX: the banner must say so instead of failing later.
        EXPECT_TRUE(has_line_starting(b.banner, vmx_missing)) << "banner should say VMX is missing:\n" << shown(b.banner);
        EXPECT_FALSE(has_line_starting(b.banner, vmx_found)) << "banner:\n" << shown(b.banner);
    }
    Match m = b.session->eval("1+1", command_timeout(opts));
    ASSERT_TRUE(m) << m.error;
    EXPECT_EQ(m.text, "2");
}

INSTANTIATE_TEST_SUITE_P(Targets, Boot,
    ::testing::Values(Target::qemu_kernel, Target::qemu_iso, Target::qemu_uefi, Target::bochs, Target::kvm),
    target_param_name);

// The smallest machine vmxlab promises to run on.
TEST(BootMemory, Qemu32MiBStillAnswers)
{
    auto opts = options_for(Target::qemu_kernel, current_test_name());
    opts.memory_mib = 32;
    VMXLAB_BOOT(b, opts);
    auto t = command_timeout(opts);
    Match m = b.session->eval("1+1", t);
    ASSERT_TRUE(m) << m.error;
    EXPECT_EQ(m.text, "2");
    m = b.session->eval("#string.rep('x', 4 << 20)", t);
    ASSERT_TRUE(m) << m.error;
    EXPECT_EQ(m.text, "4194304") << "a 4 MiB string fits in 32 MiB";
    m = b.session->eval("#string.rep('x', 64 << 20)", t);
    ASSERT_TRUE(m) << m.error;
    EXPECT_EQ(m.text, "not enough memory") << "lua.c's message, without a traceback when memory is out";
    m = b.session->eval("1+1", t);
    ASSERT_TRUE(m) << m.error;
    EXPECT_EQ(m.text, "2");
}

// A Bochs model with an AMD brand string but VMX: VMX is detected by CPUID, not by vendor.
TEST(BootBochsModels, GenericModelWithAmdBrandHasVmx)
{
    auto opts = options_for(Target::bochs, current_test_name());
    opts.cpu = "bx_generic";
    VMXLAB_BOOT(b, opts);
    EXPECT_TRUE(has_line_starting(b.banner, vmx_found)) << "banner:\n" << shown(b.banner);
}

// A CPU without long mode: the kernel must say so rather than triple-fault silently.
TEST(BootBochsModels, NoLongModeIsReported)
{
    auto opts = options_for(Target::bochs, current_test_name());
    opts.cpu = "atom_n270";
    if (auto why = skip_reason(opts); !why.empty())
        GTEST_SKIP() << why;
    Session s(opts);
    std::string error;
    ASSERT_TRUE(s.start(&error)) << error;
    // Fails fast if the prompt appears instead.
    Match m = s.expect(std::regex(R"(long mode \(CPUID 80000001h:EDX\.LM = 0\)\.|(^|\n)> )"), boot_timeout(opts));
    ASSERT_TRUE(m) << m.error;
    EXPECT_TRUE(contains(m.text, "vmxlab: this CPU has no long mode (CPUID 80000001h:EDX.LM = 0).")) << shown(m.text);
}

// sys.exit(n) powers the emulator off with n visible to the host.
TEST(PowerOff, QemuExitStatusCarriesCode)
{
    auto opts = options_for(Target::qemu_kernel, current_test_name());
    VMXLAB_BOOT(b, opts);
    ASSERT_TRUE(b.session->send_line("sys.exit(3)"));
    std::string error;
    auto status = b.session->wait_exit(10s, &error);
    ASSERT_TRUE(status) << error;
    EXPECT_EQ(*status, (3 << 1) | 1) << "isa-debug-exit status (code << 1) | 1";
}

TEST(PowerOff, BochsExits)
{
    auto opts = options_for(Target::bochs, current_test_name());
    VMXLAB_BOOT(b, opts);
    ASSERT_TRUE(b.session->send_line("sys.exit(0)"));
    std::string error;
    auto status = b.session->wait_exit(60s, &error);
    ASSERT_TRUE(status) << error;
    EXPECT_EQ(*status, 1) << "Bochs exits with 1 after \"Shutdown\" on port 0x8900";
}

// An exception outside any guarded binding is reported, never a silent triple fault: vector,
// error code, RIP, CR2 and the registers on COM1, then (kernel option `test`) the machine powers off.
TEST(FatalException, ReportedWithRegisters)
{
    auto opts = options_for(Target::qemu_kernel, current_test_name());
    opts.append = "batch test crashtest";
    auto reason = skip_reason(opts);
    if (!reason.empty())
        GTEST_SKIP() << reason;
    Session s(opts);
    std::string error;
    ASSERT_TRUE(s.start(&error)) << error;
    Match m = s.expect("*** vmxlab halted.", 30s);
    ASSERT_TRUE(m) << m.error;
    EXPECT_TRUE(contains(m.text, "unhandled CPU exception: #UD invalid opcode (vector 0x06")) << shown(m.text);
    for (const char* reg : { "RIP", "CR2", "RSP", "RFLAGS", "CR0", "CR3", "CR4" })
        EXPECT_TRUE(contains(m.text, reg)) << reg << " missing:\n" << shown(m.text);
    EXPECT_TRUE(contains(m.text, "RBX    = 0x000000005afe5afe")) << "the registers at the fault:\n" << shown(m.text);
    auto status = s.wait_exit(10s, &error);
    ASSERT_TRUE(status) << error;
    EXPECT_EQ(*status, (3 << 1) | 1) << "test mode powers off with status 3";
}

// The interactive ISO (what users boot) echoes and edits the line: 1+3, Backspace, 1 -> 2.
TEST(Interactive, IsoEchoesAndEditsTheLine)
{
    auto opts = options_for(Target::qemu_iso, current_test_name());
    opts.image = interactive_iso();
    VMXLAB_BOOT(b, opts);
    auto t = command_timeout(opts);
    ASSERT_TRUE(b.session->send("1+3"));
    Match m = b.session->expect("1+3", t);
    ASSERT_TRUE(m) << "typed characters are echoed: " << m.error;
    ASSERT_TRUE(b.session->send("\x7f" "1\r"));
    m = b.session->expect_prompt(t);
    ASSERT_TRUE(m) << m.error;
    EXPECT_TRUE(std::regex_search(m.text, std::regex(R"(\n2\n)"))) << "1+3, Backspace, 1 should give 2:\n" << shown(m.text);
}

} // namespace
