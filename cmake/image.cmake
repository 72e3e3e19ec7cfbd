# kernel.elf (linked at 2 MiB, see arch/x86_64/linker.ld) and the hybrid BIOS+UEFI ISOs:
#   vmxlab.iso       interactive: boots to the Lua prompt
#   vmxlab-test.iso  same kernel and scripts, default entry with "batch test" for test drivers
set(LINKER_SCRIPT "${CMAKE_SOURCE_DIR}/arch/x86_64/linker.ld")
add_executable(kernel.elf)
set_target_properties(kernel.elf PROPERTIES LINKER_LANGUAGE CXX RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}")
target_link_libraries(kernel.elf PRIVATE arch kernel vmx lua_bindings guests_data
    -Wl,--start-group lua musl gcc -Wl,--end-group)
target_link_options(kernel.elf PRIVATE -nostdlib -static -no-pie -Wl,-T,${LINKER_SCRIPT}
    -Wl,-z,max-page-size=0x1000 -Wl,--build-id=none -Wl,-Map,${CMAKE_BINARY_DIR}/kernel.map)
set_target_properties(kernel.elf PROPERTIES LINK_DEPENDS "${LINKER_SCRIPT}")
add_custom_command(TARGET kernel.elf POST_BUILD
    COMMAND ${CMAKE_SOURCE_DIR}/tools/check-kernel-elf.sh $<TARGET_FILE:kernel.elf>
    VERBATIM)

# Scripts shipped on the ISOs. GRUB spends about a million instructions per module whatever its
# size, so each ISO carries its scripts as ONE module, /boot/scripts.tar (ustar; the kernel's
# module registry reads it, kernel/modules_tar.cpp). The interactive ISO ships scripts/*.lua; the
# test ISO adds tests/lua/*.lua.
file(GLOB USER_SCRIPTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/scripts/*.lua)
file(GLOB TEST_SCRIPTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/lua/*.lua)

# vmxlab_iso(NAME KERNEL_ARGS KERNEL_FILE KERNEL_TARGET SCRIPT...): NAME.iso with KERNEL_FILE as
# /boot/kernel.elf, the scripts in /boot/scripts.tar and a one-entry grub.cfg (iso/grub.cfg.in).
function(vmxlab_iso name kernel_args kernel_file kernel_target)
    set(dir "${CMAKE_BINARY_DIR}/iso-${name}")
    set(staging "${CMAKE_BINARY_DIR}/iso-${name}.scripts")
    set(names "")
    foreach(s ${ARGN})
        get_filename_component(n "${s}" NAME)
        list(APPEND names "${n}")
    endforeach()
    add_custom_command(
        OUTPUT "${CMAKE_BINARY_DIR}/${name}.iso"
        COMMAND ${CMAKE_COMMAND} -E rm -rf "${dir}" "${staging}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}/boot/grub" "${staging}"
        COMMAND objcopy --strip-debug ${kernel_file} "${dir}/boot/kernel.elf"
        COMMAND ${CMAKE_COMMAND} -E copy ${ARGN} "${staging}/"
        # Reproducible archive: fixed owner and time, names in the order given.
        COMMAND tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@0
                -cf "${dir}/boot/scripts.tar" -C "${staging}" ${names}
        COMMAND ${CMAKE_COMMAND} -DTEMPLATE=${CMAKE_SOURCE_DIR}/iso/grub.cfg.in
                -DOUT=${dir}/boot/grub/grub.cfg -DKERNEL_ARGS=${kernel_args}
                -P ${CMAKE_SOURCE_DIR}/cmake/grub_cfg.cmake
        COMMAND grub-mkrescue -o "${CMAKE_BINARY_DIR}/${name}.iso" "${dir}" 2> "${CMAKE_BINARY_DIR}/${name}-mkrescue.log"
        DEPENDS ${kernel_target} ${ARGN} ${CMAKE_SOURCE_DIR}/iso/grub.cfg.in ${CMAKE_SOURCE_DIR}/cmake/grub_cfg.cmake
        VERBATIM)
endfunction()
vmxlab_iso(vmxlab "" $<TARGET_FILE:kernel.elf> kernel.elf ${USER_SCRIPTS})
vmxlab_iso(vmxlab-test "batch test" $<TARGET_FILE:kernel.elf> kernel.elf ${USER_SCRIPTS} ${TEST_SCRIPTS})
add_custom_target(iso ALL DEPENDS "${CMAKE_BINARY_DIR}/vmxlab.iso" "${CMAKE_BINARY_DIR}/vmxlab-test.iso")

# The boot-time yardstick for ./vmxlab bench: the floor a user would compare with. GRUB with a
# minimal grub.cfg (one entry, no modules, no serial lines) boots a tiny multiboot2 kernel that
# prints one line on COM1 (tools/bench/floor.asm).
set(floor_dir "${CMAKE_BINARY_DIR}/iso-floor")
add_custom_command(
    OUTPUT "${CMAKE_BINARY_DIR}/floor.iso"
    COMMAND nasm -f elf32 -o "${CMAKE_BINARY_DIR}/floor.o" "${CMAKE_SOURCE_DIR}/tools/bench/floor.asm"
    COMMAND ld -m elf_i386 -nostdlib -T "${CMAKE_SOURCE_DIR}/tools/bench/floor.ld" -o "${CMAKE_BINARY_DIR}/floor.elf" "${CMAKE_BINARY_DIR}/floor.o"
    COMMAND ${CMAKE_COMMAND} -E rm -rf "${floor_dir}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${floor_dir}/boot/grub"
    COMMAND ${CMAKE_COMMAND} -E copy "${CMAKE_BINARY_DIR}/floor.elf" "${floor_dir}/boot/floor.elf"
    COMMAND ${CMAKE_COMMAND} -E copy "${CMAKE_SOURCE_DIR}/tools/bench/floor-grub.cfg" "${floor_dir}/boot/grub/grub.cfg"
    COMMAND grub-mkrescue -o "${CMAKE_BINARY_DIR}/floor.iso" "${floor_dir}" 2> "${CMAKE_BINARY_DIR}/floor-mkrescue.log"
    DEPENDS "${CMAKE_SOURCE_DIR}/tools/bench/floor.asm" "${CMAKE_SOURCE_DIR}/tools/bench/floor.ld"
            "${CMAKE_SOURCE_DIR}/tools/bench/floor-grub.cfg"
    VERBATIM)
add_custom_target(bench_images DEPENDS "${CMAKE_BINARY_DIR}/floor.iso" iso)
