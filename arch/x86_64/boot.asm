; Entry from the boot loader: multiboot2 (GRUB) or multiboot1 (qemu -kernel), both in 32-bit
; protected mode with paging off. We check for long mode, identity-map the first 4 GiB with
; 2 MiB pages, enter 64-bit mode, enable SSE (GCC uses XMM registers even to zero structs) and
; call kernel_main(magic, info).

MB2_MAGIC    equ 0xE85250D6
MB2_ARCH     equ 0                          ; i386 protected mode
MB1_MAGIC    equ 0x1BADB002
MB1_FLAGS    equ (1 << 0) | (1 << 1) | (1 << 16) ; page-aligned modules, memory info, a.out kludge
COM1         equ 0x3F8

extern __kernel_start, __load_end, __kernel_end
extern kernel_main
global _start, boot_pml4, boot_pdpt, boot_stack_top, kernel_stack_top

section .multiboot
align 8
mb2_header:
    dd MB2_MAGIC, MB2_ARCH, mb2_header_end - mb2_header
    dd -(MB2_MAGIC + MB2_ARCH + (mb2_header_end - mb2_header))
    align 8
    dw 6, 0                                  ; module alignment tag: page-align modules
    dd 8
    align 8
    dw 0, 0                                  ; end tag
    dd 8
mb2_header_end:

align 4
mb1_header:                                  ; a.out kludge so QEMU loads the ELF64 directly
    dd MB1_MAGIC, MB1_FLAGS, -(MB1_MAGIC + MB1_FLAGS)
    dd mb1_header, __kernel_start, __load_end, __kernel_end, _start

section .text.boot
bits 32
_start:
    cli
    cld
    mov esp, boot_stack_top
    mov [boot_magic], eax
    mov [boot_info], ebx
    call serial_init32

    ; CPUID 80000001h:EDX[29] = long mode (SDM vol. 2A, CPUID). Without it we cannot run at all.
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jz .no_long_mode

    ; Zero the boot page tables (PML4, PDPT, 4 PDs = 6 pages, contiguous).
    mov edi, boot_pml4
    xor eax, eax
    mov ecx, 6 * 4096 / 4
    rep stosd
    mov dword [boot_pml4], boot_pdpt + 3    ; present | writable
    mov edi, boot_pdpt
    mov eax, boot_pd + 3
    mov ecx, 4
.pdpt:
    mov [edi], eax
    add eax, 4096
    add edi, 8
    loop .pdpt
    ; 2048 PD entries of 2 MiB each: 0 .. 4 GiB, present | writable | PS.
    mov edi, boot_pd
    mov eax, 0x83
    mov ecx, 2048
.pd:
    mov [edi], eax
    add eax, 0x200000
    add edi, 8
    loop .pd

    mov eax, boot_pml4
    mov cr3, eax
    mov eax, cr4
    or eax, 1 << 5                           ; CR4.PAE
    mov cr4, eax
    mov ecx, 0xC0000080                      ; IA32_EFER
    rdmsr
    or eax, 1 << 8                           ; LME
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | 1                    ; PG | PE
    mov cr0, eax
    lgdt [boot_gdt_ptr]
    jmp 0x08:long_entry

.no_long_mode:
    mov esi, msg_no_long_mode
    call serial_puts32
.halt:
    cli
    hlt
    jmp .halt

serial_init32:                               ; 115200 8N1, FIFOs on, no interrupts yet
    mov dx, COM1 + 1
    xor al, al
    out dx, al
    mov dx, COM1 + 3
    mov al, 0x80
    out dx, al
    mov dx, COM1
    mov al, 1
    out dx, al
    mov dx, COM1 + 1
    xor al, al
    out dx, al
    mov dx, COM1 + 3
    mov al, 3
    out dx, al
    mov dx, COM1 + 2
    mov al, 0xC7
    out dx, al
    mov dx, COM1 + 4
    mov al, 3
    out dx, al
    ret

serial_puts32:                               ; esi = NUL-terminated string
.next:
    lodsb
    test al, al
    jz .done
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
.done:
    ret

bits 64
long_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rsp, kernel_stack_top
    ; CR0: caches on (clear CD, NW: BIOS/GRUB may leave them set, see FACTS), NE on (a VMX
    ; fixed-1 bit), EM off and MP on so SSE/x87 run natively.
    mov rax, cr0
    mov rdx, ~((1 << 30) | (1 << 29) | (1 << 2))
    and rax, rdx
    or rax, (1 << 5) | (1 << 1)
    mov cr0, rax
    mov rax, cr4
    or rax, (1 << 9) | (1 << 10)             ; OSFXSR | OSXMMEXCPT
    mov cr4, rax
    fninit
    mov edi, [boot_magic]
    mov esi, [boot_info]
    xor ebp, ebp
    call kernel_main
.hang:
    cli
    hlt
    jmp .hang

section .rodata
msg_no_long_mode:
    db 13, 10, "vmxlab: this CPU has no long mode (CPUID 80000001h:EDX.LM = 0).", 13, 10
    db "vmxlab is a 64-bit kernel; boot it on an x86-64 CPU (in Bochs: a model such as corei7_skylake_x).", 13, 10, 0

align 8
boot_gdt:
    dq 0
    dq 0x00AF9A000000FFFF                    ; 0x08: 64-bit code
    dq 0x00CF92000000FFFF                    ; 0x10: data
boot_gdt_ptr:
    dw $ - boot_gdt - 1
    dd boot_gdt

section .data
boot_magic: dd 0
boot_info:  dd 0

section .bss
align 4096
boot_pml4:  resb 4096
boot_pdpt:  resb 4096
boot_pd:    resb 4 * 4096
boot_stack: resb 4096
boot_stack_top:
align 16
kernel_stack: resb 1024 * 1024                ; Lua's C stack: FACTS measured ~400 KiB worst case
kernel_stack_top:
