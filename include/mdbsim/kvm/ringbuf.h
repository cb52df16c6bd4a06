/*
 * mdbsim SDK: the per-vCPU event ring of illumos-kvm (fork 2012, amd64; layouts.md 5.7).
 *
 * Recording takes slot kvmr_ent & (KVM_RINGBUF_NENTRIES - 1), then bumps kvmr_ent, so the last
 * min(kvmr_ent, 512) entries are the ones still present.
 */
#ifndef _MDBSIM_KVM_RINGBUF_H
#define _MDBSIM_KVM_RINGBUF_H

#include <sys/types.h>
#include <mdbsim/kvm/consts.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kvm_ringbuf_entry {
	uint32_t kvmre_tag;		/* KVM_RINGBUF_TAG_* */
	uint32_t kvmre_cpuid;		/* CPU that recorded the entry */
	uint64_t kvmre_thread;		/* recording kernel thread */
	uint64_t kvmre_tsc;		/* unscaled hrtime */
	uint64_t kvmre_payload;		/* meaning depends on the tag */
} kvm_ringbuf_entry_t;

typedef struct kvm_ringbuf {
	kvm_ringbuf_entry_t kvmr_buf[KVM_RINGBUF_NENTRIES];
	kvm_ringbuf_entry_t kvmr_taglast[KVM_RINGBUF_TAG_MAX + 1];
	uint32_t kvmr_tagcount[KVM_RINGBUF_TAG_MAX + 1];
	uint32_t kvmr_ent;		/* entries ever recorded; wraps at 2^32 */
} kvm_ringbuf_t;

MDBSIM_KVM_ASSERT_SIZE(kvm_ringbuf_entry_t, 32);
MDBSIM_KVM_ASSERT_OFFSET(kvm_ringbuf_entry_t, kvmre_tag, 0x0);
MDBSIM_KVM_ASSERT_OFFSET(kvm_ringbuf_entry_t, kvmre_cpuid, 0x4);
MDBSIM_KVM_ASSERT_OFFSET(kvm_ringbuf_entry_t, kvmre_thread, 0x8);
MDBSIM_KVM_ASSERT_OFFSET(kvm_ringbuf_entry_t, kvmre_tsc, 0x10);
MDBSIM_KVM_ASSERT_OFFSET(kvm_ringbuf_entry_t, kvmre_payload, 0x18);
MDBSIM_KVM_ASSERT_SIZE(kvm_ringbuf_t, 16824);
MDBSIM_KVM_ASSERT_OFFSET(kvm_ringbuf_t, kvmr_taglast, 0x4000);
MDBSIM_KVM_ASSERT_OFFSET(kvm_ringbuf_t, kvmr_tagcount, 0x4180);
MDBSIM_KVM_ASSERT_OFFSET(kvm_ringbuf_t, kvmr_ent, 0x41b0);

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_KVM_RINGBUF_H */
