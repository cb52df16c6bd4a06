/*
 * A set of non-zero target addresses (open addressing, linear probing): the shadow pages a
 * listing has already visited.
 */
#include "shadow.h"

static size_t
addrset_hash(uintptr_t addr, size_t cap)
{
	/* Objects are 8-byte aligned; multiplicative hashing spreads the rest. */
	return ((size_t)(((uint64_t)addr >> 3) * 0x9E3779B97F4A7C15ULL) & (cap - 1));
}

static void
addrset_put(uintptr_t *slots, size_t cap, uintptr_t addr)
{
	size_t i = addrset_hash(addr, cap);

	while (slots[i] != 0)
		i = (i + 1) & (cap - 1);
	slots[i] = addr;
}

void
kvmd_addrset_init(kvmd_addrset_t *ka)
{
	ka->ka_cap = KVMD_ADDRSET_INLINE;	/* doubled as it fills */
	ka->ka_count = 0;
	ka->ka_slots = ka->ka_space;
	memset(ka->ka_space, 0, sizeof (ka->ka_space));
}

void
kvmd_addrset_fini(kvmd_addrset_t *ka)
{
	kvmd_array_free(ka->ka_slots, ka->ka_cap, sizeof (uintptr_t), ka->ka_space);
	ka->ka_slots = NULL;
	ka->ka_cap = ka->ka_count = 0;
}

boolean_t
kvmd_addrset_has(const kvmd_addrset_t *ka, uintptr_t addr)
{
	size_t i = addrset_hash(addr, ka->ka_cap);

	while (ka->ka_slots[i] != 0) {
		if (ka->ka_slots[i] == addr)
			return (B_TRUE);
		i = (i + 1) & (ka->ka_cap - 1);
	}
	return (B_FALSE);
}

boolean_t
kvmd_addrset_add(kvmd_addrset_t *ka, uintptr_t addr)
{
	if (kvmd_addrset_has(ka, addr))
		return (B_FALSE);
	/* Keep the load at most one half so that probes stay short. */
	if ((ka->ka_count + 1) * 2 > ka->ka_cap) {
		size_t cap = ka->ka_cap * 2, i;
		uintptr_t *slots = mdb_zalloc(cap * sizeof (uintptr_t), UM_SLEEP);

		for (i = 0; i < ka->ka_cap; i++) {
			if (ka->ka_slots[i] != 0)
				addrset_put(slots, cap, ka->ka_slots[i]);
		}
		kvmd_array_free(ka->ka_slots, ka->ka_cap, sizeof (uintptr_t), ka->ka_space);
		ka->ka_slots = slots;
		ka->ka_cap = cap;
	}
	addrset_put(ka->ka_slots, ka->ka_cap, addr);
	ka->ka_count++;
	return (B_TRUE);
}
