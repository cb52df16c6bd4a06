/*
 * Layout profile "upstream": the kvm module's types of TritonDataCenter/illumos-kvm master (the
 * layouts its kvm_mdb.c reads), amd64. Written from the facts of that version's headers (member
 * names, types, order; sizes and offsets checked by tests/sdk/upstream_layout_check.c against the
 * checkout); compiled with gcc -gctf into the kvm child dict of the profile's CTF archive.
 *
 * Against pre-ept (sim/ctf/layouts/pre-ept.c, the SDK's <mdbsim/kvm/*.h>): the ring buffer has a
 * twelfth tag, the vCPU kstats lack preempt-exits, the vCPU's FPU state is a pointer (HMA), the
 * kvmclock members changed, struct kvm_arch keeps a TSC offset, the boot wall clock and XCR0, and
 * struct kvm_vcpu ends in a ctxop pointer. Everything else is shared with pre-ept: the shadow MMU
 * structures come from the same header.
 *
 * Members nobody reads are opaque words of the exact size and alignment, as in the SDK headers.
 */
#include <sys/types.h>
#include <sys/list.h>
#include <sys/avl.h>
#include <sys/mutex.h>
#include <sys/condvar.h>
#include <sys/rwlock.h>
#include <sys/kstat.h>
#include <mdbsim/kvm/consts.h>
#include <mdbsim/kvm/mmu.h>

/* KVM_RINGBUF_TAG_EMUXADD (12) is the last tag upstream. */
#define	UPSTREAM_RINGBUF_TAGS	13

typedef struct kvm_ringbuf_entry {
	uint32_t kvmre_tag;
	uint32_t kvmre_cpuid;
	uint64_t kvmre_thread;
	uint64_t kvmre_tsc;
	uint64_t kvmre_payload;
} kvm_ringbuf_entry_t;

typedef struct kvm_ringbuf {
	kvm_ringbuf_entry_t kvmr_buf[KVM_RINGBUF_NENTRIES];
	kvm_ringbuf_entry_t kvmr_taglast[UPSTREAM_RINGBUF_TAGS];
	uint32_t kvmr_tagcount[UPSTREAM_RINGBUF_TAGS];
	uint32_t kvmr_ent;
} kvm_ringbuf_t;

struct kvm_vcpu;
struct page;

struct kvm_memory_slot {
	unsigned long base_gfn;
	unsigned long npages;
	unsigned long flags;
	unsigned long *rmap;
	unsigned long *dirty_bitmap;
	size_t dirty_bitmap_sz;
	void *lpage_info[KVM_NR_PAGE_SIZES];
	size_t lpage_info_sz[KVM_NR_PAGE_SIZES];
	unsigned long userspace_addr;
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
	unsigned long flags;
};

struct kvm_mem_aliases {
	struct kvm_mem_alias aliases[KVM_ALIAS_SLOTS];
	int naliases;
};

struct kvm_irq_routing_table {
	int chip[KVM_NR_IRQCHIPS][KVM_IOAPIC_NUM_PINS];
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
	list_t active_mmu_pages;
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
	uint64_t tsc_offset;
	struct timespec boot_wallclock;	/* the system's, 16 bytes on amd64 */
	hrtime_t boot_hrtime;
	struct kvm_xen_hvm_config xen_hvm_config;
	uint8_t need_xcr0;
	uint64_t host_xcr0;
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
	list_node_t vm_list;
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
	avl_tree_t kvm_avlmp;
};

typedef struct kvm_vcpu_stats {
	kstat_named_t kvmvs_id;
	kstat_named_t kvmvs_nmi_injections;
	kstat_named_t kvmvs_irq_injections;
	kstat_named_t kvmvs_fpu_reload;
	kstat_named_t kvmvs_host_state_reload;
	kstat_named_t kvmvs_insn_emulation;
	kstat_named_t kvmvs_insn_emulation_fail;
	kstat_named_t kvmvs_exits;
	kstat_named_t kvmvs_halt_exits;
	kstat_named_t kvmvs_irq_exits;
	kstat_named_t kvmvs_io_exits;
	kstat_named_t kvmvs_mmio_exits;
	kstat_named_t kvmvs_nmi_window_exits;
	kstat_named_t kvmvs_irq_window_exits;
	kstat_named_t kvmvs_request_irq_exits;
	kstat_named_t kvmvs_signal_exits;
	kstat_named_t kvmvs_halt_wakeup;
	kstat_named_t kvmvs_invlpg;
	kstat_named_t kvmvs_pf_guest;
	kstat_named_t kvmvs_pf_fixed;
	kstat_named_t kvmvs_hypercalls;
	kstat_named_t kvmvs_zonename;
} kvm_vcpu_stats_t;

typedef struct mdbsim_kvm_sigset {
	unsigned int __sigbits[4];
} mdbsim_kvm_sigset_t;

struct hma_fpu;

