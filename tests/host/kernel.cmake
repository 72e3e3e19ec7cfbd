set(HOST_TEST_SOURCES ${HOST_TEST_SOURCES}
    ${CMAKE_CURRENT_SOURCE_DIR}/test_cmdline.cpp
    ${CMAKE_SOURCE_DIR}/kernel/cmdline.cpp)
