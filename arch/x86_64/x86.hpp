// Internals of arch/x86_64 shared between its files. Nothing outside arch/ includes this.
#pragma once
#include <stdint.h>
#include "arch/cpu.hpp"

namespace arch::x86 {

struct InterruptFrame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;            // pushed by the CPU
};

// Selectors of the kernel GDT (descriptors.cpp).
constexpr uint16_t kernel_cs = 0x08, kernel_ds = 0x10, tss_selector = 0x18;
constexpr uint8_t irq_base = 0x20;                // PIC vectors 0x20..0x2F

void load_descriptor_tables();
void pic_init();
void pic_unmask(unsigned irq);
void pic_eoi(unsigned irq);
bool pic_spurious(unsigned irq);
void serial_init();
void serial_irq();
void serial_use_irq(bool on);
void time_init();
void panic_frame(const InterruptFrame& f, const char* why);   // prints, then halts or exits
void serial_print(const char* s);                              // polled, usable anywhere
void serial_print_hex(uint64_t v, int digits = 16);

} // namespace arch::x86
