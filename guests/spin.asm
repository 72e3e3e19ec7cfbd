; Never exits on its own: for Ctrl-C (external-interrupt exiting) and the budget (VMX-preemption
; timer, exit reason 52).
bits 64

start:
    jmp start               ; EB FE
