; Exits whose qualification needs decoding (SDM 28.2.1): an OUT (exit 30 with "unconditional
; I/O exiting"), MOV from/to CR3 (exit 28 with "CR3-store/CR3-load exiting"), and UD2 (exit 0,
; #UD, with bit 6 of EXCEPTION_BITMAP), then VMCALL.
bits 64

start:
    mov dx, 0x80
    mov al, 0x5A
    out dx, al              ; exit 30: OUT 1 byte to port 0x0080 (DX), length 1
    mov rax, cr3            ; exit 28: MOV from CR3 to RAX, length 3
    mov cr3, rax            ; exit 28: MOV to CR3 from RAX, length 3
    ud2                     ; exit 0: hardware exception 6 (#UD)
    vmcall                  ; exit 18
    jmp start
