cmake_minimum_required(VERSION 3.20)
# Writes grub.cfg from iso/grub.cfg.in (TEMPLATE -> OUT) with the kernel arguments filled in and
# the template's comment lines left out (GRUB would parse them at every boot).
file(STRINGS "${TEMPLATE}" lines)
set(cfg "")
foreach(line IN LISTS lines)
    if(NOT line MATCHES "^#")
        string(REPLACE "@KERNEL_ARGS@" "${KERNEL_ARGS}" line "${line}")
        string(REGEX REPLACE " +$" "" line "${line}")
        string(APPEND cfg "${line}\n")
    endif()
endforeach()
file(WRITE "${OUT}" "${cfg}")
