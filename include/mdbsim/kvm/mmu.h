/*
 * mdbsim SDK: the shadow MMU structures of illumos-kvm (fork 2012, amd64; layouts.md section 6).
 *
 * A kvm_mmu_page describes one 4 KiB shadow table: the kernel reaches its PTEs through sptkma
 * and finds the object from a physical address through the page_t address kept in kmp_avlspt,
 * the key of the per-VM AVL tree kvm_avlmp.
 */
#ifndef _MDBSIM_KVM_MMU_H
#define _MDBSIM_KVM_MMU_H

#include <sys/types.h>
#include <sys/list.h>
#include <sys/avl.h>
#include <mdbsim/kvm/consts.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kvm_vcpu;

/* One 32-bit word; x86-64 gcc allocates bitfields from bit 0 upwards. */
union kvm_mmu_page_role {
	uint32_t word;
	struct {
		unsigned glevels:4;
		unsigned level:4;
		unsigned quadrant:2;
		unsigned pad_for_nice_hex_output:6;
		unsigned direct:1;
		unsigned access:3;
		unsigned invalid:1;
		unsigned cr4_pge:1;
		unsigned nxe:1;
		unsigned cr0_wp:1;
	};
};

typedef struct kvm_mmu_page {
	avl_node_t kmp_avlnode;		/* first, so node address == object address */
	list_node_t link;		/* on kvm.arch.active_mmu_pages */
	list_node_t hash_link;		/* on kvm.arch.mmu_page_hash[] */
	list_node_t oos_link;
	uint64_t hpa;
	unsigned long gfn;		/* guest frame this table shadows */
	union kvm_mmu_page_role role;
	uint64_t *spt;			/* kpm alias of the table page (not read) */
	char *sptkma;			/* kmem alias: where the 512 PTEs are read */
	uintptr_t kmp_avlspt;		/* page_t of the table's frame: the AVL key */
	unsigned long *gfns;
	char *gfnskma;
	unsigned long slot_bitmap[1];
	int multimapped;
	int root_count;			/* > 0 while serving as a root */
	int unsync;
	unsigned int unsync_children;
	union {
		uint64_t *parent_pte;
		list_t parent_ptes;
	};
	struct kvm_vcpu *vcpu;
	unsigned long unsync_child_bitmap[8];
} kvm_mmu_page_t;

MDBSIM_KVM_ASSERT_SIZE(union kvm_mmu_page_role, 4);
MDBSIM_KVM_ASSERT_SIZE(struct kvm_mmu_page, 264);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu_page, kmp_avlnode, 0x0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu_page, link, 0x18);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu_page, hpa, 0x48);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu_page, gfn, 0x50);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu_page, role, 0x58);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu_page, spt, 0x60);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu_page, sptkma, 0x68);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu_page, kmp_avlspt, 0x70);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu_page, root_count, 0x94);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu_page, parent_ptes, 0xa0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu_page, vcpu, 0xc0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu_page, unsync_child_bitmap, 0xc8);

/* The per-vCPU MMU context: mode callbacks, then the current root. */
struct kvm_mmu {
	void (*new_cr3)(struct kvm_vcpu *);
	int (*page_fault)(struct kvm_vcpu *, unsigned long, uint32_t);
	void (*free)(struct kvm_vcpu *);
	uint64_t (*gva_to_gpa)(struct kvm_vcpu *, unsigned long, uint32_t, uint32_t *);
	void (*prefetch_page)(struct kvm_vcpu *, struct kvm_mmu_page *);
	int (*sync_page)(struct kvm_vcpu *, struct kvm_mmu_page *);
	void (*invlpg)(struct kvm_vcpu *, unsigned long);
	uint64_t root_hpa;		/* INVALID_PAGE when there is no root */
	int root_level;			/* guest paging levels */
	int shadow_root_level;		/* 4 for a four-level shadow root */
	union kvm_mmu_page_role base_role;
	uint64_t *pae_root;		/* page of 4 PAE roots, below 4 GiB */
	void *alloc_pae_root;		/* the same page */
	uint64_t rsvd_bits_mask[2][4];
};

MDBSIM_KVM_ASSERT_SIZE(struct kvm_mmu, 160);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu, root_hpa, 0x38);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu, root_level, 0x40);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu, shadow_root_level, 0x44);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu, base_role, 0x48);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu, pae_root, 0x50);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu, alloc_pae_root, 0x58);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu, rsvd_bits_mask, 0x60);

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_KVM_MMU_H */
