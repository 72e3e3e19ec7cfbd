; Guest images linked into the kernel as data (filled in as guests are written).
section .rodata
global guests_none
guests_none: db 0
