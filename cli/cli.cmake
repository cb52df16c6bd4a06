# The mdbsim program, in the build root so tests and scripts find it at <build>/mdbsim.
add_executable(mdbsim ${CMAKE_CURRENT_LIST_DIR}/main.cpp)
target_link_libraries(mdbsim PRIVATE mdbsim_host mdbsim_sim edit)
if(TARGET mdbsim_fixtures)
  target_link_libraries(mdbsim PRIVATE mdbsim_fixtures)
  target_compile_definitions(mdbsim PRIVATE MDBSIM_HAVE_FIXTURES=1)
endif()
set_target_properties(mdbsim PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
mdbsim_warnings(mdbsim)
# Targets with kvm state autoload the kvm dmod from the module path: build it with the program.
if(TARGET kvm)
  add_dependencies(mdbsim kvm)
endif()
