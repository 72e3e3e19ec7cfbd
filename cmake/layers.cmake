# The layer rules (docs/architecture.md), enforced by the build: tools/check-layers.sh runs before
# any layer is compiled and fails the build on an #include that crosses a layer the wrong way
# (kernel/ or arch/ including vmx/ or lua_bindings/, vmx/ including lua_bindings/ or Lua, any
# layer including init/). It re-runs whenever a source file of a layer changes.
file(GLOB_RECURSE LAYER_SOURCES CONFIGURE_DEPENDS
    ${CMAKE_SOURCE_DIR}/arch/*.cpp ${CMAKE_SOURCE_DIR}/arch/*.hpp ${CMAKE_SOURCE_DIR}/arch/*.asm
    ${CMAKE_SOURCE_DIR}/kernel/*.cpp ${CMAKE_SOURCE_DIR}/kernel/*.hpp
    ${CMAKE_SOURCE_DIR}/kernel/*.c ${CMAKE_SOURCE_DIR}/kernel/*.h
    ${CMAKE_SOURCE_DIR}/vmx/*.cpp ${CMAKE_SOURCE_DIR}/vmx/*.hpp ${CMAKE_SOURCE_DIR}/vmx/*.asm
    ${CMAKE_SOURCE_DIR}/lua_bindings/*.cpp ${CMAKE_SOURCE_DIR}/lua_bindings/*.hpp ${CMAKE_SOURCE_DIR}/lua_bindings/*.h)
add_custom_command(
    OUTPUT ${CMAKE_BINARY_DIR}/layers.ok
    COMMAND ${CMAKE_SOURCE_DIR}/tools/check-layers.sh ${CMAKE_SOURCE_DIR}
    COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_BINARY_DIR}/layers.ok
    DEPENDS ${LAYER_SOURCES} ${CMAKE_SOURCE_DIR}/tools/check-layers.sh
    COMMENT "Checking the layer rules (tools/check-layers.sh)"
    VERBATIM)
add_custom_target(check_layers ALL DEPENDS ${CMAKE_BINARY_DIR}/layers.ok)
foreach(layer arch kernel vmx lua_bindings init)
    add_dependencies(${layer} check_layers)
endforeach()
