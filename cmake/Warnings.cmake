# Warnings on for our own code; -Werror is left to CI's choice (MDBSIM_WERROR).
option(MDBSIM_WERROR "Treat warnings as errors" OFF)
set(MDBSIM_WARNINGS -Wall -Wextra -Wno-unused-parameter)
if(MDBSIM_WERROR)
  list(APPEND MDBSIM_WARNINGS -Werror)
endif()
function(mdbsim_warnings target)
  target_compile_options(${target} PRIVATE ${MDBSIM_WARNINGS})
endfunction()
