/*
 * Resolving a physical frame to its page_t as mdb_pfn2page does, but with the memseg chain read
 * once per command instead of once per lookup: ::kvm_mmuinfo resolves one frame per PTE.
 */
#include "shadow.h"

/* More segments than any machine has: a longer chain is corrupt. */
#define	KVMD_MAX_MEMSEGS	65536

static int
frames_add(uintptr_t addr, const void *data, void *arg)
{
	const struct memseg *seg = data;
	kvmd_frames_t *kf = arg;

	if (kf->kf_nsegs == KVMD_MAX_MEMSEGS) {
		mdb_warn("kvm: memseg chain has more than %d segments; giving up at %p\n",
		    KVMD_MAX_MEMSEGS, addr);
		return (WALK_ERR);
	}
	if (kf->kf_nsegs == kf->kf_cap) {
		size_t cap = kf->kf_cap == 0 ? 16 : kf->kf_cap * 2;
		kvmd_memseg_t *segs = mdb_alloc(cap * sizeof (*segs), UM_SLEEP);

		if (kf->kf_nsegs != 0)
			memcpy(segs, kf->kf_segs, kf->kf_nsegs * sizeof (*segs));
		mdb_free(kf->kf_segs, kf->kf_cap * sizeof (*segs));
		kf->kf_segs = segs;
		kf->kf_cap = cap;
	}
	kf->kf_segs[kf->kf_nsegs].km_pages = (uintptr_t)seg->pages;
	kf->kf_segs[kf->kf_nsegs].km_base = seg->pages_base;
	kf->kf_segs[kf->kf_nsegs].km_end = seg->pages_end;
	kf->kf_nsegs++;
	return (WALK_NEXT);
}

int
kvmd_frames_load(kvmd_frames_t *kf)
{
	kf->kf_segs = NULL;
	kf->kf_nsegs = 0;
	kf->kf_cap = 0;
	if (mdb_walk("memseg", frames_add, kf) == -1) {
		mdb_warn("kvm: can't walk memsegs");
		kvmd_frames_fini(kf);
		return (-1);
	}
	if (kf->kf_nsegs == KVMD_MAX_MEMSEGS) {
		kvmd_frames_fini(kf);
		return (-1);
	}
	return (0);
}

void
kvmd_frames_fini(kvmd_frames_t *kf)
{
	mdb_free(kf->kf_segs, kf->kf_cap * sizeof (kvmd_memseg_t));
	kf->kf_segs = NULL;
	kf->kf_nsegs = kf->kf_cap = 0;
}

kvmd_frame_status_t
kvmd_frame_page(const kvmd_frames_t *kf, pfn_t pfn, uintptr_t *page, pfn_t *found_pfn)
{
	size_t i;
	pfn_t actual;

	for (i = 0; i < kf->kf_nsegs; i++) {
		const kvmd_memseg_t *km = &kf->kf_segs[i];

		if (pfn < km->km_base || pfn >= km->km_end)
			continue;
		*page = km->km_pages + (pfn - km->km_base) * sizeof (page_t);
		if (mdb_vread(&actual, sizeof (actual),
		    *page + offsetof(page_t, p_pagenum)) != sizeof (actual))
			return (KVMD_FRAME_UNREADABLE);
		if (actual != pfn) {
			*found_pfn = actual;
			return (KVMD_FRAME_MISMATCH);
		}
		return (KVMD_FRAME_OK);
	}
	return (KVMD_FRAME_UNCOVERED);
}
