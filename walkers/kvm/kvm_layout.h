/*
 * The structure layouts the dmod reads: the SDK's module API and the kvm structure headers of
 * include/mdbsim/kvm/ (fork-2012 reference layout, layouts.md).
 */
#ifndef KVM_LAYOUT_H
#define KVM_LAYOUT_H

/* Before the SDK headers, which define NULL as 0L after every system header. */
#include <stdlib.h>
#include <string.h>

#include <sys/types.h>
#include <sys/mdb_modapi.h>
#include <vm/page.h>
#include <mdbsim/kvm/kvm_state.h>

#endif /* KVM_LAYOUT_H */
