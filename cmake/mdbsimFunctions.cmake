# Functions of the installed mdbsim package (docs/sdk.md). Loaded by mdbsimConfig.cmake; they need
# only the C language in the calling project.
include_guard(GLOBAL)

set(_mdbsim_functions_dir "${CMAKE_CURRENT_LIST_DIR}")

# mdbsim_add_dmod(<name> SOURCES <file>... [DEFINITIONS <def>...] [INCLUDES <dir>...]
#                 [OUTPUT_DIRECTORY <dir>] [NO_WERROR])
#
# Builds <name>.so as illumos builds a dmod: a MODULE library compiled (gnu99 unless the project
# chose a C standard) against the mdbsim SDK headers with -Wall -Werror, not linked against the
# host: the module API resolves from mdbsim when the dmod is loaded. Compiled with -gctf so that
# its own types (for mdb_ctf_vread) travel in the .so's .ctf section.
function(mdbsim_add_dmod name)
  cmake_parse_arguments(PARSE_ARGV 1 D "NO_WERROR" "OUTPUT_DIRECTORY" "SOURCES;DEFINITIONS;INCLUDES")
  if(D_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "mdbsim_add_dmod(${name}): unknown arguments: ${D_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT D_SOURCES)
    message(FATAL_ERROR "mdbsim_add_dmod(${name}): no SOURCES")
  endif()
  get_property(_langs GLOBAL PROPERTY ENABLED_LANGUAGES)
  if(NOT "C" IN_LIST _langs)
    message(FATAL_ERROR "mdbsim_add_dmod(${name}): the project must enable C (project(<name> C))")
  endif()
  add_library(${name} MODULE ${D_SOURCES})
  set_target_properties(${name} PROPERTIES PREFIX "" SUFFIX ".so" OUTPUT_NAME ${name})
  # -I, not -isystem: the SDK headers are compiled under -Wall -Werror like the dmod, and are
  # searched in the same order as the in-tree build does.
  set_target_properties(${name} PROPERTIES NO_SYSTEM_FROM_IMPORTED ON)
  if(D_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${D_OUTPUT_DIRECTORY})
  endif()
  if(NOT DEFINED CMAKE_C_STANDARD)
    set_target_properties(${name} PROPERTIES C_STANDARD 99 C_EXTENSIONS ON)
  endif()
  target_link_libraries(${name} PRIVATE mdbsim::sdk)
  # The dmod's own types go into its .so (.ctf section): mdb_ctf_vread converts into them.
  if(CMAKE_C_COMPILER_ID STREQUAL "GNU")  # clang has no CTF output
    target_compile_options(${name} PRIVATE -gctf)
  endif()
  if(D_INCLUDES)
    target_include_directories(${name} PRIVATE ${D_INCLUDES})
  endif()
  if(D_DEFINITIONS)
    target_compile_definitions(${name} PRIVATE ${D_DEFINITIONS})
  endif()
  target_compile_options(${name} PRIVATE -Wall)
  if(NOT D_NO_WERROR)
    target_compile_options(${name} PRIVATE -Werror)
  endif()
endfunction()

# mdbsim_add_golden_tests(<dmod> DIR <dir> [SCENARIO <spec>] [IMAGE <file>] [PREFIX <name>]
#                         [MDBSIM <program>] [TIMEOUT <seconds>] [LABELS <label>...])
#
# One CTest test per *.mdb file in <dir> (not recursive), named <PREFIX>/<file> (PREFIX defaults
# to <dmod>). Each runs the installed mdbsim with the folder of <dmod> on its module path
# (-L) and `::load <dmod>` in front of the file's lines, the file on standard input. <dmod> is a
# target made by mdbsim_add_dmod() or the path of a prebuilt .so. If mdbsim loads a module of that
# name by itself (kvm on a target with kvm state), it is unloaded first: the case always runs the
# dmod under test.
#
# A case passes when mdbsim exits 0 (files named err.* : non-zero) and, when <case>.out exists,
# its standard output equals <case>.out byte for byte. Standard error is not compared.
#
# The target each case runs on, first match wins:
#   - a first line `// scenario: NAME[,key=value...]`  -> --scenario NAME...
#   - a first line `// image: FILE` (relative to the case's folder) -> FILE as the target operand
#   - IMAGE <file> given here, else SCENARIO <spec> given here, else mdbsim's default scenario.
function(mdbsim_add_golden_tests dmod)
  cmake_parse_arguments(PARSE_ARGV 1 G "" "DIR;SCENARIO;IMAGE;PREFIX;MDBSIM;TIMEOUT" "LABELS")
  if(G_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "mdbsim_add_golden_tests(${dmod}): unknown arguments: ${G_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT G_DIR)
    message(FATAL_ERROR "mdbsim_add_golden_tests(${dmod}): DIR is required")
  endif()
  if(G_SCENARIO AND G_IMAGE)
    message(FATAL_ERROR "mdbsim_add_golden_tests(${dmod}): give SCENARIO or IMAGE, not both")
  endif()
  get_filename_component(dir "${G_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "mdbsim_add_golden_tests(${dmod}): no folder ${dir}")
  endif()

  if(TARGET ${dmod})
    set(dmod_file "$<TARGET_FILE:${dmod}>")
  else()
    get_filename_component(dmod_file "${dmod}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT dmod_file MATCHES "\\.so$" OR NOT EXISTS "${dmod_file}")
      message(FATAL_ERROR "mdbsim_add_golden_tests(${dmod}): neither a target nor an existing .so file")
    endif()
  endif()

  if(G_MDBSIM)
    set(program "${G_MDBSIM}")
  elseif(TARGET mdbsim::mdbsim)
    set(program "$<TARGET_FILE:mdbsim::mdbsim>")
  elseif(TARGET mdbsim)
    set(program "$<TARGET_FILE:mdbsim>")  # inside mdbsim's own build
  else()
    message(FATAL_ERROR "mdbsim_add_golden_tests(${dmod}): no mdbsim program (give MDBSIM <path>)")
  endif()

  set(image "")
  if(G_IMAGE)
    if(TARGET ${G_IMAGE})
      message(FATAL_ERROR "mdbsim_add_golden_tests(${dmod}): IMAGE is a file, not a target")
    endif()
    get_filename_component(image "${G_IMAGE}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  if(NOT G_PREFIX)
    get_filename_component(G_PREFIX "${dmod}" NAME_WE)
  endif()
  if(NOT G_TIMEOUT)
    set(G_TIMEOUT 60)
  endif()

  file(GLOB cases CONFIGURE_DEPENDS "${dir}/*.mdb")
  list(SORT cases)
  if(NOT cases)
    message(WARNING "mdbsim_add_golden_tests(${dmod}): no .mdb files in ${dir}")
  endif()
  foreach(c IN LISTS cases)
    get_filename_component(cname "${c}" NAME)
    set(test "${G_PREFIX}/${cname}")
    add_test(NAME "${test}"
      COMMAND "${CMAKE_COMMAND}"
        "-DMDBSIM=${program}"
        "-DDMOD=${dmod_file}"
        "-DCASE=${c}"
        "-DSCENARIO=${G_SCENARIO}"
        "-DIMAGE=${image}"
        "-DWORKDIR=${CMAKE_CURRENT_BINARY_DIR}/mdbsim-golden/${G_PREFIX}/${cname}"
        -P "${_mdbsim_functions_dir}/mdbsimGoldenRun.cmake")
    set_tests_properties("${test}" PROPERTIES TIMEOUT ${G_TIMEOUT} LABELS "golden;${G_LABELS}")
    set_property(TEST "${test}" APPEND PROPERTY REQUIRED_FILES "${c}")
  endforeach()
endfunction()
