// GDT (code, data, TSS), TSS with separate stacks for #DF, NMI and #MC, and the IDT.
// SDM vol. 3A 3.4.5 (segment descriptors), "TSS Descriptor in 64-bit Mode" (task management),
// 6.14.1 (64-bit IDT gates), 6.14.5 (interrupt stack table: a #DF from a blown stack still gets a
// good stack).
#include "arch/x86_64/x86.hpp"

extern "C" const uint64_t isr_stub_table[48];

namespace arch::x86 {
namespace {

struct [[gnu::packed]] Tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};

struct [[gnu::packed]] IdtGate {
    uint16_t offset_low, selector;
    uint8_t ist, type_attr;
    uint16_t offset_mid;
    uint32_t offset_high, reserved;
};

struct [[gnu::packed]] TablePointer {
    uint16_t limit;
    uint64_t base;
};

constexpr int ist_double_fault = 1, ist_nmi = 2, ist_machine_check = 3;
constexpr size_t ist_stack_size = 16384;

alignas(16) uint8_t ist_stacks[3][ist_stack_size];
alignas(16) Tss tss;
alignas(16) uint64_t gdt[5];
alignas(16) IdtGate idt[256];

void set_gate(int vector, uint64_t handler, int ist)
{
    IdtGate& g = idt[vector];
    g.offset_low = uint16_t(handler);
    g.selector = kernel_cs;
    g.ist = uint8_t(ist);
    g.type_attr = 0x8E;                 // present, DPL 0, 64-bit interrupt gate (IF cleared)
    g.offset_mid = uint16_t(handler >> 16);
    g.offset_high = uint32_t(handler >> 32);
    g.reserved = 0;
}

} // namespace

void load_descriptor_tables()
{
    for (int i = 0; i < 3; ++i)
        tss.ist[i] = uint64_t(&ist_stacks[i][ist_stack_size]);
    tss.iomap_base = sizeof(Tss);       // no I/O permission bitmap: ring 0 needs none

    uint64_t base = uint64_t(&tss), limit = sizeof(Tss) - 1;
    gdt[0] = 0;
    gdt[1] = 0x00AF9A000000FFFF;        // 0x08 64-bit code, DPL 0
    gdt[2] = 0x00CF92000000FFFF;        // 0x10 data
    gdt[3] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (uint64_t(0x89) << 40)   // 0x18 TSS (available)
           | (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
    gdt[4] = base >> 32;

    TablePointer gp { sizeof(gdt) - 1, uint64_t(gdt) };
    asm volatile(
        "lgdt %0\n\t"
        "pushq %1\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %w2, %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "ltr %w3\n\t"
        :
        : "m"(gp), "i"(kernel_cs), "r"(uint32_t(kernel_ds)), "r"(uint32_t(tss_selector))
        : "rax", "memory");

    for (int v = 0; v < 48; ++v) {
        int ist = v == 8 ? ist_double_fault : v == 2 ? ist_nmi : v == 18 ? ist_machine_check : 0;
        set_gate(v, isr_stub_table[v], ist);
    }
    TablePointer ip { sizeof(idt) - 1, uint64_t(idt) };
    asm volatile("lidt %0" ::"m"(ip) : "memory");
}

} // namespace arch::x86
