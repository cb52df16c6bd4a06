# `cmake --install`: the SDK for other projects (docs/sdk.md).
#
# Included by the top-level CMakeLists.txt after every add_subdirectory(), so the targets below
# exist. Installed layout, relative to the prefix (all paths computed, so the tree is relocatable):
#
#   bin/mdbsim                          launcher: sets the dmod path, runs the real program
#   libexec/mdbsim/mdbsim               the program (RPATH $ORIGIN/../../lib)
#   lib/libmdbsim_{sim,host,fixtures}.so
#   lib/mdbsim/dmods/kvm.so             the dmods we build
#   include/mdbsim-sdk/                 the dmod SDK (sys/, mdb/, vm/, mdbsim/kvm/, mdbsim/target_layout.h, stddef.h)
#   include/mdbsim/{sim,host,fixtures}/ the C++ headers
#   lib/cmake/mdbsim/                   the CMake package: find_package(mdbsim)
#   share/doc/mdbsim/                   docs/sdk.md, docs/porting-a-dmod.md
#
# The SDK headers get their own folder because they include stand-ins for system headers
# (<sys/types.h>, <stddef.h>, ...): installed straight into <prefix>/include they would shadow
# the C library's headers for every program built on the machine.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(MDBSIM_INSTALL_SDK_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR}/mdbsim-sdk)
set(MDBSIM_INSTALL_DMODDIR ${CMAKE_INSTALL_LIBDIR}/mdbsim/dmods)
set(MDBSIM_INSTALL_LIBEXECDIR ${CMAKE_INSTALL_LIBEXECDIR}/mdbsim)
set(MDBSIM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/mdbsim)

foreach(dir MDBSIM_INSTALL_SDK_INCLUDEDIR MDBSIM_INSTALL_DMODDIR MDBSIM_INSTALL_LIBEXECDIR
    MDBSIM_INSTALL_CMAKEDIR CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_BINDIR)
  if(IS_ABSOLUTE "${${dir}}")
    message(FATAL_ERROR "mdbsim installs a relocatable tree: ${dir} must be relative to the "
      "prefix, not '${${dir}}'")
  endif()
endforeach()

# ---- headers -----------------------------------------------------------------------------------
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/
  DESTINATION ${MDBSIM_INSTALL_SDK_INCLUDEDIR}
  COMPONENT sdk
  FILES_MATCHING PATTERN "*.h")
foreach(hdrdir sim/include walkers/host/include fixtures/include)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${hdrdir}/
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    COMPONENT dev
    FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
endforeach()

# ---- exported targets --------------------------------------------------------------------------
# The subdirectories give their targets build-tree include paths only; add the installed ones.
# mdbsim_sdk's path is plain (not $<BUILD_INTERFACE>), which install(EXPORT) refuses, so it is
# rewritten here with both forms.
set_property(TARGET mdbsim_sdk PROPERTY INTERFACE_INCLUDE_DIRECTORIES
  "$<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>"
  "$<INSTALL_INTERFACE:${MDBSIM_INSTALL_SDK_INCLUDEDIR}>")
set_property(TARGET mdbsim_sdk PROPERTY EXPORT_NAME sdk)

