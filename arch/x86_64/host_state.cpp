// What a VMM reads about the running host to fill the VMCS host-state area (SDM 25.5), and the
// hand-off of an interrupt a VM exit acknowledged (SDM 28.2.2, "acknowledge interrupt on exit").
#include "arch/x86_64/x86.hpp"

namespace arch {
namespace {

struct [[gnu::packed]] TablePointer {
    uint16_t limit;
    uint64_t base;
};

// `int n` needs an immediate: one tiny function per PIC vector. A software INT goes through the
// same IDT gate, stub and isr_dispatch as the hardware interrupt would have (IF is irrelevant).
template <uint8_t V>
void raise() { asm volatile("int %0" ::"i"(V) : "memory"); }
template <uint8_t... V>
struct Raisers { static constexpr void (*table[])() = { raise<V>... }; };
using PicRaisers = Raisers<0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
                           0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F>;

} // namespace

DescriptorTables descriptor_tables()
{
    TablePointer g {}, i {};
    uint16_t tr = 0;
    asm volatile("sgdt %0" : "=m"(g));
    asm volatile("sidt %0" : "=m"(i));
    asm volatile("str %0" : "=r"(tr));
    DescriptorTables t {};
    t.gdtr_base = g.base;
    t.gdtr_limit = g.limit;
    t.idtr_base = i.base;
    t.idtr_limit = i.limit;
    t.tr = tr;
    // A 64-bit TSS descriptor (SDM "TSS Descriptor in 64-bit Mode"): base 23:0 in bits 39:16,
    // 31:24 in bits 63:56 of the first quadword, 63:32 in the second.
    uint16_t index = tr >> 3;
    if (tr && uint32_t(index) * 8 + 15 <= g.limit) {
        const uint64_t* gdt = reinterpret_cast<const uint64_t*>(g.base);
        uint64_t lo = gdt[index], hi = gdt[index + 1];
        t.tr_base = ((lo >> 16) & 0xFFFFFF) | (((lo >> 56) & 0xFF) << 24) | ((hi & 0xFFFFFFFF) << 32);
    }
    return t;
}

void deliver_irq(uint8_t vector)
{
    if (vector >= x86::irq_base && vector < x86::irq_base + 16)
        PicRaisers::table[vector - x86::irq_base]();
}

} // namespace arch
