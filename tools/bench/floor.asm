; The floor for boot time: a tiny multiboot2 kernel that GRUB boots from a minimal grub.cfg
; (tools/bench/floor-grub.cfg: one entry, no modules), prints one line on COM1 and halts.
; ./vmxlab bench compares vmxlab's boot-to-prompt time with this kernel's boot-to-first-line time.
bits 32
MB2_MAGIC equ 0xE85250D6
COM1 equ 0x3F8

section .multiboot
align 8
header:
    dd MB2_MAGIC, 0, header_end - header
    dd -(MB2_MAGIC + (header_end - header))
    dw 0, 0
    dd 8
header_end:

section .text
global _start
_start:
    mov esi, uart_init                      ; port, value pairs: 115200 8N1 as vmxlab sets it up
.init:
    lodsw
    test ax, ax
    jz .init_done
    mov dx, ax
    lodsb
    out dx, al
    jmp .init
.init_done:
    mov esi, message
.next:
    lodsb
    test al, al
    jz .halt
    mov ah, al
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov dx, COM1
    mov al, ah
    out dx, al
    jmp .next
.halt:
    cli
    hlt
    jmp .halt

section .rodata
uart_init:
    dw COM1 + 1
    db 0
    dw COM1 + 3
    db 0x80
    dw COM1
    db 1
    dw COM1 + 1
    db 0
    dw COM1 + 3
    db 3
    dw COM1 + 2
    db 0xC7
    dw COM1 + 4
    db 3
    dw 0
message: db "vmxlab-floor: up", 13, 10, 0
