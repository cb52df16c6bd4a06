/*
 * Layout check for the ORIGINAL illumos-kvm headers compiled against the mdbsim SDK.
 *
 * Built exactly like the original kvm_mdb.c (gcc -std=gnu99 -m64 -D_KERNEL -I<checkout>
 * -I<sdk include>), with the same includes in the same order.  The kvm structures come from the
 * checkout; their sizes and offsets depend on the SDK's kernel base types (kmutex_t, kcondvar_t,
 * kstat_named_t, sigset_t, fxsave_state, list_t, avl_tree_t, page_t, ...).  Every number below
 * is from layouts.md (the fork-2012 reference layout); a wrong base type moves them.
 */
#include <sys/types.h>
#include <sys/param.h>
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
#include <sys/avl.h>

#include "kvm_msr.h"
#include "kvm_vmx.h"
#include "kvm_iodev.h"
#include "kvm_host.h"
#include "kvm_x86host.h"
#include "kvm.h"

#define SIZE(t, n) _Static_assert(sizeof (t) == (n), "sizeof " #t " != " #n)
#define ALIGN(t, n) _Static_assert(_Alignof(t) == (n), "alignof " #t " != " #n)
#define OFF(t, m, n) _Static_assert(offsetof(t, m) == (n), "offsetof " #t "." #m " != " #n)

/* Kernel base types as the original sees them (layouts.md section 3). */
SIZE(kmutex_t, 8);
SIZE(krwlock_t, 8);
SIZE(kcondvar_t, 2);
ALIGN(kcondvar_t, 2);
SIZE(kstat_named_t, 48);
SIZE(sigset_t, 16);
SIZE(upad128_t, 16);
ALIGN(upad128_t, 16);
SIZE(struct fxsave_state, 512);
ALIGN(struct fxsave_state, 16);
SIZE(ddi_umem_cookie_t, 8);
SIZE(pfn_t, 8);
SIZE(hpa_t, 8);
SIZE(gfn_t, 8);
SIZE(boolean_t, 4);
SIZE(list_t, 32);
SIZE(list_node_t, 16);
SIZE(avl_tree_t, 40);
SIZE(avl_node_t, 24);
SIZE(page_t, 120);
SIZE(struct memseg, 56);

/* Constants the dmod uses (layouts.md section 4). */
_Static_assert(KVM_MAX_VCPUS == 64, "KVM_MAX_VCPUS");
_Static_assert(KVM_MEMORY_SLOTS == 32, "KVM_MEMORY_SLOTS");
_Static_assert(KVM_ALIAS_SLOTS == 4, "KVM_ALIAS_SLOTS");
_Static_assert(KVM_RINGBUF_NENTRIES == 512, "KVM_RINGBUF_NENTRIES");
_Static_assert(KVM_RINGBUF_TAG_MAX == 11, "KVM_RINGBUF_TAG_MAX");
_Static_assert(KVM_NR_IRQCHIPS == 3, "KVM_NR_IRQCHIPS");
_Static_assert(KVM_IOAPIC_NUM_PINS == 24, "KVM_IOAPIC_NUM_PINS");
_Static_assert(PAGESIZE == 4096 && PAGESHIFT == 12 && PAGEOFFSET == 0xfff, "page constants");
_Static_assert(INVALID_PAGE == 0xffffffffffffffffULL, "INVALID_PAGE");

/* struct kvm (5.1) */
SIZE(struct kvm, 34400);
ALIGN(struct kvm, 8);
OFF(struct kvm, memslots, 0x18);
OFF(struct kvm, kvm_rwlock, 0x28);
OFF(struct kvm, bsp_vcpu, 0x38);
OFF(struct kvm, vcpus, 0x40);
OFF(struct kvm, online_vcpus, 0x240);
OFF(struct kvm, vm_list, 0x248);
OFF(struct kvm, lock, 0x258);
OFF(struct kvm, buses, 0x260);
OFF(struct kvm, kvm_kstat, 0x278);
OFF(struct kvm, kvm_stats, 0x280);
OFF(struct kvm, arch, 0x490);
OFF(struct kvm, users_count, 0x85a8);
OFF(struct kvm, mmio_cookie, 0x85c0);
OFF(struct kvm, irq_routing, 0x85d0);
OFF(struct kvm, mask_notifier_list, 0x85e0);
OFF(struct kvm, irq_ack_notifier_list, 0x8600);
OFF(struct kvm, kvmid, 0x8620);
OFF(struct kvm, kvm_pid, 0x8628);
OFF(struct kvm, kvm_avllock, 0x8630);
OFF(struct kvm, kvm_avlmp, 0x8638);
OFF(struct kvm, kvm_avlmp.avl_root, 0x8638);
OFF(struct kvm, kvm_avlmp.avl_offset, 0x8648);
OFF(struct kvm, kvm_avlmp.avl_size, 0x8658);

/* struct kvm_arch (5.2) */
SIZE(struct kvm_arch, 33048);
OFF(struct kvm_arch, aliases, 0x0);
OFF(struct kvm_arch, mmu_page_hash, 0x18);
OFF(struct kvm_arch, active_mmu_pages, 0x8018);
OFF(struct kvm_arch, apic_access_page, 0x8090);
OFF(struct kvm_arch, xen_hvm_config, 0x80d0);
OFF(struct kvm_arch, hv_hypercall, 0x8110);

