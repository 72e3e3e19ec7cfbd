; Interrupt entry stubs and the fault-guard call (kvm-unit-tests' ASM_TRY idea, done as
; setjmp + "longjmp by iretq"): see arch/x86_64/exceptions.cpp.
bits 64
default rel
extern isr_dispatch
global isr_stub_table, arch_guard_call

; Vectors that push an error code (SDM vol. 3A, 6.3.1 / table 6-1).
%macro STUB 1
isr_stub_%1:
%if %1 == 8 || (%1 >= 10 && %1 <= 14) || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30
%else
    push 0
%endif
    push %1
    jmp isr_common
%endmacro

section .text
%assign v 0
%rep 48
    STUB v
%assign v v + 1
%endrep

; Frame layout (lowest address first): r15 .. rax, vector, error, rip, cs, rflags, rsp, ss
; = struct InterruptFrame in arch/x86_64/x86.hpp.
isr_common:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rbp, rsp
    sub rsp, 512                ; interrupted code may be using SSE: keep its state
    and rsp, -16
    fxsave [rsp]
    mov rdi, rbp
    cld
    call isr_dispatch
    fxrstor [rsp]
    mov rsp, rbp
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                 ; vector, error code
    iretq

section .rodata
align 8
isr_stub_table:
%assign v 0
%rep 48
    dq isr_stub_ %+ v
%assign v v + 1
%endrep

; int arch_guard_call(Guard* g, void (*fn)(void*), void* ctx)
; Saves what a resumption needs into g, calls fn(ctx), returns 0. If fn faults, the exception
; handler rewrites its frame to "return" from here with eax = 1 and g's registers restored.
section .text
arch_guard_call:
    mov [rdi + 0], rbx
    mov [rdi + 8], rbp
    mov [rdi + 16], r12
    mov [rdi + 24], r13
    mov [rdi + 32], r14
    mov [rdi + 40], r15
    lea rax, [rsp + 8]
    mov [rdi + 48], rax         ; rsp after our ret
    mov rax, [rsp]
    mov [rdi + 56], rax         ; our return address
    pushfq
    pop rax
    mov [rdi + 64], rax         ; rflags (IF) at the call
    sub rsp, 8                  ; keep the ABI's 16-byte alignment for fn
    mov rax, rsi
    mov rdi, rdx
    call rax
    add rsp, 8
    xor eax, eax
    ret
