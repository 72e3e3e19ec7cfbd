# Flags every piece of kernel code is built with (C++, the C of Lua and musl, and nasm).
# No red zone: interrupts push onto the current stack. No PIE, code model small: the kernel is
# linked at 2 MiB and identity-mapped, so every symbol is below 2 GiB.
set(VMXLAB_KERNEL_COMMON
    -ffreestanding -fno-stack-protector -fno-pic -fno-pie -mno-red-zone -mcmodel=small
    -fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-builtin-exit
    -O2 -g -Wall -Wextra)

add_library(kernel_c_flags INTERFACE)
target_compile_options(kernel_c_flags INTERFACE $<$<COMPILE_LANGUAGE:C>:${VMXLAB_KERNEL_COMMON} -std=gnu11>)

add_library(kernel_flags INTERFACE)
target_compile_options(kernel_flags INTERFACE
    $<$<COMPILE_LANGUAGE:CXX>:${VMXLAB_KERNEL_COMMON} -std=gnu++20 -fno-exceptions -fno-rtti
        -fno-threadsafe-statics -fno-use-cxa-atexit -nostdinc++>
    $<$<COMPILE_LANGUAGE:C>:${VMXLAB_KERNEL_COMMON} -std=gnu11>)
target_include_directories(kernel_flags INTERFACE ${CMAKE_SOURCE_DIR})

set(CMAKE_ASM_NASM_OBJECT_FORMAT elf64)
set(CMAKE_ASM_NASM_FLAGS "-g -F dwarf")
