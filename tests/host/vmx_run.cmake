# Host tests for the pure parts of the VMX run-time side: the lifecycle tracker, the likely-cause
# explanations of failed VMX instructions.
set(HOST_TEST_SOURCES ${HOST_TEST_SOURCES}
    ${CMAKE_CURRENT_SOURCE_DIR}/vmx_run_tracker.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/vmx_run_diagnose.cpp
    ${CMAKE_SOURCE_DIR}/vmx/tracker.cpp
    ${CMAKE_SOURCE_DIR}/vmx/diagnose.cpp)
