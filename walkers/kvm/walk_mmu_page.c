/*
 * Walker `kvm_mmu_page`: the shadow pages of one kvm in kvm_avlmp order (ascending page_t
 * address), layered on the genunix `avl` walker, which copies each whole kvm_mmu_page.
 */
#include "kvm_dmod.h"

int
kvmd_mmu_page_walk_init(mdb_walk_state_t *wsp)
{
	uintptr_t kvm = wsp->walk_addr;
	avl_tree_t tree;
	size_t off;

	if (kvm == 0) {
		mdb_warn("kvm_mmu_page does not support global walks\n");
		return (WALK_ERR);
	}
	off = KVMD_OFFSETOF(struct kvm, kvm_avlmp);
	if (kvmd_read_mmu_tree_at(kvm, off, &tree) == -1)
		return (WALK_ERR);
	wsp->walk_addr = kvm + off;
	if (mdb_layered_walk("avl", wsp) == -1) {
		mdb_warn("kvm_mmu_page: failed to walk 'avl' at %p", wsp->walk_addr);
		return (WALK_ERR);
	}
	return (WALK_NEXT);
}

int
kvmd_mmu_page_walk_step(mdb_walk_state_t *wsp)
{
	return (wsp->walk_callback(wsp->walk_addr, wsp->walk_layer,
	    wsp->walk_cbdata));
}
