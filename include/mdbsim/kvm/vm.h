/*
 * mdbsim SDK: the per-VM structures of illumos-kvm (fork 2012, amd64; layouts.md section 5):
 * struct kvm and what hangs off it (memory slots, aliases, IRQ routing, per-VM kstats).
 *
 * Fields nobody reads are kept at their exact offsets, sometimes as opaque words, so that whole
 * structures copy and compare like the kernel's.
 */
#ifndef _MDBSIM_KVM_VM_H
#define _MDBSIM_KVM_VM_H

#include <sys/types.h>
#include <sys/list.h>
#include <sys/avl.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/kstat.h>
#include <mdbsim/kvm/consts.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kvm_vcpu;
struct page;

struct kvm_memory_slot {
	unsigned long base_gfn;		/* first guest frame */
	unsigned long npages;		/* 0: slot unused */
	unsigned long flags;
	unsigned long *rmap;
	unsigned long *dirty_bitmap;
	size_t dirty_bitmap_sz;
	void *lpage_info[KVM_NR_PAGE_SIZES];
	size_t lpage_info_sz[KVM_NR_PAGE_SIZES];
	unsigned long userspace_addr;	/* QEMU virtual address of the first byte */
	int user_alloc;
};

struct kvm_memslots {
	int nmemslots;
	struct kvm_memory_slot memslots[KVM_MEMORY_SLOTS + KVM_PRIVATE_MEM_SLOTS];
};

struct kvm_mem_alias {
	unsigned long base_gfn;
	unsigned long npages;
	unsigned long target_gfn;
	unsigned long flags;		/* KVM_ALIAS_INVALID: skipped */
};

struct kvm_mem_aliases {
	struct kvm_mem_alias aliases[KVM_ALIAS_SLOTS];
	int naliases;
};

struct kvm_irq_routing_table {
	int chip[KVM_NR_IRQCHIPS][KVM_IOAPIC_NUM_PINS];	/* GSI per pin, -1 unrouted */
	void *rt_entries;
	uint32_t nr_rt_entries;
	list_t map[KVM_MAX_IRQ_ROUTES + 1];
};

typedef struct kvm_stats {
	kstat_named_t kvmks_pid;
	kstat_named_t kvmks_mmu_pte_write;
	kstat_named_t kvmks_mmu_pte_zapped;
	kstat_named_t kvmks_mmu_pte_updated;
	kstat_named_t kvmks_mmu_flooded;
	kstat_named_t kvmks_mmu_cache_miss;
	kstat_named_t kvmks_mmu_recycled;
	kstat_named_t kvmks_remote_tlb_flush;
	kstat_named_t kvmks_lpages;
	kstat_named_t kvmks_mmu_unsync_page;
	kstat_named_t kvmks_zonename;
} kvm_stats_t;

struct kvm_xen_hvm_config {
	uint32_t flags;
	uint32_t msr;
	uint64_t blob_addr_32;
	uint64_t blob_addr_64;
	uint8_t blob_size_32;
	uint8_t blob_size_64;
	uint8_t pad2[30];
};

struct kvm_arch {
	struct kvm_mem_aliases *aliases;
	unsigned int n_free_mmu_pages;
	unsigned int n_requested_mmu_pages;
	unsigned int n_alloc_mmu_pages;
	list_t mmu_page_hash[KVM_NUM_MMU_PAGES];
	list_t active_mmu_pages;	/* every kvm_mmu_page, through its link */
	list_t assigned_dev_head;
	void *iommu_domain;
	int iommu_flags;
	void *vpic;
	void *vioapic;
	void *vpit;
	int vapics_in_nmi_mode;
	uint64_t tss_addr;
	struct page *apic_access_page;
	uint64_t wall_clock;
	struct page *ept_identity_pagetable;
	int ept_identity_pagetable_done;
	uint64_t ept_identity_map_addr;
	unsigned long irq_sources_bitmap;
	uint64_t vm_init_tsc;
	int64_t kvmclock_offset;
	struct kvm_xen_hvm_config xen_hvm_config;
	uint64_t hv_guest_os_id;
	uint64_t hv_hypercall;
};

