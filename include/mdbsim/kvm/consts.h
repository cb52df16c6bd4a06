/*
 * mdbsim SDK: constants of the illumos-kvm (fork 2012, amd64) kernel structures that mdbsim
 * synthesizes and that its kvm dmod reads (layouts.md section 4).
 *
 * The physical-address mask of a 64-bit PTE is MDBSIM_PT64_ADDR_MASK on purpose: the original
 * kvm_mdb.c defines PT64_BASE_ADDR_MASK itself, and a second definition would clash.
 */
#ifndef _MDBSIM_KVM_CONSTS_H
#define _MDBSIM_KVM_CONSTS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Compile-time layout checks usable from C99 (gcc accepts _Static_assert in gnu99) and C++.
 */
#ifdef __cplusplus
#define MDBSIM_KVM_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define MDBSIM_KVM_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif
#define MDBSIM_KVM_ASSERT_SIZE(type, size) \
	MDBSIM_KVM_ASSERT(sizeof (type) == (size), "sizeof (" #type ") != " #size)
#define MDBSIM_KVM_ASSERT_ALIGN(type, align) \
	MDBSIM_KVM_ASSERT(__alignof__(type) == (align), "alignof (" #type ") != " #align)
#define MDBSIM_KVM_ASSERT_OFFSET(type, field, off) \
	MDBSIM_KVM_ASSERT(offsetof(type, field) == (off), \
	    "offsetof(" #type ", " #field ") != " #off)

/* Arrays and slots */
#define KVM_MAX_VCPUS 64
#define KVM_MEMORY_SLOTS 32
#define KVM_PRIVATE_MEM_SLOTS 4
#define KVM_ALIAS_SLOTS 4
#define KVM_ALIAS_INVALID 1UL
#define KVM_NR_PAGE_SIZES 3
#define KVM_MAX_IRQ_ROUTES 1024
#define KVM_NR_IRQCHIPS 3
#define KVM_IRQCHIP_PIC_MASTER 0
#define KVM_IRQCHIP_PIC_SLAVE 1
#define KVM_IRQCHIP_IOAPIC 2
#define KVM_IOAPIC_NUM_PINS 24
#define KVM_NR_BUSES 2
#define KVM_MMU_HASH_SHIFT 10
#define KVM_NUM_MMU_PAGES (1 << KVM_MMU_HASH_SHIFT)
#define KVM_PERMILLE_MMU_PAGES 20
#define KVM_MIN_ALLOC_MMU_PAGES 64
#define KVM_MIN_FREE_MMU_PAGES 5
#define KVM_REFILL_PAGES 25
#define KVM_MAX_CPUID_ENTRIES 40
#define KVM_NR_MEM_OBJS 40
#define NR_PTE_CHAIN_ENTRIES 5
#define KVM_NR_DB_REGS 4
#define KVM_NR_FIXED_MTRR_REGION 88
#define KVM_NR_VAR_MTRR 8
#define KVM_PIO_PAGE_OFFSET 1
#define KVM_COALESCED_MMIO_PAGE_OFFSET 2
#define KVM_VCPU_MMAP_LENGTH 3
#define NR_VCPU_REGS 17

/* The per-vCPU event ring (kvm_ringbuf_t) */
#define KVM_RINGBUF_NENTRIES 512
#define KVM_RINGBUF_TAG_CTXSAVE 1
#define KVM_RINGBUF_TAG_CTXRESTORE 2
#define KVM_RINGBUF_TAG_VMPTRLD 3
#define KVM_RINGBUF_TAG_VCPUMIGRATE 4
#define KVM_RINGBUF_TAG_VCPUCLEAR 5
#define KVM_RINGBUF_TAG_VCPULOAD 6
#define KVM_RINGBUF_TAG_VCPUPUT 7
#define KVM_RINGBUF_TAG_RELOAD 8
#define KVM_RINGBUF_TAG_EMUFAIL0 9
#define KVM_RINGBUF_TAG_EMUFAIL1 10
#define KVM_RINGBUF_TAG_EMUFAIL2 11
#define KVM_RINGBUF_TAG_MAX 11

/* Shadow MMU */
#define INVALID_PAGE (~(uint64_t)0)
#define UNMAPPED_GVA (~(uint64_t)0)

#define MDBSIM_PT64_ADDR_MASK 0x000FFFFFFFFFF000ULL
#define MDBSIM_PT64_DIR_ADDR_MASK 0x000FFFFFFFE00000ULL
#define PT64_LEVEL_BITS 9
#define PT64_PT_BITS 9
#define PT64_ENT_PER_PAGE 512
#define PT64_LEVEL_SHIFT(level) (12 + ((level) - 1) * PT64_LEVEL_BITS)
#define PT64_INDEX(addr, level) \
	(((addr) >> PT64_LEVEL_SHIFT(level)) & (PT64_ENT_PER_PAGE - 1))
#define PT32_PT_BITS 10
#define PT32_ENT_PER_PAGE 1024
#define PT32_LEVEL_BITS 10

#define PT_PRESENT_MASK 0x1ULL
#define PT_WRITABLE_SHIFT 1
#define PT_WRITABLE_MASK 0x2ULL
#define PT_USER_MASK 0x4ULL
#define PT_PWT_MASK 0x8ULL
#define PT_PCD_MASK 0x10ULL
#define PT_ACCESSED_SHIFT 5
#define PT_ACCESSED_MASK 0x20ULL
#define PT_DIRTY_MASK 0x40ULL
#define PT_PAGE_SIZE_MASK 0x80ULL
#define PT_PAT_SHIFT 7
#define PT_PAT_MASK 0x80ULL
#define PT_GLOBAL_MASK 0x100ULL
#define PT_DIR_PAT_SHIFT 12
#define PT_DIR_PAT_MASK 0x1000ULL
#define PT32_DIR_PSE36_SIZE 4
#define PT32_DIR_PSE36_SHIFT 13
#define PT32_DIR_PSE36_MASK 0x1e000ULL
#define PT64_NX_SHIFT 63
#define PT64_NX_MASK 0x8000000000000000ULL
#define PT_FIRST_AVAIL_BITS_SHIFT 9
#define PT64_SECOND_AVAIL_BITS_SHIFT 52
#define SPTE_HOST_WRITEABLE 0x200ULL
#define PT64_PERM_MASK 0x8000000000000007ULL

/* What the kernel ORs into a non-leaf shadow PTE: present, writable, user, accessed. */
#define MDBSIM_SPTE_TABLE_BITS 0x27ULL

#define ACC_EXEC_MASK 1
#define ACC_WRITE_MASK 2
#define ACC_USER_MASK 4
#define ACC_ALL 7

#define PT_PAGE_TABLE_LEVEL 1
#define PT_DIRECTORY_LEVEL 2
#define PT_PDPE_LEVEL 3
#define PT64_ROOT_LEVEL 4
#define PT32_ROOT_LEVEL 2
#define PT32E_ROOT_LEVEL 3

#define KVM_HPAGE_SHIFT(x) (12 + ((x) - 1) * 9)

/* The global vm_list header and each VM's kvm_avlmp header hold these. */
#define MDBSIM_KVM_VM_LIST_SIZE 34400
#define MDBSIM_KVM_VM_LIST_OFFSET 584
#define MDBSIM_KVM_AVL_SIZE 264
#define MDBSIM_KVM_AVL_OFFSET 0

#endif /* _MDBSIM_KVM_CONSTS_H */
