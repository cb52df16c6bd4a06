/*
 * Growing an mdb_alloc'd array by doubling: the memseg table, the kvm_avlmp scan and the -v
 * key list all collect an unknown number of entries during a walk.
 */
#include "kvm_dmod.h"

void *
kvmd_array_grow(void *arr, size_t n, size_t *cap, size_t elem, size_t first)
{
	size_t ncap;
	void *bigger;

	if (n < *cap)
		return (arr);
	ncap = *cap == 0 ? first : *cap * 2;
	bigger = mdb_alloc(ncap * elem, UM_SLEEP);
	if (n != 0)
		memcpy(bigger, arr, n * elem);
	mdb_free(arr, *cap * elem);
	*cap = ncap;
	return (bigger);
}
