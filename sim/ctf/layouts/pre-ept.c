/*
 * The kvm module's types and typed variables: every illumos-kvm structure the builders lay out
 * (<mdbsim/kvm/kvm_state.h>) and the kvm symbols (vm_list). A child of genunix.
 */
#include <sys/types.h>
#include <sys/list.h>
#include <mdbsim/kvm/kvm_state.h>

list_t vm_list;
