# Host tests of the VM-entry checker (vmx/entry_check*): every rule, on valid and minimally broken
# snapshots built from Bochs's capability MSRs.
file(GLOB ENTRY_CHECK_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/test_entry_check*.cpp)
file(GLOB ENTRY_CHECK_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/vmx/entry_check*.cpp)
set(HOST_TEST_SOURCES ${HOST_TEST_SOURCES} ${ENTRY_CHECK_TESTS} ${ENTRY_CHECK_SOURCES})
# The docs test reads docs/entry-checks.md from the source tree.
set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/test_entry_check_docs.cpp PROPERTIES
    COMPILE_DEFINITIONS "VMXLAB_DOCS_DIR=\"${CMAKE_SOURCE_DIR}/docs\"")
