/*
 * mdbsim SDK: the vCPU structures of illumos-kvm (fork 2012, amd64; layouts.md section 7).
 *
 * struct kvm_vcpu_arch embeds two fxsave areas, which makes it and struct kvm_vcpu 16-byte
 * aligned; everything after host_fx_image depends on that. Sub-structures nobody reads are
 * opaque words of the exact size and alignment.
 */
#ifndef _MDBSIM_KVM_VCPU_H
#define _MDBSIM_KVM_VCPU_H

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/condvar.h>
#include <sys/kstat.h>
#include <sys/fp.h>
#include <mdbsim/kvm/consts.h>
#include <mdbsim/kvm/ringbuf.h>
#include <mdbsim/kvm/mmu.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kvm;

/* The fork's 23 per-vCPU kstats (upstream lacks kvmvs_preempt_exits). */
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
	kstat_named_t kvmvs_preempt_exits;
	kstat_named_t kvmvs_halt_wakeup;
	kstat_named_t kvmvs_invlpg;
	kstat_named_t kvmvs_pf_guest;
	kstat_named_t kvmvs_pf_fixed;
	kstat_named_t kvmvs_hypercalls;
	kstat_named_t kvmvs_zonename;
} kvm_vcpu_stats_t;

/* illumos' sigset_t (16 bytes); glibc's user-level one is 128 and must not be used here. */
typedef struct mdbsim_kvm_sigset {
	unsigned int __sigbits[4];
} mdbsim_kvm_sigset_t;

struct kvm_vcpu_arch {
	uint64_t host_tsc;
	unsigned long regs[NR_VCPU_REGS];
	uint64_t _regs_state[2];
	unsigned long cr0;
	unsigned long _cr_other[6];		/* cr0 guest bits, cr2, cr3, cr4, cr4 bits, cr8 */
	uint32_t hflags;
	uint64_t pdptrs[4];
	uint64_t efer;
	uint64_t apic_base;
	void *apic;
	uint64_t _apic_state[3];
	int tpr_access_reporting;
	struct kvm_mmu mmu;
	uint64_t mmu_op_buffer[67];		/* kvm_pv_mmu_op_buffer, 536 */
	uint64_t mmu_pte_chain_cache[81];	/* kvm_mmu_memory_cache, 648 each */
	uint64_t mmu_rmap_desc_cache[81];
	uint64_t mmu_page_cache[81];
	uint64_t mmu_page_header_cache[81];
	unsigned long last_pt_write_gfn;
	uint64_t _last_pt_write_state[3];
	uint64_t update_pte[3];
	struct fxsave_state host_fx_image;
	struct fxsave_state guest_fx_image;
	unsigned long mmio_fault_cr2;
	uint64_t pio[6];			/* kvm_pio_request, 48 */
	void *pio_data;
	uint8_t event_exit_inst_len;
	uint32_t exception[4];
	uint32_t interrupt[3];
	int halt_request;
	int cpuid_nent;
	uint32_t cpuid_entries[KVM_MAX_CPUID_ENTRIES][10];	/* kvm_cpuid_entry2, 40 */
	uint64_t emulate_ctxt[47];		/* x86_emulate_ctxt, 376 */
	int64_t time;
	uint8_t hv_clock[32];			/* packed pvclock_vcpu_time_info */
	unsigned int hv_clock_tsc_khz;
	unsigned int time_offset;
	void *time_page;
	int nmi_pending;
	int nmi_injected;
	uint32_t mtrr_state[1047];		/* mtrr_state_type, 4188, align 4 */
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
};

MDBSIM_KVM_ASSERT_SIZE(kcondvar_t, 2);
MDBSIM_KVM_ASSERT_SIZE(struct fxsave_state, 512);
MDBSIM_KVM_ASSERT_ALIGN(struct fxsave_state, 16);
MDBSIM_KVM_ASSERT_SIZE(mdbsim_kvm_sigset_t, 16);
MDBSIM_KVM_ASSERT_SIZE(kvm_vcpu_stats_t, 1104);

MDBSIM_KVM_ASSERT_SIZE(struct kvm_vcpu_arch, 11184);
MDBSIM_KVM_ASSERT_ALIGN(struct kvm_vcpu_arch, 16);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, regs, 0x8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, cr0, 0xa0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, hflags, 0xd8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, pdptrs, 0xe0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, apic, 0x110);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, tpr_access_reporting, 0x130);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mmu, 0x138);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mmu_op_buffer, 0x1d8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mmu_pte_chain_cache, 0x3f0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mmu_rmap_desc_cache, 0x678);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mmu_page_cache, 0x900);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mmu_page_header_cache, 0xb88);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, last_pt_write_gfn, 0xe10);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, update_pte, 0xe30);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, host_fx_image, 0xe50);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, guest_fx_image, 0x1050);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mmio_fault_cr2, 0x1250);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, pio, 0x1258);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, pio_data, 0x1288);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, event_exit_inst_len, 0x1290);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, exception, 0x1294);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, interrupt, 0x12a4);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, halt_request, 0x12b0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, cpuid_nent, 0x12b4);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, cpuid_entries, 0x12b8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, emulate_ctxt, 0x18f8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, time, 0x1a70);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, hv_clock, 0x1a78);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, hv_clock_tsc_khz, 0x1a98);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, time_offset, 0x1a9c);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, time_page, 0x1aa0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, nmi_pending, 0x1aa8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, nmi_injected, 0x1aac);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mtrr_state, 0x1ab0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, pat, 0x2b10);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, switch_db_regs, 0x2b18);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, db, 0x2b20);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, dr6, 0x2b40);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, dr7, 0x2b48);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, eff_db, 0x2b50);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mcg_cap, 0x2b70);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mcg_status, 0x2b78);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mcg_ctl, 0x2b80);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, mce_banks, 0x2b88);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, singlestep_cs, 0x2b90);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, singlestep_rip, 0x2b98);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu_arch, hv_vapic, 0x2ba0);

MDBSIM_KVM_ASSERT_SIZE(struct kvm_vcpu, 29280);
MDBSIM_KVM_ASSERT_ALIGN(struct kvm_vcpu, 16);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, vcpu_id, 0x8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, mutex, 0x10);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, cpu, 0x18);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, run, 0x20);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, srcu_idx, 0x38);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, guest_fpu_loaded, 0x40);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, kvcpu_kick_lock, 0x48);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, kvcpu_kick_cv, 0x50);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, kvcpu_stats, 0x58);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, kvcpu_kstat, 0x4a8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, kvcpu_ringbuf, 0x4b0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, kvcpu_ringbuf.kvmr_ent, 0x4660);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, sigset_active, 0x4668);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, sigset, 0x466c);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, mmio_needed, 0x467c);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, mmio_size, 0x4688);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, mmio_data, 0x468c);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, mmio_phys_addr, 0x4698);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, arch, 0x46a0);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, arch.mmu, 0x47d8);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, arch.mmu.root_hpa, 0x4810);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, arch.mmu.root_level, 0x4818);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, arch.mmu.shadow_root_level, 0x481c);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, arch.mmu.pae_root, 0x4828);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, cookie, 0x7250);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_vcpu, urn, 0x7258);

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_KVM_VCPU_H */
