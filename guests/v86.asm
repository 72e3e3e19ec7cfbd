; The lecture's Virtual-8086 guest (seed 004, "Our planned VMX demo"; seed 002 slides 10-14):
; a 16-bit task run with RFLAGS.VM = 1 under vmxlab's 64-bit host, with the supporting
; structures the lecture lists -- a TSS with an I/O permission bitmap, a GDT (for the TSS and
; the LDT), an LDT (code, data, vram, flat), a page directory mapping one 4 MiB page, ring-3 and
; ring-0 stacks, and a #GP handler -- plus a small 32-bit ring-0 entry used by the labs that need
; CPL 0 (RDMSR, MOV to CR0).
;
; The image is position independent in 4 KiB steps: load it at a 4 KiB-aligned address B below
; 1 MiB (V86 addresses are segment * 16 + offset; without EPT guest-physical = host-physical),
; then add B to the base of every descriptor the "reloc" fields list. Everything else is
; image-relative: the V86 segments are B / 16, the 32-bit segments have base B. The header at
; offset 8 names every structure ("name", 0, dd offset), so the loader (scripts/labs.lua,
; labs.load_v86) needs no hard-coded offsets.
;
; V86 entry (offset 0, CS = B / 16): SMSW, then "Hello from Guest VM" and the CR0 value SMSW
; returned on COM1 -- allowed by the TSS's I/O permission bitmap, not by IOPL (SDM "Virtual-8086
; Mode I/O": in V86 mode I/O always consults the bitmap) -- then VMCALL (exit 18). Resumed after the VMCALL it
; starts over, so one launch can show several runs. AX holds the SMSW value at the VMCALL.
; Every character sent to COM1 is also appended to out_buf (out_len bytes): the host reads
; there what the guest printed.
;
; #GP handler (vector 13 of the guest's IDT, a 32-bit interrupt gate to ring 0): records the
; error code and the interrupted CS:EIP, prints them, and executes HLT -- with HLT exiting a
; VM exit 12 at the handler, so the host sees that it ran. Resumed after the HLT it returns to
; the interrupted code with IRETD.
bits 16
org 0

COM1        equ 0x3F8
OUT_CAP     equ 512

SEL_TSS     equ 0x08             ; GDT
SEL_LDT     equ 0x10
SEL_CODE0   equ 0x04             ; LDT (TI = 1), RPL 0
SEL_DATA0   equ 0x0C
SEL_VRAM    equ 0x17             ; RPL 3
SEL_FLAT    equ 0x1C

; A segment descriptor (SDM 3.4.5): base, limit, access byte, flags nibble (G, D/B, L, AVL).
%macro DESC 4
    dw (%2) & 0xFFFF
    dw (%1) & 0xFFFF
    db ((%1) >> 16) & 0xFF
    db %3
    db (((%2) >> 16) & 0x0F) | ((%4) << 4)
    db ((%1) >> 24) & 0xFF
%endmacro

; A header entry: name, then its value.
%macro FIELD 2
    db %1, 0
    dd %2
%endmacro

start:
    jmp v86_main                 ; offset 0: the V86 entry (vmx.guests.v86.entry = 0)
    align 8, db 0
header:
    db "V86GUEST"
    FIELD "size", image_end - $$
    FIELD "v86_entry", v86_main - $$
    FIELD "pm_entry", pm_main - $$
    FIELD "pm_write_cr0", pm_write_cr0 - $$
    FIELD "isr_gp", isr_gp - $$
    FIELD "isr_gp_hlt", isr_gp_hlt - $$
    FIELD "gdt", gdt - $$
    FIELD "gdt_limit", gdt_end - gdt - 1
    FIELD "ldt", ldt - $$
    FIELD "ldt_limit", ldt_end - ldt - 1
    FIELD "idt", idt - $$
    FIELD "idt_limit", idt_end - idt - 1
    FIELD "tss", tss - $$
    FIELD "tss_limit", tss_end - tss - 1
    FIELD "iopb", iopb - $$
    FIELD "iopb_ports", (iopb_end - iopb) * 8
    FIELD "pd", page_directory - $$
    FIELD "stack3_top", stack3_top - $$
    FIELD "stack0_top", stack0_top - $$
    FIELD "sel_tss", SEL_TSS
    FIELD "sel_ldt", SEL_LDT
    FIELD "sel_code0", SEL_CODE0
    FIELD "sel_data0", SEL_DATA0
    FIELD "sel_vram", SEL_VRAM
    FIELD "sel_flat", SEL_FLAT
    FIELD "out_len", out_len - $$
    FIELD "out_buf", out_buf - $$
    FIELD "out_cap", OUT_CAP
    FIELD "msw_seen", msw_seen - $$
    FIELD "cr0_seen", cr0_seen - $$
    FIELD "cr0_after", cr0_after - $$
    FIELD "msr_index", msr_index - $$
    FIELD "msr_seen", msr_seen - $$
    FIELD "gp_count", gp_count - $$
    FIELD "gp_error", gp_error - $$
    FIELD "gp_eip", gp_eip - $$
    FIELD "gp_cs", gp_cs - $$
    FIELD "gp_eflags", gp_eflags - $$
    FIELD "reloc", gdt_tss - $$  ; descriptors whose base is image-relative: add B
    FIELD "reloc", gdt_ldt - $$
    FIELD "reloc", ldt_code0 - $$
    FIELD "reloc", ldt_data0 - $$
    db 0

