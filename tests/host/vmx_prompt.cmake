# Host tests for the prompt's diagnostics (checker-prompt): field support without probing,
# INVEPT/INVVPID operands, control words named bit by bit.
set(HOST_TEST_SOURCES ${HOST_TEST_SOURCES}
    ${CMAKE_CURRENT_SOURCE_DIR}/test_vmx_prompt_diag.cpp
    ${CMAKE_SOURCE_DIR}/vmx/field_support.cpp
    ${CMAKE_SOURCE_DIR}/vmx/entry_explain.cpp
    ${CMAKE_SOURCE_DIR}/vmx/field_decode.cpp)