struct kvm {
	kmutex_t mmu_lock;
	kmutex_t requests_lock;
	kmutex_t slots_lock;
	struct kvm_memslots *memslots;
	kmutex_t memslots_lock;
	krwlock_t kvm_rwlock;
	uint32_t bsp_vcpu_id;
	struct kvm_vcpu *bsp_vcpu;
	struct kvm_vcpu *vcpus[KVM_MAX_VCPUS];
	volatile int online_vcpus;
	list_node_t vm_list;		/* on the global vm_list */
	kmutex_t lock;
	void *buses[KVM_NR_BUSES];
	kmutex_t buses_lock;
	kstat_t *kvm_kstat;
	kvm_stats_t kvm_stats;
	struct kvm_arch arch;
	volatile int users_count;
	void *coalesced_mmio_dev;
	void *coalesced_mmio_ring;
	void *mmio_cookie;
	kmutex_t irq_lock;
	struct kvm_irq_routing_table *irq_routing;
	int irq_routing_sz;
	list_t mask_notifier_list;
	list_t irq_ack_notifier_list;
	int kvmid;
	int kvm_clones;
	pid_t kvm_pid;
	kmutex_t kvm_avllock;
	avl_tree_t kvm_avlmp;		/* kvm_mmu_page by kmp_avlspt */
};

MDBSIM_KVM_ASSERT_SIZE(list_t, 32);
MDBSIM_KVM_ASSERT_SIZE(list_node_t, 16);
MDBSIM_KVM_ASSERT_SIZE(avl_tree_t, 40);
MDBSIM_KVM_ASSERT_SIZE(avl_node_t, 24);
MDBSIM_KVM_ASSERT_SIZE(kstat_named_t, 48);

MDBSIM_KVM_ASSERT_SIZE(struct kvm_memory_slot, 112);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_memory_slot, base_gfn, 0x0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_memory_slot, npages, 0x8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_memory_slot, lpage_info, 0x30);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_memory_slot, lpage_info_sz, 0x48);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_memory_slot, userspace_addr, 0x60);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_memory_slot, user_alloc, 0x68);
MDBSIM_KVM_ASSERT_SIZE(struct kvm_memslots, 4040);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_memslots, memslots, 0x8);

MDBSIM_KVM_ASSERT_SIZE(struct kvm_mem_alias, 32);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mem_alias, target_gfn, 0x10);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mem_alias, flags, 0x18);
MDBSIM_KVM_ASSERT_SIZE(struct kvm_mem_aliases, 136);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mem_aliases, naliases, 0x80);

MDBSIM_KVM_ASSERT_SIZE(struct kvm_irq_routing_table, 33104);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_irq_routing_table, rt_entries, 0x120);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_irq_routing_table, nr_rt_entries, 0x128);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_irq_routing_table, map, 0x130);

MDBSIM_KVM_ASSERT_SIZE(kvm_stats_t, 528);
MDBSIM_KVM_ASSERT_SIZE(struct kvm_xen_hvm_config, 56);

MDBSIM_KVM_ASSERT_SIZE(struct kvm_arch, 33048);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, aliases, 0x0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, mmu_page_hash, 0x18);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, active_mmu_pages, 0x8018);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, assigned_dev_head, 0x8038);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, tss_addr, 0x8088);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, irq_sources_bitmap, 0x80b8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, vm_init_tsc, 0x80c0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, xen_hvm_config, 0x80d0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, hv_guest_os_id, 0x8108);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, hv_hypercall, 0x8110);

MDBSIM_KVM_ASSERT_SIZE(struct kvm, 34400);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, memslots, 0x18);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, bsp_vcpu, 0x38);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, vcpus, 0x40);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, online_vcpus, 0x240);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, vm_list, 0x248);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, kvm_kstat, 0x278);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, kvm_stats, 0x280);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, arch, 0x490);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, arch.aliases, 0x490);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, arch.active_mmu_pages, 0x84a8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, users_count, 0x85a8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, irq_routing, 0x85d0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, mask_notifier_list, 0x85e0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, kvmid, 0x8620);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, kvm_pid, 0x8628);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, kvm_avllock, 0x8630);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, kvm_avlmp, 0x8638);
MDBSIM_KVM_ASSERT(MDBSIM_KVM_VM_LIST_SIZE == sizeof (struct kvm), "vm_list list_size");
MDBSIM_KVM_ASSERT(MDBSIM_KVM_VM_LIST_OFFSET == offsetof(struct kvm, vm_list),
    "vm_list list_offset");

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_KVM_VM_H */
