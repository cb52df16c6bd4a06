# Build-time CTF: C type headers compiled with gcc -gctf and linked by libctf into one CTF archive
# shaped like an illumos kernel's types (a parent module and child modules), then embedded.
#
# mdbsim_add_ctf_archive(<name>
#     PARENT <module> <source.c>
#     [CHILD <module> <source.c>]...
#     [INCLUDES <dir>...] [DEFINITIONS <def>...])
#   Compiles each source with -gctf (every type it declares, used or not), links the results with
#   mdbsim-ctfgen (multi-dimensional arrays in C order whatever the compiler's habit) into
#   ${CMAKE_CURRENT_BINARY_DIR}/ctf/<name>.ctf, and defines:
#     target <name>_ctf                   building it
#     variable <name>_CTF_FILE            its path (in the caller's scope)
#     variable <name>_CTF_SOURCE          a generated C++ file defining the archive's bytes as
#                                         mdbsim_ctf_<name>_data / mdbsim_ctf_<name>_size (extern "C")
#   Each module's child dict is named after the module (the wrapper file is <module>.c).
#   Layout profiles (issue #14) reuse this with their own headers.
function(mdbsim_add_ctf_archive name)
  set(_mods)
  set(_srcs)
  set(_mode "")
  set(_includes)
  set(_defs)
  foreach(a IN LISTS ARGN)
    if(a STREQUAL "PARENT" OR a STREQUAL "CHILD" OR a STREQUAL "INCLUDES" OR a STREQUAL "DEFINITIONS")
      set(_mode ${a})
      set(_want module)
      continue()
    endif()
    if(_mode STREQUAL "PARENT" OR _mode STREQUAL "CHILD")
      if(_want STREQUAL "module")
        list(APPEND _mods ${a})
        set(_want source)
      else()
        get_filename_component(_abs ${a} ABSOLUTE)
        list(APPEND _srcs ${_abs})
        set(_want module)
      endif()
    elseif(_mode STREQUAL "INCLUDES")
      list(APPEND _includes -I${a})
    elseif(_mode STREQUAL "DEFINITIONS")
      list(APPEND _defs -D${a})
    else()
      message(FATAL_ERROR "mdbsim_add_ctf_archive(${name}): unexpected argument '${a}'")
    endif()
  endforeach()
  list(LENGTH _mods _n)
  if(_n EQUAL 0)
    message(FATAL_ERROR "mdbsim_add_ctf_archive(${name}): needs a PARENT module")
  endif()
  # Only gcc writes CTF: a clang build (the fuzzing builds) still takes its types from gcc.
  if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
    set(_ctf_cc ${CMAKE_C_COMPILER})
  else()
    find_program(MDBSIM_CTF_CC NAMES gcc gcc-12 REQUIRED)
    set(_ctf_cc ${MDBSIM_CTF_CC})
  endif()
  set(_dir ${CMAKE_CURRENT_BINARY_DIR}/ctf/${name})
  file(MAKE_DIRECTORY ${_dir})
  set(_objs)
  set(_linkargs)
  math(EXPR _last "${_n} - 1")
  foreach(i RANGE ${_last})
    list(GET _mods ${i} _m)
    list(GET _srcs ${i} _s)
    # The wrapper's file name becomes the CU name, which names the module's child dict.
    set(_w ${_dir}/${_m}.c)
    file(CONFIGURE OUTPUT ${_w} CONTENT "#include \"${_s}\"\n")
    add_custom_command(OUTPUT ${_dir}/${_m}.o
      COMMAND ${_ctf_cc} -gctf -fno-eliminate-unused-debug-types -D_KERNEL ${_defs} ${_includes}
              -MD -MF ${_dir}/${_m}.d -c ${_w} -o ${_dir}/${_m}.o
      DEPENDS ${_w} ${_s}
      DEPFILE ${_dir}/${_m}.d
      WORKING_DIRECTORY ${_dir}
      COMMENT "CTF of module ${_m} (${name})"
      VERBATIM)
    list(APPEND _objs ${_dir}/${_m}.o)
    list(APPEND _linkargs ${_m} ${_dir}/${_m}.o)
  endforeach()
  # The compiler's nesting of multi-dimensional arrays, measured with the modules' own flags:
  # mdbsim-ctfgen re-nests them in C order when it is gcc's swapped one (docs/decisions.md).
  set(_probe_src ${PROJECT_SOURCE_DIR}/sim/ctf/array_probe.c)
  set(_probe ${_dir}/array_probe.o)
  add_custom_command(OUTPUT ${_probe}
    COMMAND ${_ctf_cc} -gctf -fno-eliminate-unused-debug-types -c ${_probe_src} -o ${_probe}
    DEPENDS ${_probe_src}
    VERBATIM)
  set(_out ${CMAKE_CURRENT_BINARY_DIR}/ctf/${name}.ctf)
  add_custom_command(OUTPUT ${_out}
    COMMAND mdbsim-ctfgen --array-probe ${_probe} ${_out} ${_linkargs}
    DEPENDS mdbsim-ctfgen ${_objs} ${_probe}
    COMMENT "CTF archive ${name}: ${_mods}"
    VERBATIM)
  set(_cpp ${CMAKE_CURRENT_BINARY_DIR}/ctf/${name}_ctf.cpp)
  add_custom_command(OUTPUT ${_cpp}
    COMMAND ${CMAKE_COMMAND} -DIN=${_out} -DOUT=${_cpp} -DSYMBOL=mdbsim_ctf_${name}
            -P ${MDBSIM_CMAKE_DIR}/CtfEmbed.cmake
    DEPENDS ${_out} ${MDBSIM_CMAKE_DIR}/CtfEmbed.cmake
    VERBATIM)
  add_custom_target(${name}_ctf DEPENDS ${_out} ${_cpp})
  set(${name}_CTF_FILE ${_out} PARENT_SCOPE)
  set(${name}_CTF_SOURCE ${_cpp} PARENT_SCOPE)
endfunction()
