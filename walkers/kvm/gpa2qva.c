/*
 * dcmd `kvm_gpa2qva`: translates a guest physical address of one kvm to the QEMU virtual address
 * that backs it, through the kvm's aliases and then its memory slots.
 */
#include "kvm_dmod.h"

typedef struct gpa2qva {
	uint64_t gq_gfn;	/* the frame being translated, updated by an alias */
	uint64_t gq_offset;	/* byte offset within the frame */
	boolean_t gq_found;
	uintptr_t gq_qva;
} gpa2qva_t;

static int
gpa2qva_alias(uintptr_t addr, const void *data, void *arg)
{
	const struct kvm_mem_alias *alias = data;
	gpa2qva_t *gq = arg;

	if (alias->flags & KVM_ALIAS_INVALID)
		return (WALK_NEXT);
	if (gq->gq_gfn < alias->base_gfn ||
	    gq->gq_gfn - alias->base_gfn >= alias->npages)
		return (WALK_NEXT);
	gq->gq_gfn = alias->target_gfn + (gq->gq_gfn - alias->base_gfn);
	return (WALK_DONE);
}

static int
gpa2qva_slot(uintptr_t addr, const void *data, void *arg)
{
	const struct kvm_memory_slot *slot = data;
	gpa2qva_t *gq = arg;

	if (gq->gq_gfn < slot->base_gfn ||
	    gq->gq_gfn - slot->base_gfn >= slot->npages)
		return (WALK_NEXT);
	gq->gq_qva = slot->userspace_addr +
	    ((gq->gq_gfn - slot->base_gfn) << KVMD_PAGE_SHIFT) + gq->gq_offset;
	gq->gq_found = B_TRUE;
	return (WALK_DONE);
}

int
kvmd_gpa2qva(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	gpa2qva_t gq;
	uintptr_t kvm;
	struct kvm_memslots *memslots;

	if (!(flags & DCMD_ADDRSPEC) || argc != 1)
		return (DCMD_USAGE);
	switch (argv[0].a_type) {
	case MDB_TYPE_STRING:
		kvm = (uintptr_t)mdb_strtoull(argv[0].a_un.a_str);
		break;
	case MDB_TYPE_IMMEDIATE:
		kvm = (uintptr_t)argv[0].a_un.a_val;
		break;
	default:
		return (DCMD_USAGE);
	}
	/* Fail on an unreadable kvm here, with the original's message, before any walk. */
	if (KVMD_READ_KVM_FIELD(kvm, memslots, &memslots) == -1)
		return (DCMD_ERR);

	gq.gq_gfn = addr >> KVMD_PAGE_SHIFT;
	gq.gq_offset = addr & ((1UL << KVMD_PAGE_SHIFT) - 1);
	gq.gq_found = B_FALSE;
	gq.gq_qva = 0;

	if (mdb_pwalk("kvm_mem_alias", gpa2qva_alias, &gq, kvm) == -1) {
		mdb_warn("failed to walk 'kvm_mem_alias' for %p", kvm);
		return (DCMD_ERR);
	}
	if (mdb_pwalk("kvm_memory_slot", gpa2qva_slot, &gq, kvm) == -1) {
		mdb_warn("failed to walk 'kvm_memory_slot' for %p", kvm);
		return (DCMD_ERR);
	}
	if (!gq.gq_found) {
		/* The newline: errno says nothing here, so no stale errno text is appended. */
		mdb_warn("0x%p is unknown for kvm 0x%p\n", addr, kvm);
		return (DCMD_ERR);
	}
	mdb_printf("%p\n", gq.gq_qva);
	return (DCMD_OK);
}