struct kvm_vcpu_arch {
	uint64_t tsc_offset;
	unsigned long regs[NR_VCPU_REGS];
	uint64_t _regs_state[2];
	unsigned long cr0;
	unsigned long _cr_other[6];
	uint32_t hflags;
	uint64_t pdptrs[4];
	uint64_t efer;
	uint64_t apic_base;
	void *apic;
	uint64_t _apic_state[3];
	int tpr_access_reporting;
	struct kvm_mmu mmu;
	uint64_t mmu_op_buffer[67];
	uint64_t mmu_pte_chain_cache[81];
	uint64_t mmu_rmap_desc_cache[81];
	uint64_t mmu_page_cache[81];
	uint64_t mmu_page_header_cache[81];
	unsigned long last_pt_write_gfn;
	uint64_t _last_pt_write_state[3];
	uint64_t update_pte[3];
	struct hma_fpu *guest_fpu;
	unsigned long mmio_fault_cr2;
	uint64_t pio[6];
	void *pio_data;
	uint8_t event_exit_inst_len;
	uint32_t exception[4];
	uint32_t interrupt[3];
	int halt_request;
	int cpuid_nent;
	uint32_t cpuid_entries[KVM_MAX_CPUID_ENTRIES][10];
	uint64_t emulate_ctxt[47];
	uint64_t time_addr;
	uint64_t time_val;
	hrtime_t time_update;
	int nmi_pending;
	int nmi_injected;
	uint32_t mtrr_state[1047];
	uint64_t pat;
	int switch_db_regs;
	unsigned long db[KVM_NR_DB_REGS];
	unsigned long dr6;
	unsigned long dr7;
	unsigned long eff_db[KVM_NR_DB_REGS];
	uint64_t mcg_cap;
	uint64_t mcg_status;
	uint64_t mcg_ctl;
	uint64_t *mce_banks;
	uint16_t singlestep_cs;
	unsigned long singlestep_rip;
	uint64_t hv_vapic;
};

struct kvm_vcpu {
	struct kvm *kvm;
	int vcpu_id;
	kmutex_t mutex;
	int cpu;
	void *run;
	unsigned long requests;
	unsigned long guest_debug;
	int srcu_idx;
	int fpu_active;
	int guest_fpu_loaded;
	kmutex_t kvcpu_kick_lock;
	kcondvar_t kvcpu_kick_cv;
	kvm_vcpu_stats_t kvcpu_stats;
	kstat_t *kvcpu_kstat;
	kvm_ringbuf_t kvcpu_ringbuf;
	int sigset_active;
	mdbsim_kvm_sigset_t sigset;
	int mmio_needed;
	int mmio_read_completed;
	int mmio_is_write;
	int mmio_size;
	unsigned char mmio_data[8];
	uint64_t mmio_phys_addr;
	struct kvm_vcpu_arch arch;
	void *cookie;
	void *urn;
	void *ctxop;
};

/* The numbers tests/sdk/upstream_layout_check.c reads from the checkout's own headers. */
MDBSIM_KVM_ASSERT_SIZE(kvm_ringbuf_t, 16856);
MDBSIM_KVM_ASSERT_OFFSET(kvm_ringbuf_t, kvmr_tagcount, 0x41a0);
MDBSIM_KVM_ASSERT_OFFSET(kvm_ringbuf_t, kvmr_ent, 0x41d4);
MDBSIM_KVM_ASSERT_SIZE(struct kvm_memslots, 4040);
MDBSIM_KVM_ASSERT_SIZE(struct kvm_mem_aliases, 136);
MDBSIM_KVM_ASSERT_SIZE(struct kvm_irq_routing_table, 33104);
MDBSIM_KVM_ASSERT_SIZE(struct kvm_arch, 33080);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, tsc_offset, 0x80c0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, boot_wallclock, 0x80c8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, xen_hvm_config, 0x80e0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, need_xcr0, 0x8118);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, host_xcr0, 0x8120);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_arch, hv_hypercall, 0x8130);
MDBSIM_KVM_ASSERT_SIZE(struct kvm, 34432);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, vm_list, 0x248);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, arch, 0x490);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, users_count, 0x85c8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, irq_routing, 0x85f0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, mask_notifier_list, 0x8600);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, kvmid, 0x8640);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, kvm_pid, 0x8648);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm, kvm_avlmp, 0x8658);
MDBSIM_KVM_ASSERT_SIZE(kvm_vcpu_stats_t, 1056);
MDBSIM_KVM_ASSERT_SIZE(struct kvm_vcpu_arch, 10120);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mmu, 0x138);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, update_pte, 0xe30);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, guest_fpu, 0xe48);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, pio, 0xe58);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, event_exit_inst_len, 0xe90);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, cpuid_entries, 0xeb8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, emulate_ctxt, 0x14f8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, time_addr, 0x1670);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, nmi_pending, 0x1688);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mtrr_state, 0x1690);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, pat, 0x26f0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, db, 0x2700);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mcg_cap, 0x2750);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mce_banks, 0x2768);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, singlestep_rip, 0x2778);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, hv_vapic, 0x2780);
MDBSIM_KVM_ASSERT_SIZE(struct kvm_vcpu, 28208);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, kvcpu_stats, 0x58);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, kvcpu_kstat, 0x478);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, kvcpu_ringbuf, 0x480);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, sigset, 0x465c);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, mmio_phys_addr, 0x4688);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, arch, 0x4690);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, cookie, 0x6e18);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, ctxop, 0x6e28);

list_t vm_list;
