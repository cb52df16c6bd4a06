/*
 * Layout check for upstream illumos-kvm (TritonDataCenter master) compiled against the mdbsim
 * SDK, built like upstream's kvm_mdb.c. The numbers are those the "upstream" layout profile's
 * types file (sim/ctf/layouts/upstream.c) asserts of itself: when both compile, the profile has
 * the checkout's layout for every member the dmods and the builders use.
 */
#include <mdb/mdb_param.h>
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/uio.h>
#include <sys/buf.h>
#include <sys/modctl.h>
#include <sys/open.h>
#include <sys/kmem.h>
#include <sys/poll.h>
#include <sys/conf.h>
#include <sys/cmn_err.h>
#include <sys/stat.h>
#include <sys/ddi.h>
#include <sys/sunddi.h>
#include <sys/atomic.h>
#include <sys/spl.h>
#include <sys/cpuvar.h>
#include <sys/segments.h>
#include <sys/mdb_modapi.h>

#include "kvm_msr.h"
#include "kvm_vmx.h"
#include "kvm_iodev.h"
#include "kvm_host.h"
#include "kvm_x86host.h"
#include "kvm.h"

#define	MDBSIM_KVM_ASSERT_SIZE(t, n) _Static_assert(sizeof (t) == (n), "sizeof " #t " != " #n)
#define	MDBSIM_KVM_ASSERT_OFFSET(t, m, n) \
	_Static_assert(offsetof(t, m) == (n), "offsetof " #t "." #m " != " #n)

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
MDBSIM_KVM_ASSERT_SIZE(struct kvm_mmu_page, 264);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu_page, sptkma, 0x68);
MDBSIM_KVM_ASSERT_OFFSET(struct kvm_mmu_page, kmp_avlspt, 0x70);
MDBSIM_KVM_ASSERT_SIZE(struct kvm_mmu, 160);
MDBSIM_KVM_ASSERT_SIZE(struct kvm_memory_slot, 112);
