; 256 one-byte NOPs, then back to the start: a guest whose RIP counts the instructions it ran
; (the budget tests: in Bochs, vmx.vmresume(n) runs n - 1 of them).
bits 64

start:
    times 256 nop
    jmp start
