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
	kf->kf_segs = kvmd_array_grow(kf->kf_segs, kf->kf_nsegs, &kf->kf_cap,
	    sizeof (kvmd_memseg_t), 16, kf->kf_seg_space);
	kf->kf_segs[kf->kf_nsegs].km_pages = (uintptr_t)seg->pages;
	kf->kf_segs[kf->kf_nsegs].km_base = seg->pages_base;
	kf->kf_segs[kf->kf_nsegs].km_end = seg->pages_end;
	kf->kf_nsegs++;
	return (WALK_NEXT);
}

int
kvmd_frames_load(kvmd_frames_t *kf)
{
	kf->kf_segs = kf->kf_seg_space;
	kf->kf_nsegs = 0;
	kf->kf_cap = KVMD_INLINE_SEGS;
	kf->kf_last = (pfn_t)-1;
	kf->kf_win_base = 0;
	kf->kf_win_n = 0;
	kf->kf_win_buf = NULL;
	if (mdb_walk("memseg", frames_add, kf) == -1) {
		mdb_warn("kvm: can't walk memsegs");
		kvmd_frames_fini(kf);
		return (-1);
	}
	if (kf->kf_nsegs == KVMD_MAX_MEMSEGS) {
		kvmd_frames_fini(kf);
		return (-1);
	}
	kf->kf_win_buf = kf->kf_win_space;
	return (0);
}

void
kvmd_frames_fini(kvmd_frames_t *kf)
{
	kvmd_array_free(kf->kf_segs, kf->kf_cap, sizeof (kvmd_memseg_t), kf->kf_seg_space);
	kf->kf_segs = NULL;
	kf->kf_nsegs = kf->kf_cap = 0;
	kf->kf_win_buf = NULL;
	kf->kf_win_n = 0;
}

/*
 * Reads the p_pagenum of the page_ts of pfn and the frames after it in segment seg, up to the
 * window's size and the segment's end: one read from the first p_pagenum to the last.
 * Returns B_FALSE when they cannot be read in one go.
 */
static boolean_t
frames_fill_window(kvmd_frames_t *kf, size_t seg, pfn_t pfn)
{
	const kvmd_memseg_t *km = &kf->kf_segs[seg];
	size_t n = KVMD_FRAME_WINDOW, i, span;
	const char *buf = (const char *)kf->kf_win_buf;

	if (km->km_end - pfn < n)
		n = km->km_end - pfn;
	/*
	 * Every frame of the window must have seg as its first covering memseg: stop short of an
	 * earlier segment that starts inside the window (they overlap only in corrupt chains).
	 */
	for (i = 0; i < seg; i++) {
		const kvmd_memseg_t *e = &kf->kf_segs[i];

		if (e->km_base > pfn && e->km_base - pfn < n && e->km_end > e->km_base)
			n = e->km_base - pfn;
	}
	if (kf->kf_win_buf == NULL || n < 2)
		return (B_FALSE);
	span = (n - 1) * sizeof (page_t) + sizeof (pfn_t);
	if (mdb_vread(kf->kf_win_buf, span, km->km_pages + (pfn - km->km_base) * sizeof (page_t) +
	    offsetof(page_t, p_pagenum)) != (ssize_t)span)
		return (B_FALSE);
	for (i = 0; i < n; i++)
		memcpy(&kf->kf_win_pagenum[i], buf + i * sizeof (page_t), sizeof (pfn_t));
	kf->kf_win_base = pfn;
	kf->kf_win_n = n;
	kf->kf_win_pages = km->km_pages + (pfn - km->km_base) * sizeof (page_t);
	return (B_TRUE);
}

kvmd_frame_status_t
kvmd_frame_page(kvmd_frames_t *kf, pfn_t pfn, uintptr_t *page, pfn_t *found_pfn)
{
	size_t i;
	pfn_t actual, last = kf->kf_last;

	kf->kf_last = pfn;
	/* The window's frames all have its memseg as their first covering one: no search. */
	if (pfn - kf->kf_win_base < kf->kf_win_n) {
		*page = kf->kf_win_pages + (pfn - kf->kf_win_base) * sizeof (page_t);
		actual = kf->kf_win_pagenum[pfn - kf->kf_win_base];
		if (actual != pfn) {
			*found_pfn = actual;
			return (KVMD_FRAME_MISMATCH);
		}
		return (KVMD_FRAME_OK);
	}
	for (i = 0; i < kf->kf_nsegs; i++) {
		const kvmd_memseg_t *km = &kf->kf_segs[i];

		if (pfn < km->km_base || pfn >= km->km_end)
			continue;
		*page = km->km_pages + (pfn - km->km_base) * sizeof (page_t);
		if (pfn == last + 1 && frames_fill_window(kf, i, pfn)) {
			actual = kf->kf_win_pagenum[0];
		} else if (mdb_vread(&actual, sizeof (actual),
		    *page + offsetof(page_t, p_pagenum)) != sizeof (actual)) {
			return (KVMD_FRAME_UNREADABLE);
		}
		if (actual != pfn) {
			*found_pfn = actual;
			return (KVMD_FRAME_MISMATCH);
		}
		return (KVMD_FRAME_OK);
	}
	return (KVMD_FRAME_UNCOVERED);
}
