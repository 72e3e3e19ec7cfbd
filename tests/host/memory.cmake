# Boot information, page allocator, heap, boot-module registry and memory_init.
# The heap benchmark is a disabled test: host_tests --gtest_also_run_disabled_tests --gtest_filter='*Bench*'
set(HOST_TEST_SOURCES ${HOST_TEST_SOURCES}
    ${CMAKE_CURRENT_SOURCE_DIR}/test_boot_info.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_page_alloc.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_heap.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_heap_bench.cpp
    ${CMAKE_SOURCE_DIR}/kernel/boot_info.cpp
    ${CMAKE_SOURCE_DIR}/kernel/page_alloc.cpp
    ${CMAKE_SOURCE_DIR}/kernel/heap.cpp
    ${CMAKE_SOURCE_DIR}/kernel/heap_core.cpp
    ${CMAKE_SOURCE_DIR}/kernel/heap_small.cpp
    ${CMAKE_SOURCE_DIR}/kernel/heap_tlsf.cpp
    ${CMAKE_SOURCE_DIR}/kernel/modules.cpp
    ${CMAKE_SOURCE_DIR}/kernel/modules_tar.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_modules_tar.cpp
    ${CMAKE_SOURCE_DIR}/kernel/memory.cpp)
