; Exits with CPUID forever: the benchmark guest (vmx.bench_roundtrip, `./vmxlab bench`).
; Each round trip is VM exit -> host advances GUEST_RIP by 2 -> VMRESUME -> JMP -> CPUID.
bits 64

start:
    cpuid                   ; exit 10, length 2
    jmp start
