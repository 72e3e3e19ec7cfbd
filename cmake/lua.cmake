# Lua 5.4.4 (Debian's source package with its CVE fixes, unpacked by tools/setup.sh) for the
# kernel: the static library `lua` and the interface target `lua_headers`.
# See docs/building-libc.md.
#
# Everything in src/ except the stand-alone programs (lua.c, luac.c) and linit.c: the kernel's
# REPL opens the libraries it wants. Lua is compiled as C so that its errors are longjmps.
# Kernel configuration is lua_bindings/luaconf_kernel.h, which lua.h includes after luaconf.h
# through Lua's own LUA_USER_H hook; the third-party files are not edited.

# vmxlab's patches to Lua (tools/patches/lua-*.patch, docs/building-libc.md) are applied by
# tools/setup.sh, which records the patch set in third_party/.lua-patches.ok as `sha256sum`
# prints it. A tree unpacked before a patch was added or changed must be refreshed first.
file(GLOB LUA_PATCHES CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/tools/patches/lua-*.patch")
list(SORT LUA_PATCHES)
set(lua_patch_set "")
foreach(patch ${LUA_PATCHES})
    file(SHA256 "${patch}" hash)
    get_filename_component(patch_name "${patch}" NAME)
    string(APPEND lua_patch_set "${hash}  ${patch_name}\n")
endforeach()
set(lua_patch_stamp "${VMXLAB_THIRD_PARTY}/.lua-patches.ok")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${LUA_PATCHES} "${lua_patch_stamp}")
set(lua_patched_with "")
if(EXISTS "${lua_patch_stamp}")
    file(READ "${lua_patch_stamp}" lua_patched_with)
endif()
if(NOT lua_patched_with STREQUAL lua_patch_set)
    message(FATAL_ERROR "third_party/lua does not carry vmxlab's current Lua patches "
                        "(tools/patches/lua-*.patch): run ./vmxlab setup (or tools/setup.sh) to refresh it")
endif()

# What every user of Lua's headers must see exactly as Lua was built (LUAI_MAXSTACK decides
# LUA_REGISTRYINDEX; LUA_COMPAT_5_3 changes lua.h's macros, as in Debian's lua5.4).
add_library(lua_headers INTERFACE)
target_include_directories(lua_headers SYSTEM INTERFACE "${LUA_SRC}/src")
target_include_directories(lua_headers INTERFACE "${CMAKE_SOURCE_DIR}")
target_compile_definitions(lua_headers INTERFACE
    LUA_COMPAT_5_3 "LUA_USER_H=\"lua_bindings/luaconf_kernel.h\"")

file(GLOB LUA_LIB_SOURCES "${LUA_SRC}/src/*.c")
list(REMOVE_ITEM LUA_LIB_SOURCES
    "${LUA_SRC}/src/lua.c" "${LUA_SRC}/src/luac.c" "${LUA_SRC}/src/linit.c")

add_library(lua STATIC ${LUA_LIB_SOURCES})
set_target_properties(lua PROPERTIES LINKER_LANGUAGE C)
target_link_libraries(lua PUBLIC lua_headers musl PRIVATE musl_headers)
add_dependencies(lua musl_generated_headers)
# Kernel flags (the list kernel_c_flags uses, spelled out so that what follows comes after it).
# -fbuiltin undoes the -fno-builtin that -ffreestanding implies: Lua is ordinary C over a full
# libc, and GCC inlining memcpy/strlen/floor-style calls is part of matching a hosted lua5.4.
target_compile_options(lua PRIVATE ${VMXLAB_KERNEL_COMMON} -std=gnu11 -fbuiltin)

add_custom_command(TARGET lua POST_BUILD
    COMMAND "${CMAKE_SOURCE_DIR}/tools/check-kernel-elf.sh" "$<TARGET_FILE:lua>"
    VERBATIM)