set(mdbsim_exported_libs)
foreach(lib sim host fixtures)
  if(TARGET mdbsim_${lib})
    list(APPEND mdbsim_exported_libs mdbsim_${lib})
    target_include_directories(mdbsim_${lib} INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    # The public headers use C++20: a consumer linking the library gets it.
    target_compile_features(mdbsim_${lib} INTERFACE cxx_std_20)
    set_target_properties(mdbsim_${lib} PROPERTIES
      EXPORT_NAME ${lib}
      INSTALL_RPATH "$ORIGIN")
  endif()
endforeach()

# The host's public types.hpp includes libctf's header: consumers get GNU libctf too.
set_property(TARGET mdbsim_libctf PROPERTY EXPORT_NAME libctf)
install(TARGETS mdbsim_sdk mdbsim_libctf ${mdbsim_exported_libs}
  EXPORT mdbsimTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(EXPORT mdbsimTargets
  NAMESPACE mdbsim::
  FILE mdbsimTargets.cmake
  DESTINATION ${MDBSIM_INSTALL_CMAKEDIR}
  COMPONENT dev)

# ---- the program and the dmods -----------------------------------------------------------------
if(TARGET mdbsim)
  file(RELATIVE_PATH mdbsim_exe_to_lib
    ${CMAKE_INSTALL_PREFIX}/${MDBSIM_INSTALL_LIBEXECDIR} ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR})
  set_target_properties(mdbsim PROPERTIES INSTALL_RPATH "$ORIGIN/${mdbsim_exe_to_lib}")
  install(TARGETS mdbsim RUNTIME DESTINATION ${MDBSIM_INSTALL_LIBEXECDIR} COMPONENT runtime)

  # bin/mdbsim: puts the installed dmod folder on the module path (MDBSIM_MODPATH, after any
  # folders the caller already set), so ::load and the kvm autoload find the installed dmods
  # wherever the tree was moved to.
  file(RELATIVE_PATH mdbsim_bin_to_exe
    ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR} ${CMAKE_INSTALL_PREFIX}/${MDBSIM_INSTALL_LIBEXECDIR}/mdbsim)
  file(RELATIVE_PATH mdbsim_bin_to_dmods
    ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR} ${CMAKE_INSTALL_PREFIX}/${MDBSIM_INSTALL_DMODDIR})
  set(mdbsim_launcher ${PROJECT_BINARY_DIR}/install/mdbsim)
  file(CONFIGURE OUTPUT ${mdbsim_launcher} @ONLY CONTENT [=[#!/bin/sh
# mdbsim launcher (installed by mdbsim's cmake/Install.cmake): the program itself is in
# @MDBSIM_INSTALL_LIBEXECDIR@; this adds the installed dmods to the module path.
bin=$(dirname "$(readlink -f "$0")") || exit 2
MDBSIM_MODPATH="${MDBSIM_MODPATH:+$MDBSIM_MODPATH:}$bin/@mdbsim_bin_to_dmods@"
export MDBSIM_MODPATH
exec "$bin/@mdbsim_bin_to_exe@" "$@"
]=])
  install(PROGRAMS ${mdbsim_launcher} DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
else()
  message(WARNING "mdbsim: no `mdbsim` target yet; `cmake --install` will not install the program")
endif()

# Our own dmods (not the test dmods that may share MDBSIM_DMOD_DIR).
foreach(dmod kvm)
  if(TARGET ${dmod})
    install(TARGETS ${dmod} LIBRARY DESTINATION ${MDBSIM_INSTALL_DMODDIR} COMPONENT runtime)
  endif()
endforeach()

# ---- the CMake package -------------------------------------------------------------------------
set(mdbsim_pkg_dir ${PROJECT_BINARY_DIR}/install/cmake)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mdbsimConfig.cmake.in
  ${mdbsim_pkg_dir}/mdbsimConfig.cmake
  INSTALL_DESTINATION ${MDBSIM_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_BINDIR CMAKE_INSTALL_LIBDIR MDBSIM_INSTALL_SDK_INCLUDEDIR
    MDBSIM_INSTALL_DMODDIR)
write_basic_package_version_file(${mdbsim_pkg_dir}/mdbsimConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
    ${mdbsim_pkg_dir}/mdbsimConfig.cmake
    ${mdbsim_pkg_dir}/mdbsimConfigVersion.cmake
    ${PROJECT_SOURCE_DIR}/cmake/mdbsimFunctions.cmake
    ${PROJECT_SOURCE_DIR}/cmake/mdbsimGoldenRun.cmake
  DESTINATION ${MDBSIM_INSTALL_CMAKEDIR}
  COMPONENT dev)

foreach(doc sdk.md porting-a-dmod.md)
  install(FILES ${PROJECT_SOURCE_DIR}/docs/${doc} DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT dev)
endforeach()
