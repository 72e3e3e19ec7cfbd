# The pure part of the kernel's libc glue: stdin's line discipline (kernel/libc/line_edit.c).
set(HOST_TEST_SOURCES ${HOST_TEST_SOURCES}
    ${CMAKE_CURRENT_SOURCE_DIR}/test_libc_line_edit.cpp
    ${CMAKE_SOURCE_DIR}/kernel/libc/line_edit.c)
