// Base states and the shared case runner of the VM-entry checker's tests.
#include "test_entry_check_fixtures.hpp"

namespace entry_test {

namespace {

constexpr uint64_t kGP = ~uint64_t{0};   // the MSR raised #GP on that model

// IA32_VMX_BASIC ... IA32_VMX_VMFUNC (0x480-0x491) as Bochs 2.7 reports them.
const uint64_t kMsrs[4][18] = {
    {0x00d810000000002b, 0x0000007f00000016, 0xf7f9fffe0401e172, 0x007fffff00036dff,
     0x0000ffff000011ff, 0x00000000600401e0, 0x80000021, 0xffffffff, 0x2000, 0x003727ff, 0x34,
     0x02177fff00000000, 0x00000f0106334141, 0x0000007f00000016, 0xf7f9fffe04006172,
     0x007fffff00036dfb, 0x0000ffff000011fb, 0x1},
    {0x00d810000000002b, 0x0000003f00000016, 0xf7f9fffe0401e172, 0x0003ffff00036dff,
     0x00003fff000011ff, 0x00000000000401e0, 0x80000021, 0xffffffff, 0x2000, 0x000467ff, 0x34,
     0x0000004100000000, kGP, 0x0000003f00000016, 0xf7f9fffe04006172, 0x0003ffff00036dfb,
     0x00003fff000011fb, kGP},
    {0x00d8100000000004, 0x0000007f00000016, 0xfff9fffe0401e172, 0x007fffff00036dff,
     0x0000ffff000011ff, 0x00000000600401e0, 0x80000021, 0xffffffff, 0x2000, 0x00772fff, 0x34,
     0x02977fff00000000, 0x00000f0106334141, 0x0000007f00000016, 0xfff9fffe04006172,
     0x007fffff00036dfb, 0x0000ffff000011fb, 0x1},
    {0x00d810000000002b, 0x0000003f00000016, 0xf7f9fffe0401e172, 0x0003efff00036dff,
     0x00001fff000011ff, 0x00000000000401e0, 0x80000021, 0xffffffff, 0x2000, 0x000027ff, 0x34,
     0x0000004900000000, kGP, 0x0000003f00000016, 0xf7f9fffe04006172, 0x0003efff00036dfb,
     0x00001fff000011fb, kGP},
};

uint64_t adjusted(const VmxCaps& caps, ControlKind k, uint64_t want)
{
    return adjust_controls(k, want, caps).value;
}

void segment(Fixture& f, unsigned i, uint64_t sel, uint64_t base, uint64_t limit, uint64_t ar)
{
    f.set(GUEST_ES_SELECTOR + 2 * i, sel);
    f.set(GUEST_ES_BASE + 2 * i, base);
    f.set(GUEST_ES_LIMIT + 2 * i, limit);
    f.set(GUEST_ES_AR_BYTES + 2 * i, ar);
}

// vmxlab's host as vmx.host_state() writes it: 64-bit kernel, GDT null/0x08 code/0x10 data/0x18 TSS.
void host_state(Fixture& f)
{
    f.set(HOST_CR0, 0x80050033);
    f.set(HOST_CR3, 0x101000);
    f.set(HOST_CR4, 0x2620);
    const uint32_t data[] = {HOST_ES_SELECTOR, HOST_SS_SELECTOR, HOST_DS_SELECTOR,
                             HOST_FS_SELECTOR, HOST_GS_SELECTOR};
    for (uint32_t e : data)
        f.set(e, 0x10);
    f.set(HOST_CS_SELECTOR, 0x08);
    f.set(HOST_TR_SELECTOR, 0x18);
    f.set(HOST_FS_BASE, 0);
    f.set(HOST_GS_BASE, 0);
    f.set(HOST_TR_BASE, 0x105000);
    f.set(HOST_GDTR_BASE, 0x104000);
    f.set(HOST_IDTR_BASE, 0x106000);
    f.set(HOST_IA32_SYSENTER_ESP, 0);
    f.set(HOST_IA32_SYSENTER_EIP, 0);
    f.set(HOST_RIP, 0x100800);
}

// Controls common to all bases; the MSR areas are set up (valid, count 0) for the MSR cases.
void controls(Fixture& f, uint64_t proc, uint64_t proc2, uint64_t entry)
{
    const VmxCaps& c = f.s.caps;
    f.set(PIN_BASED_VM_EXEC_CONTROL, adjusted(c, ControlKind::Pin, 0));
    f.set(CPU_BASED_VM_EXEC_CONTROL, adjusted(c, ControlKind::Primary, proc | 1u << 7));
    if (proc2)
        f.set(SECONDARY_VM_EXEC_CONTROL, adjusted(c, ControlKind::Secondary, proc2));
    f.set(VM_EXIT_CONTROLS, adjusted(c, ControlKind::Exit, 1u << 9));
    f.set(VM_ENTRY_CONTROLS, adjusted(c, ControlKind::Entry, entry));
    f.set(CR3_TARGET_COUNT, 0);
    f.set(VM_EXIT_MSR_STORE_ADDR, kMsrAreas);
    f.set(VM_EXIT_MSR_LOAD_ADDR, kMsrAreas + 0x400);
    f.set(VM_ENTRY_MSR_LOAD_ADDR, kMsrAreas + 0x800);
    f.set(VM_EXIT_MSR_STORE_COUNT, 0);
    f.set(VM_EXIT_MSR_LOAD_COUNT, 0);
    f.set(VM_ENTRY_MSR_LOAD_COUNT, 0);
    f.set(VM_ENTRY_INTR_INFO_FIELD, 0);
    f.set(VM_ENTRY_EXCEPTION_ERROR_CODE, 0);
    f.set(VM_ENTRY_INSTRUCTION_LEN, 0);
}

void common_guest(Fixture& f)
{
    f.set(GUEST_DR7, 0x400);
    f.set(GUEST_IA32_DEBUGCTL, 0);
    f.set(GUEST_SYSENTER_ESP, 0);
    f.set(GUEST_SYSENTER_EIP, 0);
    f.set(GUEST_ACTIVITY_STATE, 0);
    f.set(GUEST_INTERRUPTIBILITY_INFO, 0);
    f.set(GUEST_PENDING_DBG_EXCEPTIONS, 0);
    f.set(VMCS_LINK_POINTER, ~uint64_t{0});
}

// scripts/vmxlib.lua's guest64: flat 64-bit segments, the host's page tables and tables.
void guest64(Fixture& f)
{
    controls(f, 0, 0, 1u << 9);
    f.set(GUEST_CR0, 0x80000031);
    f.set(GUEST_CR3, 0x101000);
    f.set(GUEST_CR4, 0x2020);
    segment(f, 1, 0x08, 0, 0xFFFFFFFF, 0xA09B);
    for (unsigned i : {0u, 2u, 3u, 4u, 5u})
        segment(f, i, 0x10, 0, 0xFFFFFFFF, 0xC093);
    segment(f, 6, 0, 0, 0, 0x10000);
    segment(f, 7, 0x18, 0x105000, 0x67, 0x8B);
    f.set(GUEST_GDTR_BASE, 0x104000);
    f.set(GUEST_GDTR_LIMIT, 39);
    f.set(GUEST_IDTR_BASE, 0x106000);
    f.set(GUEST_IDTR_LIMIT, 4095);
    f.set(GUEST_RIP, 0x400000);
    f.set(GUEST_RFLAGS, 0x202);
}

// scripts/labs_vm.lua's v86_machine: the lecture's V86 task at 64 KiB, 4 MiB page, 32-bit TSS.
void v86(Fixture& f)
{
    controls(f, 0, 0, 0);
    f.set(GUEST_CR0, 0x80000031);
    f.set(GUEST_CR3, 0x13000);
    f.set(GUEST_CR4, 0x2010);
    for (unsigned i = 0; i < 6; ++i)
        segment(f, i, 0x1000, 0x10000, 0xFFFF, 0xF3);
    segment(f, 6, 0x28, 0x11800, 0x17, 0x82);
    segment(f, 7, 0x20, 0x11000, 0x2067, 0x8B);
    f.set(GUEST_GDTR_BASE, 0x10800);
    f.set(GUEST_GDTR_LIMIT, 0x2F);
    f.set(GUEST_IDTR_BASE, 0x10C00);
    f.set(GUEST_IDTR_LIMIT, 0x7FF);
    f.set(GUEST_RIP, 0x100);
    f.set(GUEST_RFLAGS, 0x20002);
}

// A real-mode guest under "unrestricted guest" with an EPT identity map (PML4 at 0x400000, WB,
// 4-level walk), entered at 0000:7C00 like a boot sector.
void real_mode(Fixture& f)
{
    controls(f, 1u << 31, 1u << 1 | 1u << 7, 0);
    f.set(EPT_POINTER, 0x400000 | 3 << 3 | 6);
    f.set(GUEST_CR0, 0x30);
    f.set(GUEST_CR3, 0);
    f.set(GUEST_CR4, 0x2000);
    segment(f, 1, 0, 0, 0xFFFF, 0x9B);
    for (unsigned i : {0u, 2u, 3u, 4u, 5u})
        segment(f, i, 0, 0, 0xFFFF, 0x93);
    segment(f, 6, 0, 0, 0, 0x10000);
    segment(f, 7, 0, 0, 0xFFFF, 0x8B);
    f.set(GUEST_GDTR_BASE, 0);
    f.set(GUEST_GDTR_LIMIT, 0xFFFF);
    f.set(GUEST_IDTR_BASE, 0);
    f.set(GUEST_IDTR_LIMIT, 0x3FF);
    f.set(GUEST_RIP, 0x7C00);
    f.set(GUEST_RFLAGS, 0x2);
    for (unsigned i = 0; i < 4; ++i)
        f.set(GUEST_PDPTR0 + 2 * i, 0);
}

} // namespace

const char* model_name(Model m)
{
    const char* names[] = {"corei7_skylake_x", "core2_penryn_t9600", "corei7_icelake_u", "bx_generic"};
    return names[static_cast<int>(m)];
}

const char* base_name(Base b)
{
    const char* names[] = {"guest64", "v86", "real_mode_unrestricted"};
    return names[static_cast<int>(b)];
}

VmxCaps model_caps(Model m)
{
    MsrValue v[18];
    for (unsigned i = 0; i < 18; ++i) {
        uint64_t x = kMsrs[static_cast<int>(m)][i];
        v[i] = {0x480 + i, x == kGP ? 0 : x, x != kGP};
    }
    VmxCaps caps{};
    decode_caps(v, 18, &caps);
    return caps;
}

void Memory::put32(uint64_t pa, uint32_t v)
{
    for (unsigned i = 0; i < 4; ++i)
        bytes[pa + i] = static_cast<uint8_t>(v >> (8 * i));
}

void Memory::put64(uint64_t pa, uint64_t v)
{
    put32(pa, static_cast<uint32_t>(v));
    put32(pa + 4, static_cast<uint32_t>(v >> 32));
}

void Memory::msr_entry(uint64_t pa, uint32_t index, uint64_t data, uint32_t reserved)
{
    put32(pa, index);
    put32(pa + 4, reserved);
    put64(pa + 8, data);
}

bool Memory::read(void* ctx, uint64_t pa, void* out, size_t n)
{
    auto* m = static_cast<Memory*>(ctx);
    auto* o = static_cast<uint8_t*>(out);
    for (size_t i = 0; i < n; ++i) {
        auto it = m->bytes.find(pa + i);
        o[i] = it == m->bytes.end() ? 0 : it->second;
    }
    return true;
}

void make_base(Fixture& f, Base base, Model model)
{
    f.model = model;
    f.s = Snapshot{};
    f.s.caps = model_caps(model);
    f.s.maxphyaddr = 39;
    f.s.linear_width = 48;
    f.s.host_efer_lma = true;
    f.s.read = &Memory::read;
    f.s.read_ctx = &f.mem;
    host_state(f);
    common_guest(f);
    if (base == Base::Guest64)
        guest64(f);
    else if (base == Base::V86)
        v86(f);
    else
        real_mode(f);
}

std::vector<std::string> run_check(const Fixture& f, std::vector<vmx::entry::Finding>* out)
{
    std::vector<vmx::entry::Finding> findings(32);
    size_t n = vmx::entry::check(f.s, vmx::entry::kAllAreas, findings.data(), findings.size());
    findings.resize(n < findings.size() ? n : findings.size());
    std::vector<std::string> ids;
    for (const auto& x : findings)
        ids.push_back(x.rule->id + std::string(": ") + x.hint);
    if (out)
        *out = findings;
    return ids;
}

std::ostream& operator<<(std::ostream& os, const Case& c)
{
    return os << c.id << " on " << base_name(c.base) << "/" << model_name(c.model);
}

std::vector<const Case*>& all_cases()
{
    static std::vector<const Case*> cases;
    return cases;
}

Register::Register(const std::vector<Case>& cases)
{
    for (const Case& c : cases)
        all_cases().push_back(&c);
}

void run_case(const Case& c)
{
    Fixture f;
    make_base(f, c.base, c.model);
    std::vector<std::string> before = run_check(f);
    ASSERT_TRUE(before.empty()) << "the base state already fails: " << before[0];
    c.mutate(f);
    std::vector<vmx::entry::Finding> findings;
    std::vector<std::string> after = run_check(f, &findings);
    ASSERT_EQ(after.size(), 1u) << [&] {
        std::string all;
        for (const auto& s : after)
            all += "\n  " + s;
        return all;
    }();
    EXPECT_STREQ(findings[0].rule->id, c.id) << after[0];
    EXPECT_GE(findings[0].field_count, 1u);
    EXPECT_GT(std::strlen(findings[0].hint), 20u);
    EXPECT_NE(std::string(findings[0].hint).find_first_of("0123456789"), std::string::npos)
        << "a hint gives numbers: " << findings[0].hint;
}

} // namespace entry_test
