; VM entry and the VM-exit landing pad (SDM 27 VM entries, 28.5 loading host state).
; The VMCS holds only the guest's RSP/RIP/RFLAGS; the other general registers are carried by
; struct vmx::GuestRegs (vmx/instr.hpp): loaded just before VMLAUNCH/VMRESUME, saved at exit.
bits 64
default rel
global vmx_enter, vmx_exit_trampoline

HOST_RSP equ 0x6C14
HOST_RIP equ 0x6C16

; GuestRegs offsets
G_RAX equ 0
G_RBX equ 8
G_RCX equ 16
G_RDX equ 24
G_RSI equ 32
G_RDI equ 40
G_RBP equ 48
G_R8  equ 56
G_R9  equ 64
G_R10 equ 72
G_R11 equ 80
G_R12 equ 88
G_R13 equ 96
G_R14 equ 104
G_R15 equ 112

section .text
; int vmx_enter(GuestRegs* regs, int resume)
;   0: the guest ran and exited (we come back through vmx_exit_trampoline)
;   1: VMfailInvalid   2: VMfailValid (the caller reads VM_INSTRUCTION_ERROR)
vmx_enter:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    push rdi                        ; regs: found again at [rsp] by the trampoline
    sub rsp, 8                      ; spare slot: the trampoline reaches regs at [rsp + 16]

    ; The exit comes back on this stack at vmx_exit_trampoline (HOST_RSP/HOST_RIP, SDM 28.5.3).
    mov rax, HOST_RSP
    vmwrite rax, rsp
    jbe .write_failed
    mov rax, HOST_RIP
    lea rdx, [vmx_exit_trampoline]
    vmwrite rax, rdx
    jbe .write_failed

    mov r8d, esi                    ; resume flag, tested after the loads (mov keeps flags)
    test r8d, r8d
    mov rax, [rdi + G_RAX]
    mov rbx, [rdi + G_RBX]
    mov rcx, [rdi + G_RCX]
    mov rdx, [rdi + G_RDX]
    mov rsi, [rdi + G_RSI]
    mov rbp, [rdi + G_RBP]
    mov r8,  [rdi + G_R8]
    mov r9,  [rdi + G_R9]
    mov r10, [rdi + G_R10]
    mov r11, [rdi + G_R11]
    mov r12, [rdi + G_R12]
    mov r13, [rdi + G_R13]
    mov r14, [rdi + G_R14]
    mov r15, [rdi + G_R15]
    mov rdi, [rdi + G_RDI]
    jnz .resume
    vmlaunch
    jmp .failed
.resume:
    vmresume
.failed:                            ; only reached when the entry instruction itself failed
    mov eax, 1                      ; CF=1: VMfailInvalid
    jc .out
    mov eax, 2                      ; ZF=1: VMfailValid
.out:
    add rsp, 16
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret
.write_failed:
    mov eax, 1
    jc .out
    mov eax, 2
    jmp .out

; VM exit: RSP = the HOST_RSP written above, RFLAGS = 0x2 (interrupts off), guest GPRs live.
vmx_exit_trampoline:
    push rdi
    mov rdi, [rsp + 16]             ; regs (below: the guest's rdi, the alignment slot)
    mov [rdi + G_RAX], rax
    mov [rdi + G_RBX], rbx
    mov [rdi + G_RCX], rcx
    mov [rdi + G_RDX], rdx
    mov [rdi + G_RSI], rsi
    mov [rdi + G_RBP], rbp
    mov [rdi + G_R8],  r8
    mov [rdi + G_R9],  r9
    mov [rdi + G_R10], r10
    mov [rdi + G_R11], r11
    mov [rdi + G_R12], r12
    mov [rdi + G_R13], r13
    mov [rdi + G_R14], r14
    mov [rdi + G_R15], r15
    pop rax
    mov [rdi + G_RDI], rax
    xor eax, eax
    jmp vmx_enter.out

section .note.GNU-stack noalloc noexec nowrite progbits
