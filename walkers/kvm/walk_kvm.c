/*
 * Walker `kvm`: every struct kvm on the global vm_list, layered on the genunix `list` walker so
 * that list corruption is caught (and reported) by that walker.
 */
#include "kvm_dmod.h"

int
kvmd_kvm_walk_init(mdb_walk_state_t *wsp)
{
	GElf_Sym sym;
	list_t head;

	if (wsp->walk_addr != 0) {
		mdb_warn("kvm does not support non-global walks\n");
		return (WALK_ERR);
	}
	if (mdb_lookup_by_name("vm_list", &sym) == -1) {
		mdb_warn("unable to locate vm_list\n");
		return (WALK_ERR);
	}
	/* The list walker reads the head again; this read only tells the two failures apart. */
	if (mdb_vread(&head, sizeof (head), (uintptr_t)sym.st_value) != sizeof (head)) {
		mdb_warn("failed to read vm_list\n");
		return (WALK_ERR);
	}
	wsp->walk_addr = (uintptr_t)sym.st_value;
	if (mdb_layered_walk("list", wsp) == -1) {
		mdb_warn("failed to walk 'list'\n");
		return (WALK_ERR);
	}
	return (WALK_NEXT);
}

int
kvmd_kvm_walk_step(mdb_walk_state_t *wsp)
{
	return (wsp->walk_callback(wsp->walk_addr, wsp->walk_layer,
	    wsp->walk_cbdata));
}
