# Lua 5.4 and musl come from Debian's source packages (tools/setup.sh unpacks them into
# third_party/). Nothing of theirs is in this repository; this file only says how to build them.
set(MUSL_SRC "${VMXLAB_THIRD_PARTY}/musl")
set(LUA_SRC  "${VMXLAB_THIRD_PARTY}/lua")
if(NOT EXISTS "${MUSL_SRC}/src" OR NOT EXISTS "${LUA_SRC}/src/lua.h")
    message(FATAL_ERROR "Lua/musl sources missing in ${VMXLAB_THIRD_PARTY}: run ./vmxlab setup")
endif()

# musl's generated headers (as its Makefile makes them: obj/include/bits/*.h).
set(MUSL_GEN "${CMAKE_BINARY_DIR}/musl/include")
add_custom_command(
    OUTPUT "${MUSL_GEN}/bits/alltypes.h" "${MUSL_GEN}/bits/syscall.h"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${MUSL_GEN}/bits"
    COMMAND sed -f "${MUSL_SRC}/tools/mkalltypes.sed" "${MUSL_SRC}/arch/x86_64/bits/alltypes.h.in"
            "${MUSL_SRC}/include/alltypes.h.in" > "${MUSL_GEN}/bits/alltypes.h"
    COMMAND cp "${MUSL_SRC}/arch/x86_64/bits/syscall.h.in" "${MUSL_GEN}/bits/syscall.h"
    COMMAND sed -n -e "s/__NR_/SYS_/p" < "${MUSL_SRC}/arch/x86_64/bits/syscall.h.in" >> "${MUSL_GEN}/bits/syscall.h"
    DEPENDS "${MUSL_SRC}/tools/mkalltypes.sed"
    VERBATIM)
add_custom_target(musl_generated_headers DEPENDS "${MUSL_GEN}/bits/alltypes.h" "${MUSL_GEN}/bits/syscall.h")

# Public libc headers for all kernel code: musl's, never the host's.
add_library(musl_headers INTERFACE)
add_dependencies(musl_headers musl_generated_headers)
target_compile_options(musl_headers INTERFACE $<$<COMPILE_LANGUAGE:C,CXX>:-nostdinc>)
target_include_directories(musl_headers SYSTEM INTERFACE
    "${MUSL_SRC}/arch/x86_64" "${MUSL_SRC}/arch/generic" "${MUSL_GEN}" "${MUSL_SRC}/include")
target_link_libraries(kernel_flags INTERFACE musl_headers)
target_link_libraries(kernel_c_flags INTERFACE musl_headers)

include(cmake/musl.cmake)
include(cmake/lua.cmake)