; ---- the V86 task (CPL 3, IOPL 0) --------------------------------------------------------------
v86_main:
    smsw ax                      ; CR0[15:0]; a bit the host masks reads from CR0_READ_SHADOW
    mov [msw_seen], ax
    mov si, msg_hello
    call v86_puts
    mov si, msg_smsw
    call v86_puts
    mov ax, [msw_seen]
    call v86_hex16
    mov si, msg_crlf
    call v86_puts
    mov ax, [msw_seen]
    vmcall                       ; VM exit 18 in any mode (SDM 26.1.2)
    jmp v86_main

; ---- 32-bit ring-0 code (CS = code0, DS = SS = data0: base B, so offsets are image offsets) ----
bits 32

; pm_entry: the same greeting from 32-bit protected mode at CPL 0; CR0 read with MOV (all 32
; bits, masked bits from the read shadow); if ECX != 0, RDMSR ECX (the host must not intercept
; it: "use MSR bitmaps" with a zero bitmap). Then VMCALL with EDX:EAX = the MSR value.
pm_main:
    mov [msr_index], ecx
.again:
    mov eax, cr0
    mov [cr0_seen], eax
    mov esi, msg_hello_pm
    call pm_puts
    mov esi, msg_movcr0
    call pm_puts
    mov eax, [cr0_seen]
    call pm_hex32
    mov esi, msg_crlf
    call pm_puts
    mov ecx, [msr_index]
    test ecx, ecx
    jz .done
    rdmsr
    mov [msr_seen], eax
    mov [msr_seen + 4], edx
    mov esi, msg_rdmsr
    call pm_puts
    mov eax, [msr_index]
    call pm_hex32
    mov esi, msg_equals
    call pm_puts
    mov eax, [msr_seen + 4]
    call pm_hex32
    mov al, '_'
    call pm_putc
    mov eax, [msr_seen]
    call pm_hex32
    mov esi, msg_crlf
    call pm_puts
.done:
    mov eax, [msr_seen]
    mov edx, [msr_seen + 4]
    vmcall
    jmp .again

; pm_write_cr0: MOV to CR0 from EBX at CPL 0. Where the CR0 guest/host mask has a 1 and EBX
; differs from the read shadow, the write exits (reason 28, "MOV to CR0 from RBX"); otherwise
; it changes only the unmasked bits. CR0 is read before and after; then VMCALL.
pm_write_cr0:
    mov eax, cr0
    mov [cr0_seen], eax
    mov esi, msg_write
    call pm_puts
    mov eax, ebx
    call pm_hex32
    mov esi, msg_crlf
    call pm_puts
    mov cr0, ebx
    mov eax, cr0
    mov [cr0_after], eax
    mov esi, msg_after
    call pm_puts
    mov eax, [cr0_after]
    call pm_hex32
    mov esi, msg_crlf
    call pm_puts
    vmcall
    jmp pm_write_cr0

