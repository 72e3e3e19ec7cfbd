// The `cpu` module: x86 instructions from Lua. Each privileged instruction runs under
// arch::try_run, so a #GP/#UD/#PF comes back as `nil, "rdmsr(0xdeadbeef): #GP(0)", 13`.
#include "lua_bindings/util.hpp"
#include <stdio.h>
#include <string.h>

namespace bindings {
namespace {

int l_cpuid(lua_State* L)
{
    uint32_t leaf = check_u32(L, 1), sub = uint32_t(luaL_optinteger(L, 2, 0));
    arch::CpuidResult r = arch::cpuid(leaf, sub);
    lua_pushinteger(L, r.eax);
    lua_pushinteger(L, r.ebx);
    lua_pushinteger(L, r.ecx);
    lua_pushinteger(L, r.edx);
    return 4;
}

int l_rdmsr(lua_State* L)
{
    uint32_t msr = check_u32(L, 1);
    uint64_t v = 0;
    arch::Fault f;
    if (!arch::try_run([&] { v = arch::rdmsr(msr); }, &f)) {
        char what[32];
        snprintf(what, sizeof what, "rdmsr(0x%x)", msr);
        return push_fault(L, what, f);
    }
    push_u64(L, v);
    return 1;
}

int l_wrmsr(lua_State* L)
{
    uint32_t msr = check_u32(L, 1);
    uint64_t v = check_u64(L, 2);
    arch::Fault f;
    if (!arch::try_run([&] { arch::wrmsr(msr, v); }, &f)) {
        char what[32];
        snprintf(what, sizeof what, "wrmsr(0x%x)", msr);
        return push_fault(L, what, f);
    }
    lua_pushboolean(L, 1);
    return 1;
}

int l_cr0(lua_State* L) { push_u64(L, arch::read_cr0()); return 1; }
int l_cr2(lua_State* L) { push_u64(L, arch::read_cr2()); return 1; }
int l_cr3(lua_State* L) { push_u64(L, arch::read_cr3()); return 1; }
int l_cr4(lua_State* L) { push_u64(L, arch::read_cr4()); return 1; }
int l_cr8(lua_State* L) { push_u64(L, arch::read_cr8()); return 1; }

// Writes the kernel could not survive are refused before they reach the CPU; everything else
// goes to the processor, whose #GP for reserved bits comes back as a value.
constexpr uint64_t cr0_pe = 1, cr0_mp = 1 << 1, cr0_em = 1 << 2, cr0_ts = 1 << 3, cr0_pg = 1ull << 31;
constexpr uint64_t cr4_pae = 1 << 5, cr4_osfxsr = 1 << 9, cr4_vmxe = 1 << 13;

template <typename W>
int write_cr(lua_State* L, const char* what, W write)
{
    uint64_t v = check_u64(L, 1);
    arch::Fault f;
    if (!arch::try_run([&] { write(v); }, &f))
        return push_fault(L, what, f);
    lua_pushboolean(L, 1);
    return 1;
}

int l_write_cr0(lua_State* L)
{
    uint64_t v = check_u64(L, 1);
    if (v & (cr0_em | cr0_ts))
        return push_refusal(L, "write_cr0", "CR0.EM/CR0.TS would make the kernel's own SSE code fault");
    if (!(v & cr0_mp))
        return push_refusal(L, "write_cr0", "the kernel needs CR0.MP for its SSE code");
    (void)cr0_pe; (void)cr0_pg;     // clearing PE/PG in 64-bit mode is the CPU's #GP to report
    return write_cr(L, "write_cr0", arch::write_cr0);
}

// The new tables must still identity-map what the kernel runs on: its image, this stack, and
// the page the tables start in. Anything else would fault on the very next instruction.
bool identity_maps(uint64_t cr3, uint64_t va)
{
    uint64_t table = cr3 & 0x000FFFFFFFFFF000ull;
    for (int level = 3; level >= 0; --level) {
        uint64_t e = 0;
        arch::Fault f;
        uint64_t* p = reinterpret_cast<uint64_t*>(table) + ((va >> (12 + 9 * level)) & 511);
        if (!arch::try_run([&] { e = *p; }, &f) || !(e & 1))
            return false;
        uint64_t frame = e & 0x000FFFFFFFFFF000ull;
        if (level > 0 && level < 3 && (e & 0x80)) {           // 1 GiB or 2 MiB page
            uint64_t size = 1ull << (12 + 9 * level);
            return (frame & ~(size - 1)) + (va & (size - 1)) == va;
        }
        if (level == 0)
            return frame + (va & 0xFFF) == va;
        table = frame;
    }
    return false;
}

int l_write_cr3(lua_State* L)
{
    uint64_t v = check_u64(L, 1);
    extern char __kernel_start[] asm("__kernel_start"), __kernel_end[] asm("__kernel_end");
    uint64_t sp;
    asm volatile("mov %%rsp, %0" : "=r"(sp));
    for (uint64_t a = uint64_t(__kernel_start); a < uint64_t(__kernel_end); a += 4096)
        if (!identity_maps(v, a))
            return push_refusal(L, "write_cr3", "the new page tables do not identity-map the kernel");
    if (!identity_maps(v, sp))
        return push_refusal(L, "write_cr3", "the new page tables do not identity-map the kernel stack");
    return write_cr(L, "write_cr3", arch::write_cr3);
}

// CR4 bits this CPU implements, from CPUID (SDM vol. 3A 2.5 and the CPUID feature flags).
uint64_t cr4_supported()
{
    arch::CpuidResult l1 = arch::cpuid(1), l7 = arch::cpuid(0).eax >= 7 ? arch::cpuid(7) : arch::CpuidResult {};
    uint64_t m = 0x7FF;                                 // VME .. OSXMMEXCPT (bits 0-10)
    auto bit = [](uint32_t reg, int b) { return (reg >> b) & 1; };
    m |= uint64_t(bit(l7.ecx, 2)) << 11;                // UMIP
    m |= uint64_t(bit(l7.ecx, 16)) << 12;               // LA57
    m |= uint64_t(bit(l1.ecx, 5)) << 13;                // VMXE
    m |= uint64_t(bit(l1.ecx, 6)) << 14;                // SMXE
    m |= uint64_t(bit(l7.ebx, 0)) << 16;                // FSGSBASE
    m |= uint64_t(bit(l1.ecx, 17)) << 17;               // PCIDE
    m |= uint64_t(bit(l1.ecx, 26)) << 18;               // OSXSAVE
    m |= uint64_t(bit(l7.ebx, 7)) << 20;                // SMEP
    m |= uint64_t(bit(l7.ebx, 20)) << 21;               // SMAP
    m |= uint64_t(bit(l7.ecx, 3)) << 22;                // PKE
    m |= uint64_t(bit(l7.ecx, 7)) << 23;                // CET
    m |= uint64_t(bit(l7.ecx, 31)) << 24;               // PKS
    return m;
}

bool under_qemu_tcg()
{
    if (!(arch::cpuid(1).ecx & (1u << 31)))
        return false;
    arch::CpuidResult r = arch::cpuid(0x40000000);
    return r.ebx == 0x54474354 && r.ecx == 0x43544743 && r.edx == 0x47435447;   // "TCGTCGTCGTCG"
}

int l_write_cr4(lua_State* L)
{
    uint64_t v = check_u64(L, 1);
    if (!(v & cr4_osfxsr))
        return push_refusal(L, "write_cr4", "the kernel needs CR4.OSFXSR for its SSE code");
    if (!(v & cr4_pae))
        return push_refusal(L, "write_cr4", "64-bit mode needs CR4.PAE");
    // FACTS: QEMU TCG hangs forever on CR4.VMXE instead of raising #GP; ask CPUID first.
    if ((v & cr4_vmxe) && !(arch::cpuid(1).ecx & (1u << 5)))
        return push_refusal(L, "write_cr4", "CR4.VMXE on a CPU without VMX (CPUID.1:ECX[5] = 0)");
    // QEMU's TCG hangs on a reserved CR4 bit instead of raising #GP: answer for it.
    if ((v & ~cr4_supported()) && under_qemu_tcg())
        return push_refusal(L, "write_cr4", "reserved CR4 bit on this CPU (a real CPU raises #GP; QEMU's TCG would hang)");
    return write_cr(L, "write_cr4", arch::write_cr4);
}

int l_write_cr8(lua_State* L) { return write_cr(L, "write_cr8", arch::write_cr8); }

int l_rflags(lua_State* L) { push_u64(L, arch::read_rflags()); return 1; }
int l_rdtsc(lua_State* L) { push_u64(L, arch::rdtsc()); return 1; }

int l_inb(lua_State* L) { lua_pushinteger(L, arch::inb(check_port(L, 1))); return 1; }
int l_inw(lua_State* L) { lua_pushinteger(L, arch::inw(check_port(L, 1))); return 1; }
int l_inl(lua_State* L) { lua_pushinteger(L, arch::inl(check_port(L, 1))); return 1; }

// The console's own UART registers (other than its data port) and the PIC masks: writing them
// would cut the user off from the prompt, so those writes are refused.
const char* port_refusal(uint16_t port)
{
    if (port >= 0x3F9 && port <= 0x3FF)
        return "port belongs to the COM1 console (only its data port 0x3f8 may be written)";
    if (port == 0x20 || port == 0x21 || port == 0xA0 || port == 0xA1)
        return "the PIC routes the console's interrupt (Ctrl-C)";
    return nullptr;
}

template <typename T, void (*Out)(uint16_t, T)>
int out_port(lua_State* L, const char* what, lua_Integer max)
{
    uint16_t port = check_port(L, 1);
    lua_Integer v = luaL_checkinteger(L, 2);
    luaL_argcheck(L, v >= 0 && v <= max, 2, "value out of range for the access size");
    if (const char* why = port_refusal(port))
        return push_refusal(L, what, why);
    Out(port, T(v));
    lua_pushboolean(L, 1);
    return 1;
}
int l_outb(lua_State* L) { return out_port<uint8_t, arch::outb>(L, "outb", 0xFF); }
int l_outw(lua_State* L) { return out_port<uint16_t, arch::outw>(L, "outw", 0xFFFF); }
int l_outl(lua_State* L) { return out_port<uint32_t, arch::outl>(L, "outl", 0xFFFFFFFFll); }

int l_vendor(lua_State* L)
{
    arch::CpuidResult r = arch::cpuid(0);
    char v[12];
    memcpy(v, &r.ebx, 4);
    memcpy(v + 4, &r.edx, 4);
    memcpy(v + 8, &r.ecx, 4);
    lua_pushlstring(L, v, 12);
    return 1;
}

int l_brand(lua_State* L)
{
    if (arch::cpuid(0x80000000).eax < 0x80000004) {
        lua_pushliteral(L, "");
        return 1;
    }
    char b[49];
    for (uint32_t i = 0; i < 3; ++i) {
        arch::CpuidResult r = arch::cpuid(0x80000002 + i);
        memcpy(b + 16 * i, &r, 16);
    }
    b[48] = 0;
    const char* s = b;
    while (*s == ' ')
        ++s;
    lua_pushstring(L, s);
    return 1;
}

struct Feature { const char* name; uint32_t leaf; char reg; uint8_t bit; };
const Feature features[] = {
    { "fpu", 1, 'd', 0 }, { "tsc", 1, 'd', 4 }, { "msr", 1, 'd', 5 }, { "pae", 1, 'd', 6 },
    { "apic", 1, 'd', 9 }, { "mtrr", 1, 'd', 12 }, { "pge", 1, 'd', 13 }, { "pat", 1, 'd', 16 },
    { "sse", 1, 'd', 25 }, { "sse2", 1, 'd', 26 }, { "sse3", 1, 'c', 0 }, { "vmx", 1, 'c', 5 },
    { "smx", 1, 'c', 6 }, { "ssse3", 1, 'c', 9 }, { "pcid", 1, 'c', 17 }, { "sse4_1", 1, 'c', 19 },
    { "sse4_2", 1, 'c', 20 }, { "x2apic", 1, 'c', 21 }, { "popcnt", 1, 'c', 23 },
    { "xsave", 1, 'c', 26 }, { "avx", 1, 'c', 28 }, { "hypervisor", 1, 'c', 31 },
    { "smep", 7, 'b', 7 }, { "smap", 7, 'b', 20 },
    { "nx", 0x80000001, 'd', 20 }, { "pdpe1gb", 0x80000001, 'd', 26 }, { "rdtscp", 0x80000001, 'd', 27 },
    { "lm", 0x80000001, 'd', 29 }, { "svm", 0x80000001, 'c', 2 },
};

int l_features(lua_State* L)
{
    uint32_t max_basic = arch::cpuid(0).eax, max_ext = arch::cpuid(0x80000000).eax;
    lua_newtable(L);
    for (const Feature& f : features) {
        bool present = false;
        if ((f.leaf < 0x80000000 && f.leaf <= max_basic) || (f.leaf >= 0x80000000 && f.leaf <= max_ext)) {
            arch::CpuidResult r = arch::cpuid(f.leaf, 0);
            uint32_t reg = f.reg == 'a' ? r.eax : f.reg == 'b' ? r.ebx : f.reg == 'c' ? r.ecx : r.edx;
            present = reg & (1u << f.bit);
        }
        lua_pushboolean(L, present);
        lua_setfield(L, -2, f.name);
    }
    return 1;
}

const luaL_Reg cpu_funcs[] = {
    { "cpuid", l_cpuid }, { "rdmsr", l_rdmsr }, { "wrmsr", l_wrmsr },
    { "cr0", l_cr0 }, { "cr2", l_cr2 }, { "cr3", l_cr3 }, { "cr4", l_cr4 }, { "cr8", l_cr8 },
    { "write_cr0", l_write_cr0 }, { "write_cr3", l_write_cr3 }, { "write_cr4", l_write_cr4 },
    { "write_cr8", l_write_cr8 }, { "rflags", l_rflags }, { "rdtsc", l_rdtsc },
    { "inb", l_inb }, { "inw", l_inw }, { "inl", l_inl }, { "outb", l_outb }, { "outw", l_outw },
    { "outl", l_outl }, { "vendor", l_vendor }, { "brand", l_brand }, { "features", l_features },
    { nullptr, nullptr },
};

const Doc cpu_docs[] = {
    { "cpuid", "cpu.cpuid(leaf [, subleaf]) -> eax, ebx, ecx, edx", "Executes CPUID. Example: select(3, cpu.cpuid(1)) & 0x20 ~= 0 when the CPU has VMX (CPUID.1:ECX[5])." },
    { "rdmsr", "cpu.rdmsr(msr) -> value | nil, msg, vector", "Reads a model-specific register. A #GP (no such MSR) is returned: nil, \"rdmsr(0x...): #GP(0)\", 13. Example: hex(cpu.rdmsr(0x480)) is IA32_VMX_BASIC." },
    { "wrmsr", "cpu.wrmsr(msr, value) -> true | nil, msg, vector", "Writes a model-specific register; a #GP comes back as nil, message, 13." },
    { "cr0", "cpu.cr0() -> value", "Reads CR0 (also cpu.cr2(), cpu.cr3(), cpu.cr4(), cpu.cr8())." },
    { "cr2", "cpu.cr2() -> value", "Reads CR2, the address of the last page fault." },
    { "cr3", "cpu.cr3() -> value", "Reads CR3, the physical address of the PML4." },
    { "cr4", "cpu.cr4() -> value", "Reads CR4 (bit 13 is VMXE)." },
    { "cr8", "cpu.cr8() -> value", "Reads CR8, the task-priority register." },
    { "write_cr0", "cpu.write_cr0(v) -> true | nil, msg[, vector]", "Writes CR0. Values that would stop the kernel's SSE code (EM, TS set; MP clear) are refused; a #GP from the CPU is returned." },
    { "write_cr3", "cpu.write_cr3(v) -> true | nil, msg[, vector]", "Loads CR3. Refused unless the new tables identity-map the kernel image and stack." },
    { "write_cr4", "cpu.write_cr4(v) -> true | nil, msg[, vector]", "Writes CR4, e.g. cpu.write_cr4(cpu.cr4() | 0x2000) sets VMXE. Clearing OSFXSR/PAE, or VMXE on a CPU without VMX, is refused; a #GP is returned." },
    { "write_cr8", "cpu.write_cr8(v) -> true | nil, msg, vector", "Writes CR8 (task priority)." },
    { "rflags", "cpu.rflags() -> value", "Reads RFLAGS (CF is bit 0, ZF bit 6: the VMX outcome flags)." },
    { "rdtsc", "cpu.rdtsc() -> value", "Reads the time-stamp counter. In Bochs it counts instructions retired." },
    { "inb", "cpu.inb(port) -> byte", "Reads an I/O port (also cpu.inw, cpu.inl). Example: cpu.inb(0x92) shows the A20 gate in bit 1." },
    { "inw", "cpu.inw(port) -> word", "Reads a 16-bit I/O port." },
    { "inl", "cpu.inl(port) -> dword", "Reads a 32-bit I/O port." },
    { "outb", "cpu.outb(port, byte) -> true | nil, msg", "Writes an I/O port (also outw, outl). COM1's control registers and the PIC are refused: they carry the console." },
    { "outw", "cpu.outw(port, word) -> true | nil, msg", "Writes a 16-bit I/O port." },
    { "outl", "cpu.outl(port, dword) -> true | nil, msg", "Writes a 32-bit I/O port." },
    { "vendor", "cpu.vendor() -> string", "The CPUID vendor string, e.g. \"GenuineIntel\"." },
    { "brand", "cpu.brand() -> string", "The CPUID brand string (leaves 0x80000002-4)." },
    { "features", "cpu.features() -> table", "Decoded CPUID flags by name. Among them: vmx, smx, lm, nx, pae, sse2, hypervisor. Example: cpu.features().vmx." },
    { nullptr, nullptr, nullptr },
};

} // namespace

int luaopen_cpu(lua_State* L)
{
    luaL_newlib(L, cpu_funcs);
    register_module(L, "cpu", "x86 instructions: cpuid, MSRs, control registers, I/O ports", cpu_docs);
    lua_getglobal(L, "cpu");
    return 1;
}

} // namespace bindings
