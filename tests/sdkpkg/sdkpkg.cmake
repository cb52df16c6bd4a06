# sdkpkg test driver (see CMakeLists.txt here):
#   cmake -DBUILD_DIR=<mdbsim build> -DSOURCE_DIR=<mdbsim source> -DWORK=<scratch>
#         [-DGENERATOR=...] [-DC_COMPILER=...] [-DCXX_COMPILER=...] [-DCONFIG=...]
#         [-DILLUMOS_KVM=<illumos-kvm checkout>] [-DSANITIZE=ON] -P sdkpkg.cmake
cmake_minimum_required(VERSION 3.25)

foreach(var BUILD_DIR SOURCE_DIR WORK)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "sdkpkg.cmake: -D${var}=... is required")
  endif()
endforeach()

set(stage ${WORK}/stage)
set(prefix ${WORK}/prefix)
set(examples ${WORK}/examples)

set(gen_args)
if(GENERATOR)
  list(APPEND gen_args -G "${GENERATOR}")
endif()
if(C_COMPILER)
  list(APPEND gen_args "-DCMAKE_C_COMPILER=${C_COMPILER}")
endif()
set(cxx_args)
if(CXX_COMPILER)
  list(APPEND cxx_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
# In a sanitizer build the installed libraries need the sanitizer runtime loaded first: a C++
# program linking them must be built with the same flags (dmods, loaded by mdbsim, need not).
if(SANITIZE)
  list(APPEND cxx_args "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined"
    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
endif()
set(config_args)
if(CONFIG)
  list(APPEND config_args --config "${CONFIG}")
endif()

# step(<what> [EXPECT_FAIL] [EXPECT <regex>] COMMAND ...): runs a command, prints its output,
# and ends the test when the outcome is not the expected one. Sets step_output in the caller.
function(step what)
  cmake_parse_arguments(PARSE_ARGV 1 S "EXPECT_FAIL" "EXPECT;WORKING_DIRECTORY" "COMMAND")
  message(STATUS "sdkpkg: ${what}")
  set(wd "${WORK}")
  if(S_WORKING_DIRECTORY)
    set(wd "${S_WORKING_DIRECTORY}")
  endif()
  execute_process(COMMAND ${S_COMMAND}
    WORKING_DIRECTORY "${wd}"
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE out)
  string(REPLACE ";" " " shown "${S_COMMAND}")
  if(S_EXPECT_FAIL)
    if(rc STREQUAL "0")
      message("${out}")
      message(FATAL_ERROR "sdkpkg: ${what}: succeeded, but it must fail\n  command: ${shown}")
    endif()
  elseif(NOT rc STREQUAL "0")
    message("${out}")
    message(FATAL_ERROR "sdkpkg: ${what}: failed (${rc})\n  command: ${shown}")
  endif()
  if(S_EXPECT AND NOT out MATCHES "${S_EXPECT}")
    message("${out}")
    message(FATAL_ERROR "sdkpkg: ${what}: output does not match '${S_EXPECT}'\n  command: ${shown}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# 1. Install, then move the tree: nothing may depend on where it was installed.
step("install into ${stage}"
  COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${stage}" ${config_args})
file(RENAME "${stage}" "${prefix}")

set(expected
  bin/mdbsim
  include/mdbsim-sdk/sys/mdb_modapi.h
  include/mdbsim-sdk/mdb/mdb_modapi.h
  include/mdbsim-sdk/mdb/mdb_ks.h
  include/mdbsim-sdk/vm/page.h
  include/mdbsim-sdk/mdbsim/kvm/vm.h
  include/mdbsim/sim/builders.hpp
  include/mdbsim/sim/target.hpp
  include/mdbsim/host/session.hpp
  include/mdbsim/fixtures/scenarios.hpp
  lib/mdbsim/dmods/kvm.so
  lib/cmake/mdbsim/mdbsimConfig.cmake
  lib/cmake/mdbsim/mdbsimConfigVersion.cmake
  lib/cmake/mdbsim/mdbsimTargets.cmake
  lib/cmake/mdbsim/mdbsimFunctions.cmake
  lib/cmake/mdbsim/mdbsimGoldenRun.cmake)
foreach(f IN LISTS expected)
  # GNUInstallDirs may pick lib64 or a multiarch folder for libraries.
  string(REPLACE "lib/" "lib*/" pattern "${f}")
  file(GLOB found "${prefix}/${pattern}")
  if(NOT found)
    message(FATAL_ERROR "sdkpkg: the install has no ${f}")
  endif()
endforeach()
file(GLOB_RECURSE libs "${prefix}/lib*/libmdbsim_sim.so*")
if(NOT libs)
  message(FATAL_ERROR "sdkpkg: the install has no libmdbsim_sim.so")
endif()
# The SDK's stand-ins for system headers must not land where every program would see them.
foreach(f sys/types.h stddef.h sys/mdb_modapi.h)
  if(EXISTS "${prefix}/include/${f}")
    message(FATAL_ERROR "sdkpkg: ${f} was installed into include/ itself")
  endif()
endforeach()
# The package files must not name the build, source or staging folders.
file(GLOB_RECURSE pkg_files "${prefix}/lib*/cmake/mdbsim/*.cmake")
foreach(f IN LISTS pkg_files)
  file(READ "${f}" text)
  foreach(dir "${BUILD_DIR}" "${SOURCE_DIR}" "${stage}")
    string(FIND "${text}" "${dir}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "sdkpkg: ${f} names ${dir}: the package is not relocatable")
    endif()
  endforeach()
endforeach()

# 2. The installed program runs, finds its libraries (RPATH) and loads the installed kvm dmod
#    (the shell escape's parent is mdbsim: its mappings show which kvm.so it loaded).
step("installed mdbsim walks kvm state"
  COMMAND "${prefix}/bin/mdbsim" -e "::walk kvm ! wc -l"
  EXPECT "^[ \t]*3[ \t]*\n$")
string(REGEX REPLACE "([][+.*()^$?|\\])" "\\\\\\1" prefix_re "${prefix}")
step("installed mdbsim loads the installed kvm.so"
  COMMAND "${prefix}/bin/mdbsim" -e "!grep -o '/.*kvm[.]so' /proc/$PPID/maps | sort -u"
  EXPECT "^${prefix_re}/lib[^\n]*/mdbsim/dmods/kvm[.]so\n$")

# 3. The hello example, a C-only project, against the moved prefix.
file(COPY "${SOURCE_DIR}/examples/" DESTINATION "${examples}")
set(hello_build ${WORK}/hello-build)
step("configure examples/hello-dmod"
  COMMAND "${CMAKE_COMMAND}" -S "${examples}/hello-dmod" -B "${hello_build}" ${gen_args}
    "-DCMAKE_PREFIX_PATH=${prefix}")
step("build examples/hello-dmod"
  COMMAND "${CMAKE_COMMAND}" --build "${hello_build}" ${config_args})
if(NOT EXISTS "${hello_build}/hello.so")
  message(FATAL_ERROR "sdkpkg: the example built no hello.so")
endif()
file(GLOB hello_cases "${examples}/hello-dmod/tests/*.mdb")
list(LENGTH hello_cases ncases)
step("test examples/hello-dmod (${ncases} golden cases)"
  COMMAND "${CMAKE_CTEST_COMMAND}" --test-dir "${hello_build}" --output-on-failure ${config_args}
  EXPECT "100% tests passed, 0 tests failed out of ${ncases}\n")
message("${step_output}")

# 3b. The mdb_ctf_vread example: its types travel in its .so (-gctf), the target's in mdbsim.
set(ctf_build ${WORK}/ctf-vread-build)
step("configure examples/ctf-vread"
  COMMAND "${CMAKE_COMMAND}" -S "${examples}/ctf-vread" -B "${ctf_build}" ${gen_args}
    "-DCMAKE_PREFIX_PATH=${prefix}")
step("build examples/ctf-vread"
  COMMAND "${CMAKE_COMMAND}" --build "${ctf_build}" ${config_args})
file(GLOB ctf_cases "${examples}/ctf-vread/tests/*.mdb")
list(LENGTH ctf_cases ncases)
step("test examples/ctf-vread (${ncases} golden cases)"
  COMMAND "${CMAKE_CTEST_COMMAND}" --test-dir "${ctf_build}" --output-on-failure ${config_args}
  EXPECT "100% tests passed, 0 tests failed out of ${ncases}\n")
message("${step_output}")

# 4. The golden runner can fail: a changed expected output must fail exactly that case.
file(APPEND "${examples}/hello-dmod/tests/tst.hello.mdb.out" "a line mdbsim does not print\n")
step("a wrong .out fails its case"
  EXPECT_FAIL
  EXPECT "standard output differs from [^\n]*tst[.]hello[.]mdb[.]out"
  COMMAND "${CMAKE_CTEST_COMMAND}" --test-dir "${hello_build}" --output-on-failure ${config_args}
    -R "^hello/tst[.]hello[.]mdb$")

# 5. Dmods build with -Werror: a warning fails the build.
step("a dmod with a warning does not build"
  COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}/tests/sdkpkg/werror" -B "${WORK}/werror-build"
    ${gen_args} "-DCMAKE_PREFIX_PATH=${prefix}")
step("build tests/sdkpkg/werror"
  EXPECT_FAIL
  EXPECT "unused variable"
  COMMAND "${CMAKE_COMMAND}" --build "${WORK}/werror-build" ${config_args})

# 6. The C++ builder API: a target of our own saved as an image, tested with the hello dmod.
set(custom_build ${WORK}/custom-build)
step("configure examples/custom-target"
  COMMAND "${CMAKE_COMMAND}" -S "${examples}/custom-target" -B "${custom_build}" ${gen_args}
    ${cxx_args} "-DCMAKE_PREFIX_PATH=${prefix}")
step("build examples/custom-target"
  COMMAND "${CMAKE_COMMAND}" --build "${custom_build}" ${config_args})
file(GLOB_RECURSE custom_cases "${examples}/custom-target/tests/*.mdb")
list(LENGTH custom_cases ncases)
step("test examples/custom-target (${ncases} golden cases)"
  COMMAND "${CMAKE_CTEST_COMMAND}" --test-dir "${custom_build}" --output-on-failure ${config_args}
  EXPECT "100% tests passed, 0 tests failed out of ${ncases}\n")
message("${step_output}")

# 7. With an illumos-kvm checkout (-DMDBSIM_ILLUMOS_KVM): the original kvm dmod, unchanged, as
#    docs/porting-a-dmod.md ports it; its expected outputs come from mdbsim's own kvm dmod.
if(ILLUMOS_KVM)
  set(orig_build ${WORK}/original-kvm-build)
  step("configure examples/original-kvm"
    COMMAND "${CMAKE_COMMAND}" -S "${examples}/original-kvm" -B "${orig_build}" ${gen_args}
      "-DCMAKE_PREFIX_PATH=${prefix}" "-DILLUMOS_KVM=${ILLUMOS_KVM}")
  step("build examples/original-kvm"
    COMMAND "${CMAKE_COMMAND}" --build "${orig_build}" ${config_args})
  file(GLOB orig_cases "${examples}/original-kvm/tests/*.mdb")
  list(LENGTH orig_cases ncases)
  step("test examples/original-kvm (${ncases} golden cases)"
    COMMAND "${CMAKE_CTEST_COMMAND}" --test-dir "${orig_build}" --output-on-failure ${config_args}
    EXPECT "100% tests passed, 0 tests failed out of ${ncases}\n")
  message("${step_output}")
else()
  message(STATUS "sdkpkg: examples/original-kvm not built (no -DMDBSIM_ILLUMOS_KVM checkout)")
endif()

message(STATUS "sdkpkg: all steps passed")