/* memory slots (5.3, 5.4) */
SIZE(struct kvm_memslots, 4040);
OFF(struct kvm_memslots, memslots, 0x8);
SIZE(struct kvm_memory_slot, 112);
OFF(struct kvm_memory_slot, base_gfn, 0x0);
OFF(struct kvm_memory_slot, npages, 0x8);
OFF(struct kvm_memory_slot, lpage_info, 0x30);
OFF(struct kvm_memory_slot, userspace_addr, 0x60);
OFF(struct kvm_memory_slot, user_alloc, 0x68);

/* aliases (5.5) */
SIZE(struct kvm_mem_aliases, 136);
OFF(struct kvm_mem_aliases, naliases, 0x80);
SIZE(struct kvm_mem_alias, 32);
OFF(struct kvm_mem_alias, target_gfn, 0x10);
OFF(struct kvm_mem_alias, flags, 0x18);

/* IRQ routing (5.6) */
SIZE(struct kvm_irq_routing_table, 33104);
OFF(struct kvm_irq_routing_table, chip, 0x0);
OFF(struct kvm_irq_routing_table, nr_rt_entries, 0x128);
OFF(struct kvm_irq_routing_table, map, 0x130);

/* ring buffer (5.7) */
SIZE(kvm_ringbuf_entry_t, 32);
OFF(kvm_ringbuf_entry_t, kvmre_cpuid, 0x4);
OFF(kvm_ringbuf_entry_t, kvmre_thread, 0x8);
OFF(kvm_ringbuf_entry_t, kvmre_tsc, 0x10);
OFF(kvm_ringbuf_entry_t, kvmre_payload, 0x18);
SIZE(kvm_ringbuf_t, 16824);
OFF(kvm_ringbuf_t, kvmr_taglast, 0x4000);
OFF(kvm_ringbuf_t, kvmr_tagcount, 0x4180);
OFF(kvm_ringbuf_t, kvmr_ent, 0x41b0);

/* shadow MMU (6.1, 6.3) */
SIZE(struct kvm_mmu_page, 264);
OFF(struct kvm_mmu_page, kmp_avlnode, 0x0);
OFF(struct kvm_mmu_page, link, 0x18);
OFF(struct kvm_mmu_page, hpa, 0x48);
OFF(struct kvm_mmu_page, gfn, 0x50);
OFF(struct kvm_mmu_page, role, 0x58);
OFF(struct kvm_mmu_page, spt, 0x60);
OFF(struct kvm_mmu_page, sptkma, 0x68);
OFF(struct kvm_mmu_page, kmp_avlspt, 0x70);
OFF(struct kvm_mmu_page, slot_bitmap, 0x88);
OFF(struct kvm_mmu_page, root_count, 0x94);
OFF(struct kvm_mmu_page, vcpu, 0xc0);
OFF(struct kvm_mmu_page, unsync_child_bitmap, 0xc8);
SIZE(union kvm_mmu_page_role, 4);
SIZE(struct kvm_mmu, 160);
OFF(struct kvm_mmu, root_hpa, 0x38);
OFF(struct kvm_mmu, root_level, 0x40);
OFF(struct kvm_mmu, shadow_root_level, 0x44);
OFF(struct kvm_mmu, pae_root, 0x50);
OFF(struct kvm_mmu, rsvd_bits_mask, 0x60);

/* vCPU (7, 7.1) */
SIZE(struct kvm_vcpu, 29280);
ALIGN(struct kvm_vcpu, 16);
OFF(struct kvm_vcpu, kvcpu_kick_cv, 0x50);
OFF(struct kvm_vcpu, kvcpu_stats, 0x58);
OFF(struct kvm_vcpu, kvcpu_kstat, 0x4a8);
OFF(struct kvm_vcpu, kvcpu_ringbuf, 0x4b0);
OFF(struct kvm_vcpu, kvcpu_ringbuf.kvmr_ent, 0x4660);
OFF(struct kvm_vcpu, sigset, 0x466c);
OFF(struct kvm_vcpu, mmio_phys_addr, 0x4698);
OFF(struct kvm_vcpu, arch, 0x46a0);
OFF(struct kvm_vcpu, arch.mmu, 0x47d8);
OFF(struct kvm_vcpu, arch.mmu.root_hpa, 0x4810);
OFF(struct kvm_vcpu, arch.mmu.root_level, 0x4818);
OFF(struct kvm_vcpu, arch.mmu.pae_root, 0x4828);
OFF(struct kvm_vcpu, cookie, 0x7250);
SIZE(struct kvm_vcpu_arch, 11184);
ALIGN(struct kvm_vcpu_arch, 16);
OFF(struct kvm_vcpu_arch, mmu, 0x138);
OFF(struct kvm_vcpu_arch, host_fx_image, 0xe50);
OFF(struct kvm_vcpu_arch, guest_fx_image, 0x1050);
OFF(struct kvm_vcpu_arch, cpuid_entries, 0x12b8);
OFF(struct kvm_vcpu_arch, mtrr_state, 0x1ab0);
OFF(struct kvm_vcpu_arch, pat, 0x2b10);
OFF(struct kvm_vcpu_arch, singlestep_cs, 0x2b90);
SIZE(kvm_vcpu_stats_t, 1104);
SIZE(kvm_stats_t, 528);

/* The dmod compares uintptr_t values with NULL: it must still be an integer here. */
_Static_assert(sizeof (NULL) == sizeof (long), "NULL must be 0L after the kvm headers");

/* An object file needs at least one definition. */
int original_layout_check_passed = 1;
