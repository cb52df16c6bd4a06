# Runs one golden case for mdbsim_add_golden_tests() (mdbsimFunctions.cmake):
#   cmake -DMDBSIM=<program> -DDMOD=<x.so> -DCASE=<case.mdb> [-DSCENARIO=<spec>] [-DIMAGE=<file>]
#         -DWORKDIR=<scratch dir> -P mdbsimGoldenRun.cmake
# Feeds `::load <dmod>` (after `::unload <dmod>` if mdbsim loaded one of that name by itself)
# followed by the case to mdbsim on standard input, with the dmod's folder on
# the module path, and checks the exit status (tst.*/other: 0, err.*: non-zero) and, when
# <case>.out exists, standard output byte for byte.
cmake_minimum_required(VERSION 3.19)

foreach(var MDBSIM DMOD CASE WORKDIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "mdbsimGoldenRun.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT EXISTS "${MDBSIM}")
  message(FATAL_ERROR "FAIL: no mdbsim program at ${MDBSIM}")
endif()
if(NOT EXISTS "${DMOD}")
  message(FATAL_ERROR "FAIL: no dmod at ${DMOD} (was it built?)")
endif()
if(NOT EXISTS "${CASE}")
  message(FATAL_ERROR "FAIL: cannot read ${CASE}")
endif()

get_filename_component(dmod_dir "${DMOD}" DIRECTORY)
get_filename_component(dmod_name "${DMOD}" NAME)
string(REGEX REPLACE "\\.so$" "" dmod_name "${dmod_name}")
get_filename_component(case_dir "${CASE}" DIRECTORY)
get_filename_component(case_name "${CASE}" NAME)

# The target: a header on the case's first line, else what the test was registered with.
file(READ "${CASE}" case_text)
string(REGEX MATCH "^[^\n]*" first_line "${case_text}")
set(target_args)
if(first_line MATCHES "^//[ \t]*scenario:[ \t]*([^ \t]+)")
  set(target_args --scenario "${CMAKE_MATCH_1}")
elseif(first_line MATCHES "^//[ \t]*image:[ \t]*([^ \t]+)")
  get_filename_component(img "${CMAKE_MATCH_1}" ABSOLUTE BASE_DIR "${case_dir}")
  set(target_args "${img}")
elseif(NOT "${IMAGE}" STREQUAL "")
  set(target_args "${IMAGE}")
elseif(NOT "${SCENARIO}" STREQUAL "")
  set(target_args --scenario "${SCENARIO}")
endif()

file(REMOVE_RECURSE "${WORKDIR}")
file(MAKE_DIRECTORY "${WORKDIR}")
# mdbsim loads some dmods by itself (kvm, for a target with kvm state). When one of them has the
# name of the dmod under test, unload it first so that `::load` takes the one from the dmod's
# folder, whatever mdbsim's own choice was.
execute_process(
  COMMAND "${MDBSIM}" -L "${dmod_dir}" ${target_args} -e "::dmods"
  WORKING_DIRECTORY "${WORKDIR}"
  RESULT_VARIABLE probe_status
  OUTPUT_VARIABLE loaded
  ERROR_VARIABLE probe_err)
if(NOT probe_status STREQUAL "0")
  message("FAIL: ${CASE}: mdbsim could not start on this target:\n${probe_err}")
  message(FATAL_ERROR "golden case failed")
endif()
set(prologue "::load ${dmod_name}\n")
string(REGEX REPLACE "[ \t\r]" "" loaded "${loaded}")
string(REGEX REPLACE "\n" ";" loaded "${loaded}")
if("${dmod_name}" IN_LIST loaded)
  set(prologue "::unload ${dmod_name}\n${prologue}")
endif()
file(WRITE "${WORKDIR}/input.mdb" "${prologue}${case_text}")

execute_process(
  COMMAND "${MDBSIM}" -L "${dmod_dir}" ${target_args}
  WORKING_DIRECTORY "${WORKDIR}"
  INPUT_FILE "${WORKDIR}/input.mdb"
  OUTPUT_FILE "${WORKDIR}/stdout"
  ERROR_FILE "${WORKDIR}/stderr"
  RESULT_VARIABLE status)

string(REPLACE ";" " " shown_args "${target_args}")
set(command_line "${MDBSIM} -L ${dmod_dir} ${shown_args} < ${WORKDIR}/input.mdb")
set(failures)
if(case_name MATCHES "^err\\.")
  if(status STREQUAL "0")
    list(APPEND failures "exit status 0, expected non-zero")
  endif()
elseif(NOT status STREQUAL "0")
  list(APPEND failures "exit status ${status}, expected 0")
endif()

if(EXISTS "${CASE}.out")
  execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${CASE}.out" "${WORKDIR}/stdout"
    RESULT_VARIABLE differ OUTPUT_QUIET ERROR_QUIET)
  if(differ)
    list(APPEND failures "standard output differs from ${CASE}.out")
    find_program(diff_program diff)
    if(diff_program)
      execute_process(COMMAND "${diff_program}" -u "${CASE}.out" "${WORKDIR}/stdout")
    else()
      file(READ "${WORKDIR}/stdout" actual)
      message("--- actual standard output ---\n${actual}")
    endif()
  endif()
endif()

if(failures)
  file(READ "${WORKDIR}/stderr" err_text LIMIT 4000)
  if(NOT err_text STREQUAL "")
    message("--- standard error ---\n${err_text}")
  endif()
  string(REPLACE ";" "; " failures "${failures}")
  # A plain message is printed as is (FATAL_ERROR text is re-wrapped); the error only sets the status.
  message("FAIL: ${CASE}: ${failures}\n  command: ${command_line}")
  message(FATAL_ERROR "golden case failed")
endif()
message("PASS: ${CASE}")
