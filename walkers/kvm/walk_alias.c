/*
 * Walker `kvm_mem_alias`: the aliases in use of one kvm. naliases comes from the target, so it
 * is clamped to the KVM_ALIAS_SLOTS entries that exist (the original trusted it and read past
 * its copy).
 */
#include "kvm_dmod.h"

typedef struct alias_walk {
	uintptr_t aw_addr;	/* target address of the struct kvm_mem_aliases */
	int aw_next;
	int aw_count;
	struct kvm_mem_aliases aw_aliases;
} alias_walk_t;

int
kvmd_alias_count(int naliases, uintptr_t aliases_addr)
{
	if (naliases >= 0 && naliases <= KVM_ALIAS_SLOTS)
		return (naliases);
	mdb_warn("kvm_mem_alias: aliases at %p claim %d aliases, but only "
	    "0 to %d (KVM_ALIAS_SLOTS) exist; using %d\n", aliases_addr,
	    naliases, KVM_ALIAS_SLOTS, naliases < 0 ? 0 : KVM_ALIAS_SLOTS);
	return (naliases < 0 ? 0 : KVM_ALIAS_SLOTS);
}

int
kvmd_alias_walk_init(mdb_walk_state_t *wsp)
{
	struct kvm_mem_aliases *aliases;
	alias_walk_t *aw;

	if (wsp->walk_addr == 0) {
		/* The newline: errno says nothing here, so no stale errno text is appended. */
		mdb_warn("kvm_mem_alias does not support global walks\n");
		return (WALK_ERR);
	}
	if (KVMD_READ_KVM_FIELD(wsp->walk_addr, arch.aliases, &aliases) == -1)
		return (WALK_ERR);

	aw = mdb_zalloc(sizeof (*aw), UM_SLEEP);
	if (mdb_vread(&aw->aw_aliases, sizeof (aw->aw_aliases),
	    (uintptr_t)aliases) != sizeof (aw->aw_aliases)) {
		mdb_warn("couldn't read aliases at %p", (uintptr_t)aliases);
		mdb_free(aw, sizeof (*aw));
		return (WALK_ERR);
	}
	aw->aw_addr = (uintptr_t)aliases;
	aw->aw_count = kvmd_alias_count(aw->aw_aliases.naliases, aw->aw_addr);
	wsp->walk_data = aw;
	return (WALK_NEXT);
}

int
kvmd_alias_walk_step(mdb_walk_state_t *wsp)
{
	alias_walk_t *aw = wsp->walk_data;
	int i = aw->aw_next;

	if (i >= aw->aw_count)
		return (WALK_DONE);
	aw->aw_next++;
	return (wsp->walk_callback(aw->aw_addr +
	    offsetof(struct kvm_mem_aliases, aliases) +
	    i * sizeof (struct kvm_mem_alias),
	    &aw->aw_aliases.aliases[i], wsp->walk_cbdata));
}

void
kvmd_alias_walk_fini(mdb_walk_state_t *wsp)
{
	mdb_free(wsp->walk_data, sizeof (alias_walk_t));
}
