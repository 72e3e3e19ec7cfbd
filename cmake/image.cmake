# kernel.elf (linked at 2 MiB, see arch/x86_64/linker.ld) and the hybrid BIOS+UEFI ISOs:
#   vmxlab.iso       interactive: boots to the Lua prompt
#   vmxlab-test.iso  same kernel and scripts, default entry with "batch test" for test drivers
set(LINKER_SCRIPT "${CMAKE_SOURCE_DIR}/arch/x86_64/linker.ld")
add_executable(kernel.elf)
set_target_properties(kernel.elf PROPERTIES LINKER_LANGUAGE CXX RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}")
target_link_libraries(kernel.elf PRIVATE init arch kernel vmx lua_bindings guests_data
    -Wl,--start-group lua musl gcc -Wl,--end-group)
target_link_options(kernel.elf PRIVATE -nostdlib -static -no-pie -Wl,-T,${LINKER_SCRIPT}
    -Wl,-z,max-page-size=0x1000 -Wl,--build-id=none -Wl,-Map,${CMAKE_BINARY_DIR}/kernel.map)
set_target_properties(kernel.elf PROPERTIES LINK_DEPENDS "${LINKER_SCRIPT}")
add_custom_command(TARGET kernel.elf POST_BUILD
    COMMAND ${CMAKE_SOURCE_DIR}/tools/check-kernel-elf.sh $<TARGET_FILE:kernel.elf>
    VERBATIM)

# Scripts shipped on the ISO as multiboot2 modules (dofile/require find them by name).
file(GLOB ISO_SCRIPTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/scripts/*.lua ${CMAKE_SOURCE_DIR}/tests/lua/*.lua)

# vmxlab_iso(NAME KERNEL_ARGS TIMEOUT KERNEL_FILE KERNEL_TARGET): NAME.iso with KERNEL_FILE as
# /boot/kernel.elf and every shipped script as a module.
function(vmxlab_iso name kernel_args timeout kernel_file kernel_target)
    set(dir "${CMAKE_BINARY_DIR}/iso-${name}")
    add_custom_command(
        OUTPUT "${CMAKE_BINARY_DIR}/${name}.iso"
        COMMAND ${CMAKE_COMMAND} -E rm -rf "${dir}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}/boot/grub" "${dir}/scripts"
        COMMAND objcopy --strip-debug ${kernel_file} "${dir}/boot/kernel.elf"
        COMMAND ${CMAKE_COMMAND} -E copy ${ISO_SCRIPTS} "${dir}/boot/kernel.elf" "${dir}/scripts/"
        COMMAND ${CMAKE_COMMAND} -E rm -f "${dir}/scripts/kernel.elf"
        COMMAND ${CMAKE_COMMAND} -DTEMPLATE=${CMAKE_SOURCE_DIR}/iso/grub.cfg.in
                -DOUT=${dir}/boot/grub/grub.cfg -DKERNEL_ARGS=${kernel_args} -DTIMEOUT=${timeout}
                "-DSCRIPTS=${ISO_SCRIPTS}" -DLABS_DIR=${CMAKE_SOURCE_DIR}/scripts
                -P ${CMAKE_SOURCE_DIR}/cmake/grub_cfg.cmake
        COMMAND grub-mkrescue -o "${CMAKE_BINARY_DIR}/${name}.iso" "${dir}" 2> "${CMAKE_BINARY_DIR}/${name}-mkrescue.log"
        DEPENDS ${kernel_target} ${ISO_SCRIPTS} ${CMAKE_SOURCE_DIR}/iso/grub.cfg.in ${CMAKE_SOURCE_DIR}/cmake/grub_cfg.cmake
        VERBATIM)
endfunction()
vmxlab_iso(vmxlab "" 0 $<TARGET_FILE:kernel.elf> kernel.elf)
vmxlab_iso(vmxlab-test "batch test" 0 $<TARGET_FILE:kernel.elf> kernel.elf)
add_custom_target(iso ALL DEPENDS "${CMAKE_BINARY_DIR}/vmxlab.iso" "${CMAKE_BINARY_DIR}/vmxlab-test.iso")

# The boot-time yardstick for ./vmxlab bench: a minimal multiboot2 kernel in the same ISO layout.
add_custom_command(
    OUTPUT "${CMAKE_BINARY_DIR}/bare.elf"
    COMMAND nasm -f elf32 -o "${CMAKE_BINARY_DIR}/bare.o" "${CMAKE_SOURCE_DIR}/tools/bench/bare.asm"
    COMMAND ld -m elf_i386 -nostdlib -T "${CMAKE_SOURCE_DIR}/tools/bench/bare.ld" -o "${CMAKE_BINARY_DIR}/bare.elf" "${CMAKE_BINARY_DIR}/bare.o"
    DEPENDS "${CMAKE_SOURCE_DIR}/tools/bench/bare.asm" "${CMAKE_SOURCE_DIR}/tools/bench/bare.ld"
    VERBATIM)
add_custom_target(bare_kernel DEPENDS "${CMAKE_BINARY_DIR}/bare.elf")
vmxlab_iso(bare "batch test" 0 "${CMAKE_BINARY_DIR}/bare.elf" bare_kernel)
add_custom_target(bench_images DEPENDS "${CMAKE_BINARY_DIR}/bare.iso" iso)
