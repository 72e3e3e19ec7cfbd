# The REPL's pure parts: line editor, history, completion, and the chunk rules of lua_bindings/repl.
set(HOST_TEST_SOURCES ${HOST_TEST_SOURCES}
    ${CMAKE_CURRENT_SOURCE_DIR}/test_line_editor.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_line_editor_screen.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_history.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_completion.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/test_repl_text.cpp
    ${CMAKE_SOURCE_DIR}/kernel/line_editor.cpp
    ${CMAKE_SOURCE_DIR}/kernel/line_editor_keys.cpp
    ${CMAKE_SOURCE_DIR}/kernel/history.cpp
    ${CMAKE_SOURCE_DIR}/kernel/completion.cpp)
