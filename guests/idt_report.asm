; The handlers behind a vmxlib guest's own IDT (vmxlib.guest64 builds the gates). Handler v is at
; offset 16 * v; each pushes a 0 where the processor pushes no error code, then its vector, and
; joins `report`, which tells the host through VMCALL (vmx/guest_exception.hpp decodes it):
;   RAX = "vmxGEXC" magic, RBX = vector, RCX = error code, RDX = RIP of the frame, RSI = CR2.
; If the host skips the VMCALL (vmx.skip()), the handler restores the registers and IRETQs back to
; the interrupted code; resuming without the skip reports again. (A software INT n to one of the
; error-code vectors pushes no error code, so its report shows the frame's RIP as error code.)
bits 64

MAGIC equ 0x0043584547786D76           ; vmx::kGuestExceptionMagic

%assign v 0
%rep 256
    align 16, db 0xCC
  %if v == 8 || v == 10 || v == 11 || v == 12 || v == 13 || v == 14 || v == 17 || v == 21 || v == 29 || v == 30
    ; vectors that push an error code (Vol. 3A 6.13, 6.15)
  %else
    push qword 0
  %endif
    push qword v
    jmp report
%assign v v + 1
%endrep

report:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    mov rbx, [rsp + 40]                ; the vector
    mov rcx, [rsp + 48]                ; the error code
    mov rdx, [rsp + 56]                ; RIP in the exception frame
    mov rsi, cr2                       ; reading CR2 never exits
    mov rax, MAGIC
    vmcall                             ; exit 18: the report
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                        ; vector and error code
    iretq
