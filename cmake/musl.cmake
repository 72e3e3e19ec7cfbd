# musl 1.2.3 (Debian's source package, unpacked by tools/setup.sh) built as the kernel's libc:
# the static library `musl`. See docs/building-libc.md.
#
# Only the parts of src/ that are pure computation are taken: strings, numbers, math, ctype,
# multibyte, time arithmetic and formatting, stdio's buffering/formatting/scanning. Two musl
# headers are shadowed by kernel/libc/musl/ so that nothing can reach the thread pointer (%fs)
# or execute `syscall`; kernel/libc/musl/thread.c is musl's one-thread layer. What musl would get
# from Linux (memory, the console FILEs, files, clocks, exit) is in kernel/libc/*.c,*.cpp, which
# the kernel links as objects, so they always win over the archive.

set(MUSL_PORT "${CMAKE_SOURCE_DIR}/kernel/libc/musl")

# Directories taken whole.
set(MUSL_WHOLE_DIRS ctype errno math multibyte prng stdio stdlib string)

# Files taken from other directories.
set(MUSL_FILES
    exit/assert.c
    internal/floatscan.c internal/intscan.c internal/libc.c internal/shgetc.c
    internal/syscall_ret.c
    locale/__lctrans.c locale/c_locale.c locale/langinfo.c locale/localeconv.c
    locale/strcoll.c locale/strxfrm.c locale/wcscoll.c locale/wcsxfrm.c
    setjmp/longjmp.c setjmp/setjmp.c     # replaced by the x86_64 .s files (see below)
    time/__month_to_secs.c time/__secs_to_tm.c time/__tm_to_secs.c time/__year_to_secs.c
    time/asctime.c time/asctime_r.c time/ctime.c time/ctime_r.c time/difftime.c
    time/gmtime.c time/gmtime_r.c time/strftime.c time/strptime.c time/timegm.c
    time/wcsftime.c)

# stdio members that talk to file descriptors, threads or process exit. kernel/libc/stdio.c
# provides stdin/stdout/stderr, fopen/freopen, remove/rename, tmpfile/tmpnam; the rest are
# simply absent (no popen, no fd-based FILEs).
set(MUSL_STDIO_EXCLUDED
    __fclose_ca __fdopen __fopen_rb_ca __lockfile __stdio_close __stdio_read
    __stdio_seek __stdio_write __stdout_write dprintf flockfile fopen freopen funlockfile
    pclose popen remove rename stderr stdin stdout tempnam tmpfile tmpnam vdprintf)

# musl's rule: src/<dir>/x86_64/<name>.{c,s} replaces src/<dir>/<name>.c.
set(musl_c_sources "")
set(musl_asm_sources "")
function(musl_take generic_file)
    get_filename_component(dir "${generic_file}" DIRECTORY)
    get_filename_component(name "${generic_file}" NAME_WE)
    if(EXISTS "${dir}/x86_64/${name}.s")
        set(musl_asm_sources ${musl_asm_sources} "${dir}/x86_64/${name}.s" PARENT_SCOPE)
    elseif(EXISTS "${dir}/x86_64/${name}.c")
        set(musl_c_sources ${musl_c_sources} "${dir}/x86_64/${name}.c" PARENT_SCOPE)
    else()
        set(musl_c_sources ${musl_c_sources} "${generic_file}" PARENT_SCOPE)
    endif()
endfunction()

set(musl_candidates "")
foreach(d ${MUSL_WHOLE_DIRS})
    file(GLOB files "${MUSL_SRC}/src/${d}/*.c")
    if(d STREQUAL "stdio")
        foreach(x ${MUSL_STDIO_EXCLUDED})
            list(REMOVE_ITEM files "${MUSL_SRC}/src/stdio/${x}.c")
        endforeach()
    endif()
    list(APPEND musl_candidates ${files})
endforeach()
foreach(f ${MUSL_FILES})
    list(APPEND musl_candidates "${MUSL_SRC}/src/${f}")
endforeach()
list(REMOVE_DUPLICATES musl_candidates)
foreach(f ${musl_candidates})
    musl_take("${f}")
endforeach()

# musl's internal headers, after our two shadowing ones (pthread_arch.h, syscall_arch.h). The
# public headers and arch/ come from musl_headers, as for all kernel code.
set(MUSL_PRIVATE_INCLUDES "${MUSL_PORT}" "${MUSL_SRC}/src/include" "${MUSL_SRC}/src/internal")

# The x86_64 .s files are GNU as syntax; the project's assembler language is NASM, so they are
# assembled by the C compiler driver here and added to the archive as objects.
set(musl_asm_objects "")
foreach(s ${musl_asm_sources})
    file(RELATIVE_PATH rel "${MUSL_SRC}/src" "${s}")
    set(o "${CMAKE_CURRENT_BINARY_DIR}/musl/asm/${rel}.o")
    get_filename_component(odir "${o}" DIRECTORY)
    add_custom_command(
        OUTPUT "${o}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${odir}"
        COMMAND ${CMAKE_C_COMPILER} -c -x assembler -g -Wa,--noexecstack -o "${o}" "${s}"
        DEPENDS "${s}"
        COMMENT "Assembling musl src/${rel}"
        VERBATIM)
    list(APPEND musl_asm_objects "${o}")
endforeach()
set_source_files_properties(${musl_asm_objects} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)

add_library(musl STATIC ${musl_c_sources} "${MUSL_PORT}/thread.c" ${musl_asm_objects})
add_dependencies(musl musl_generated_headers)
set_target_properties(musl PROPERTIES LINKER_LANGUAGE C)
target_include_directories(musl BEFORE PRIVATE ${MUSL_PRIVATE_INCLUDES})
target_link_libraries(musl PRIVATE musl_headers)
target_compile_definitions(musl PRIVATE _XOPEN_SOURCE=700)
# Kernel flags (the list kernel_c_flags uses; spelled out so that what follows comes after it),
# then as musl's configure: C99, no builtins, rounding-mode-correct math; -w because
# third-party warnings are not ours to fix.
target_compile_options(musl PRIVATE ${VMXLAB_KERNEL_COMMON} -std=c99 -fno-builtin
    -fexcess-precision=standard -frounding-math -w)
# The mem* functions in C must not be turned into calls to themselves (musl's CFLAGS_MEMOPS).
set_source_files_properties(
    "${MUSL_SRC}/src/string/memcmp.c" "${MUSL_SRC}/src/string/memchr.c"
    "${MUSL_SRC}/src/string/memccpy.c" "${MUSL_SRC}/src/string/mempcpy.c"
    "${MUSL_SRC}/src/string/memrchr.c" "${MUSL_SRC}/src/string/bzero.c"
    "${MUSL_SRC}/src/string/explicit_bzero.c" "${MUSL_SRC}/src/string/bcopy.c"
    PROPERTIES COMPILE_OPTIONS "-fno-tree-loop-distribute-patterns")

# Build-time guard: no member of the archive may execute `syscall` or touch %fs.
add_custom_command(TARGET musl POST_BUILD
    COMMAND "${CMAKE_SOURCE_DIR}/tools/check-kernel-elf.sh" "$<TARGET_FILE:musl>"
    VERBATIM)
