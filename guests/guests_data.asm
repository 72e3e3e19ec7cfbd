; The guest images (flat binaries assembled from guests/*.asm) linked into the kernel, and the
; table the `vmx` module reads them from (vmx.guests): name, image start/end, entry offset and
; a one-line description per guest, ended by a row of zeros. Add a guest: its .asm file, a
; GUEST line here (guests/CMakeLists.txt assembles every *.asm but this one).
bits 64

%macro GUEST 2                       ; name, description
section .rodata
align 16
%1_start:
    incbin %strcat(%str(%1), ".bin")
%1_end:
%1_name: db %str(%1), 0
%1_text: db %2, 0
section .data
    dq %1_name, %1_start, %1_end, 0, %1_text
%endmacro

section .data
align 8
global vmxlab_guests
vmxlab_guests:
GUEST cpuid_hlt_vmcall, "CPUID, HLT, VMCALL (exits 10, 12, 18; lengths 2, 1, 3), then RAX = 40 + RBX and VMCALL"
GUEST cpuid_loop, "CPUID in a loop: every exit is reason 10 (the benchmark guest)"
GUEST spin, "jmp $: never exits by itself (Ctrl-C, budget)"
GUEST idt_report, "not a guest: the handlers behind each vmxlib guest's own IDT (256 gates, 16 bytes apart), reporting an exception through VMCALL"
GUEST nops, "256 NOPs, then jmp back: its RIP counts the instructions a budget let it run"
GUEST io_cr, "OUT to port 0x80, MOV from/to CR3, UD2, VMCALL (exits 30, 28, 28, 0, 18)"
GUEST v86, "the lecture's Virtual-8086 guest: SMSW, Hello from Guest VM on COM1, VMCALL (load it below 1 MiB with labs.load_v86)"
section .data
    dq 0, 0, 0, 0, 0

section .note.GNU-stack noalloc noexec nowrite progbits
