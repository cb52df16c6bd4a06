/*
 * Walker `kvm_memory_slot`: the KVM_MEMORY_SLOTS user slots of one kvm, whatever nmemslots says
 * (as the original); the private slots after them are not visited.
 */
#include "kvm_dmod.h"

typedef struct memslot_walk {
	uintptr_t mw_first;	/* target address of slot 0 */
	int mw_next;
	struct kvm_memory_slot mw_slots[KVM_MEMORY_SLOTS];
} memslot_walk_t;

int
kvmd_memslot_walk_init(mdb_walk_state_t *wsp)
{
	struct kvm_memslots *memslots;
	memslot_walk_t *mw;
	uintptr_t first;

	if (wsp->walk_addr == 0) {
		/* The newline: errno says nothing here, so no stale errno text is appended. */
		mdb_warn("kvm_memory_slot does not support global walks\n");
		return (WALK_ERR);
	}
	if (KVMD_READ_KVM_FIELD(wsp->walk_addr, memslots, &memslots) == -1)
		return (WALK_ERR);

	first = (uintptr_t)memslots + offsetof(struct kvm_memslots, memslots);
	mw = mdb_zalloc(sizeof (*mw), UM_SLEEP);
	if (mdb_vread(mw->mw_slots, sizeof (mw->mw_slots), first) !=
	    sizeof (mw->mw_slots)) {
		mdb_warn("couldn't read memslots at %p", (uintptr_t)memslots);
		mdb_free(mw, sizeof (*mw));
		return (WALK_ERR);
	}
	mw->mw_first = first;
	wsp->walk_data = mw;
	return (WALK_NEXT);
}

int
kvmd_memslot_walk_step(mdb_walk_state_t *wsp)
{
	memslot_walk_t *mw = wsp->walk_data;
	int i = mw->mw_next;

	if (i >= KVM_MEMORY_SLOTS)
		return (WALK_DONE);
	mw->mw_next++;
	return (wsp->walk_callback(
	    mw->mw_first + i * sizeof (struct kvm_memory_slot),
	    &mw->mw_slots[i], wsp->walk_cbdata));
}

void
kvmd_memslot_walk_fini(mdb_walk_state_t *wsp)
{
	mdb_free(wsp->walk_data, sizeof (memslot_walk_t));
}
