# Host tests for the pure VMX knowledge in vmx/ (field catalogue, errors, exit reasons, decoders,
# capability MSRs). Only the hardware-free sources of vmx/ are listed here.
set(HOST_TEST_SOURCES ${HOST_TEST_SOURCES}
    ${CMAKE_CURRENT_SOURCE_DIR}/test_vmx_text.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_vmx_fields.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_vmx_errors.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_vmx_exit_reasons.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_vmx_decoders.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_vmx_controls.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_vmx_caps.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_vmx_guest_exception.cpp
    ${CMAKE_SOURCE_DIR}/vmx/text.cpp
    ${CMAKE_SOURCE_DIR}/vmx/fields.cpp
    ${CMAKE_SOURCE_DIR}/vmx/encoding.cpp
    ${CMAKE_SOURCE_DIR}/vmx/errors.cpp
    ${CMAKE_SOURCE_DIR}/vmx/exit_reasons.cpp
    ${CMAKE_SOURCE_DIR}/vmx/exit_qual.cpp
    ${CMAKE_SOURCE_DIR}/vmx/intr_info.cpp
    ${CMAKE_SOURCE_DIR}/vmx/access_rights.cpp
    ${CMAKE_SOURCE_DIR}/vmx/controls.cpp
    ${CMAKE_SOURCE_DIR}/vmx/caps.cpp
    ${CMAKE_SOURCE_DIR}/vmx/caps_format.cpp
    ${CMAKE_SOURCE_DIR}/vmx/guest_exception.cpp)
