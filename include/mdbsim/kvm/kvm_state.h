/*
 * mdbsim SDK: every illumos-kvm structure mdbsim synthesizes and its kvm dmod reads, in the
 * fork-2012 amd64 layout (layouts.md sections 4-7, 12.7). Include this one header.
 */
#ifndef _MDBSIM_KVM_KVM_STATE_H
#define _MDBSIM_KVM_KVM_STATE_H

#include <mdbsim/kvm/consts.h>
#include <mdbsim/kvm/ringbuf.h>
#include <mdbsim/kvm/mmu.h>
#include <mdbsim/kvm/vm.h>
#include <mdbsim/kvm/vcpu.h>

#endif /* _MDBSIM_KVM_KVM_STATE_H */
