#include <dlfcn.h>
#include <stdlib.h>

#include "ours_lookup.h"
#include "shadow.h"

struct bench_ours {
	__typeof__(&kvmd_frames_load) frames_load;
	__typeof__(&kvmd_frames_fini) frames_fini;
	__typeof__(&kvmd_frame_page) frame_page;
	__typeof__(&kvmd_shadow_tree_init) tree_init;
	__typeof__(&kvmd_shadow_tree_fini) tree_fini;
	__typeof__(&kvmd_shadow_tree_find) tree_find;
	kvmd_frames_t kf;
	kvmd_shadow_tree_t kt;
	int active;
};

#define	RESOLVE(bo, field, name) do { \
	*(void **)&(bo)->field = dlsym(handle, name); \
	if ((bo)->field == NULL) \
		goto missing; \
} while (0)

bench_ours_t *
bench_ours_open(void *handle, const char **why)
{
	bench_ours_t *bo = calloc(1, sizeof (*bo));

	if (bo == NULL || handle == NULL) {
		*why = "no module handle";
		free(bo);
		return (NULL);
	}
	RESOLVE(bo, frames_load, "kvmd_frames_load");
	RESOLVE(bo, frames_fini, "kvmd_frames_fini");
	RESOLVE(bo, frame_page, "kvmd_frame_page");
	RESOLVE(bo, tree_init, "kvmd_shadow_tree_init");
	RESOLVE(bo, tree_fini, "kvmd_shadow_tree_fini");
	RESOLVE(bo, tree_find, "kvmd_shadow_tree_find");
	return (bo);
missing:
	*why = dlerror();
	free(bo);
	return (NULL);
}

void
bench_ours_close(bench_ours_t *bo)
{
	if (bo != NULL && bo->active)
		bench_ours_end(bo);
	free(bo);
}

int
bench_ours_begin(bench_ours_t *bo, uintptr_t kvm)
{
	if (bo->frames_load(&bo->kf) != 0)
		return (-1);
	if (bo->tree_init(&bo->kt, kvm) != 0) {
		bo->frames_fini(&bo->kf);
		return (-1);
	}
	bo->active = 1;
	return (0);
}

void
bench_ours_end(bench_ours_t *bo)
{
	bo->tree_fini(&bo->kt);
	bo->frames_fini(&bo->kf);
	bo->active = 0;
}

int
bench_ours_lookup(bench_ours_t *bo, uint64_t hpa, uintptr_t *mmu_page)
{
	uintptr_t page = 0;
	pfn_t other = 0;
	pfn_t pfn = (hpa & KVMD_PTE_ADDR_MASK) >> KVMD_PAGE_SHIFT;

	if (bo->frame_page(&bo->kf, pfn, &page, &other) != KVMD_FRAME_OK)
		return (-1);
	switch (bo->tree_find(&bo->kt, page, mmu_page)) {
	case KVMD_FIND_FOUND:
		return (1);
	case KVMD_FIND_NONE:
		return (0);
	default:
		return (-1);
	}
}
