/*
 * Growing an array by doubling: the memseg table, the kvm_avlmp scan and the -v key list all
 * collect an unknown number of entries during a walk. An array may start in room its owner
 * holds (space), so that the common small case allocates nothing; that room is never freed.
 */
#include "kvm_dmod.h"

void *
kvmd_array_grow(void *arr, size_t n, size_t *cap, size_t elem, size_t first, void *space)
{
	size_t ncap;
	void *bigger;

	if (n < *cap)
		return (arr);
	ncap = *cap == 0 ? first : *cap * 2;
	bigger = mdb_alloc(ncap * elem, UM_SLEEP);
	if (n != 0)
		memcpy(bigger, arr, n * elem);
	kvmd_array_free(arr, *cap, elem, space);
	*cap = ncap;
	return (bigger);
}

void
kvmd_array_free(void *arr, size_t cap, size_t elem, void *space)
{
	if (arr != space)
		mdb_free(arr, cap * elem);
}
