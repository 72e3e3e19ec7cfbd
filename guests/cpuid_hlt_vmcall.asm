; The round-trip guest: CPUID, HLT, VMCALL exit in this order (exit reasons 10, 12, 18; SDM
; 26.1.2 CPUID and VMCALL always exit, HLT with "HLT exiting"), with instruction lengths 2, 1
; and 3. Then it proves that register edits made by the host between exits reach it: the host
; puts a number in RBX at the first VMCALL, the guest adds it to RAX (40) and VMCALLs again.
; Flat 64-bit code, position independent: load it anywhere, enter at offset 0.
bits 64
default rel

start:
    xor eax, eax
    cpuid                   ; exit 10 CPUID, length 2 (0F A2)
    hlt                     ; exit 12 HLT, length 1 (F4)
    mov eax, 40
    vmcall                  ; exit 18 VMCALL, length 3 (0F 01 C1): host sets RBX
    add rax, rbx
    vmcall                  ; exit 18 again: RAX = 40 + the host's RBX
    jmp start