; #GP handler. Stack: [pushad][ds] error code, EIP, CS, EFLAGS (+ ESP, SS, ES, DS, FS, GS from V86).
isr_gp:
    pushad
    push ds
    ; Interrupts from V86 load DS with 0 (SDM, 8086 emulation: "Handling an Interrupt or
    ; Exception Through a Protected-Mode Trap or Interrupt Gate").
    mov ax, SEL_DATA0
    mov ds, ax
    inc dword [gp_count]
    mov eax, [esp + 36]
    mov [gp_error], eax
    mov eax, [esp + 40]
    mov [gp_eip], eax
    mov eax, [esp + 44]
    mov [gp_cs], eax
    mov eax, [esp + 48]
    mov [gp_eflags], eax
    mov esi, msg_gp
    call pm_puts
    mov eax, [gp_error]
    call pm_hex32
    mov esi, msg_gp_at
    call pm_puts
    mov eax, [gp_cs]
    shl eax, 16
    mov ax, 0
    mov ecx, 4
    call pm_hexn
    mov al, ':'
    call pm_putc
    mov eax, [gp_eip]
    call pm_hex32
    mov esi, msg_gp_flags
    call pm_puts
    mov eax, [gp_eflags]
    call pm_hex32
    mov esi, msg_crlf
    call pm_puts
isr_gp_hlt:
    hlt                          ; VM exit 12 with HLT exiting: the host sees the handler ran
    pop ds
    popad
    add esp, 4                   ; the error code
    iretd

%include "v86_console.inc"       ; v86_puts/putc/hex16, pm_puts/putc/hex32

; ---- data ---------------------------------------------------------------------------------------
msg_hello:    db "Hello from Guest VM", 13, 10, 0
msg_smsw:     db "smsw: CR0 = 0x", 0
msg_crlf:     db 13, 10, 0
msg_hello_pm: db "Hello from Guest VM (32-bit protected mode, CPL 0)", 13, 10, 0
msg_movcr0:   db "mov eax, cr0: CR0 = 0x", 0
msg_rdmsr:    db "rdmsr: MSR 0x", 0
msg_equals:   db " = 0x", 0
msg_write:    db "mov cr0, ebx: writing 0x", 0
msg_after:    db "mov eax, cr0: CR0 now = 0x", 0
msg_gp:       db "Guest #GP handler: error code 0x", 0
msg_gp_at:    db " at CS:EIP ", 0
msg_gp_flags: db ", EFLAGS 0x", 0

align 4, db 0
out_len:    dd 0
msw_seen:   dd 0
cr0_seen:   dd 0
cr0_after:  dd 0
msr_index:  dd 0
msr_seen:   dq 0
gp_count:   dd 0
gp_error:   dd 0
gp_eip:     dd 0
gp_cs:      dd 0
gp_eflags:  dd 0
out_buf:    times OUT_CAP db 0

; ---- the page directory: one 4 MiB page, linear 0..4 MiB -> physical 0 (needs CR4.PSE) -------
align 4096, db 0
page_directory:
    dd 0x00000087                ; P, R/W, U/S (the V86 task runs at CPL 3), PS
    times 1023 dd 0

; ---- GDT (for the TSS and the LDT), LDT, IDT, TSS with its I/O permission bitmap --------------
align 16, db 0
gdt:
    dq 0
gdt_tss:
    DESC tss - $$, tss_end - tss - 1, 0x8B, 0x0    ; 32-bit TSS, busy (TR is loaded from the VMCS)
gdt_ldt:
    DESC ldt - $$, ldt_end - ldt - 1, 0x82, 0x0    ; LDT
gdt_end:

align 16, db 0
ldt:
ldt_code0:
    DESC 0, 0xFFFF, 0x9B, 0x4    ; code: 32-bit, ring 0, execute/read, base B
ldt_data0:
    DESC 0, 0xFFFF, 0x93, 0x4    ; data: ring 0, read/write, base B (also the ring-0 stack)
ldt_vram:
    DESC 0xB8000, 0x7FFF, 0xF3, 0x0  ; vram: ring 3, the text screen (the lecture's; COM1 is used)
ldt_flat:
    DESC 0, 0xFFFFF, 0x93, 0xC   ; flat: ring 0, 4 GiB
ldt_end:

align 16, db 0
idt:                             ; vectors 0..31; only #GP has a handler (others: not present)
    times 13 dq 0
    dw (isr_gp - $$) & 0xFFFF
    dw SEL_CODE0
    db 0
    db 0x8E                      ; present, DPL 0, 32-bit interrupt gate
    dw ((isr_gp - $$) >> 16) & 0xFFFF
    times 18 dq 0
idt_end:

align 16, db 0
tss:                             ; 32-bit TSS (SDM "Task-State Segment (TSS)")
    dd 0                         ; previous task link
    dd stack0_top - $$           ; ESP0: the ring-0 stack for interrupts from V86
    dd SEL_DATA0                 ; SS0
    times 21 dd 0                ; ESP1, SS1, ESP2, SS2, CR3, EIP, EFLAGS, EAX..EDI, ES..GS
    dd SEL_LDT                   ; LDT segment selector
    dw 0                         ; T
    dw iopb - tss                ; I/O map base address
iopb:                            ; I/O permission bitmap: 1 = denied; ports 0..0x3FF covered
    times (COM1 / 8) db 0xFF
    db 0x00                      ; ports 0x3F8..0x3FF (COM1): allowed
    times ((0x400 - COM1) / 8 - 1) db 0xFF
iopb_end:
    db 0xFF                      ; the byte the processor may read past the last port
tss_end:

; ---- stacks ------------------------------------------------------------------------------------
align 16, db 0
stack3:
    times 1024 db 0
stack3_top:
stack0:
    times 1024 db 0
stack0_top:
image_end:
