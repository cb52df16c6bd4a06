# mdbsim_add_dmod(name SOURCES a.c ...): a dmod built as illumos builds one, as a shared object
# that sees only the SDK headers and resolves the module API from the host at load time, with
# its own types as CTF (gcc -gctf) so that mdb_ctf_vread can convert into them.
function(mdbsim_add_dmod name)
  cmake_parse_arguments(D "" "" "SOURCES;DEFINITIONS;INCLUDES" ${ARGN})
  add_library(${name} MODULE ${D_SOURCES})
  set_target_properties(${name} PROPERTIES PREFIX "" OUTPUT_NAME ${name}
    LIBRARY_OUTPUT_DIRECTORY ${MDBSIM_DMOD_DIR} UNITY_BUILD OFF)
  target_link_libraries(${name} PRIVATE mdbsim_sdk)
  target_include_directories(${name} PRIVATE ${D_INCLUDES})
  if(D_DEFINITIONS)
    target_compile_definitions(${name} PRIVATE ${D_DEFINITIONS})
  endif()
  target_compile_options(${name} PRIVATE -Wall -Werror)
  mdbsim_direct_binding(${name})  # its calls to its own functions bind directly (CMakeLists.txt)
  # The dmod's own types go into its .so (.ctf section) for mdb_ctf_vread.
  if(CMAKE_C_COMPILER_ID STREQUAL "GNU")  # clang has no CTF output
    target_compile_options(${name} PRIVATE -gctf)
  endif()
endfunction()
