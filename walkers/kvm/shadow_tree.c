/*
 * Finding the kvm_mmu_page of a page_t in a kvm's kvm_avlmp. The original walks the whole tree
 * for every entry; we walk it once per command into a sorted index and look pages up there
 * without reading the target. If that walk fails, a binary search on kmp_avlspt (as the kernel's
 * page_header() does, one node per level, depth-bounded) still answers.
 */
#include "shadow.h"

/* An AVL tree this tall would hold more nodes than a machine has memory: deeper is a cycle. */
#define	KVMD_MAX_AVL_HEIGHT	64

int
kvmd_shadow_tree_init(kvmd_shadow_tree_t *kt, uintptr_t kvm)
{
	avl_tree_t tree;
	size_t off = KVMD_OFFSETOF(struct kvm, kvm_avlmp);

	memset(kt, 0, offsetof(kvmd_shadow_tree_t, kt_scan_space));
	kt->kt_scan = kt->kt_scan_space;
	kt->kt_scancap = KVMD_INLINE_SCAN;
	kt->kt_kvm = kvm;
	kt->kt_tree = kvm + off;
	if (kvmd_read_mmu_tree_at(kvm, off, &tree) == -1)
		return (-1);
	kt->kt_root = (uintptr_t)tree.avl_root;
	kt->kt_numnodes = tree.avl_numnodes;
	return (0);
}

void
kvmd_shadow_tree_fini(kvmd_shadow_tree_t *kt)
{
	mdb_free(kt->kt_keys, kt->kt_cap * sizeof (uintptr_t));
	kt->kt_keys = NULL;
	kt->kt_nkeys = kt->kt_cap = 0;
	kvmd_array_free(kt->kt_scan, kt->kt_scancap, sizeof (kvmd_tree_entry_t), kt->kt_scan_space);
	kt->kt_scan = NULL;
	kt->kt_nscan = kt->kt_scancap = 0;
	kt->kt_scan_state = 0;
}

static void
kvmd_shadow_page_fill(kvmd_shadow_page_t *out, uintptr_t addr, const struct kvm_mmu_page *sp)
{
	out->sp_node = addr;
	out->sp_sptkma = (uintptr_t)sp->sptkma;
	memcpy(&out->sp_role, &sp->role, sizeof (out->sp_role));
	out->sp_root_count = sp->root_count;
	out->sp_known = B_TRUE;
}

int
kvmd_shadow_page_read(kvmd_shadow_page_t *sp)
{
	struct kvm_mmu_page page;

	if (mdb_vread(&page, sizeof (page), sp->sp_node) != sizeof (page))
		return (-1);
	kvmd_shadow_page_fill(sp, sp->sp_node, &page);
	return (0);
}

static int
scan_node(uintptr_t addr, const void *data, void *arg)
{
	const struct kvm_mmu_page *sp = data;
	kvmd_shadow_tree_t *kt = arg;

	kt->kt_scan = kvmd_array_grow(kt->kt_scan, kt->kt_nscan, &kt->kt_scancap,
	    sizeof (kvmd_tree_entry_t), 16, kt->kt_scan_space);
	/* The walk is in tree order: a key that does not grow means the order is corrupt. */
	if (kt->kt_nscan > 0 && sp->kmp_avlspt <= kt->kt_scan[kt->kt_nscan - 1].te_key &&
	    !kt->kt_out_of_order) {
		mdb_warn("kvm: kvm_avlmp at %p is out of order: kvm_mmu_page %p "
		    "(kmp_avlspt %p) follows kmp_avlspt %p\n", kt->kt_tree, addr,
		    sp->kmp_avlspt, kt->kt_scan[kt->kt_nscan - 1].te_key);
		kt->kt_out_of_order = B_TRUE;
	}
	kt->kt_scan[kt->kt_nscan].te_key = sp->kmp_avlspt;
	kvmd_shadow_page_fill(&kt->kt_scan[kt->kt_nscan].te_page, addr, sp);
	kt->kt_nscan++;
	return (WALK_NEXT);
}

static int
entry_compare(const void *a, const void *b)
{
	uintptr_t x = ((const kvmd_tree_entry_t *)a)->te_key;
	uintptr_t y = ((const kvmd_tree_entry_t *)b)->te_key;

	return (x < y ? -1 : x > y);
}

/*
 * The whole tree once, through the (cycle-safe) avl walker. Init has read and checked the tree
 * header already: walking `avl` at it directly is what the kvm_mmu_page walker would do, without
 * its second read of the header and a layer per node.
 */
static int
scan_build(kvmd_shadow_tree_t *kt)
{
	if (mdb_pwalk("avl", scan_node, kt, kt->kt_tree) == -1) {
		mdb_warn("kvm: failed to walk kvm_avlmp at %p of kvm %p", kt->kt_tree, kt->kt_kvm);
		kt->kt_scan_state = -1;
		return (-1);
	}
	if (kt->kt_nscan > 1)
		qsort(kt->kt_scan, kt->kt_nscan, sizeof (kvmd_tree_entry_t), entry_compare);
	kt->kt_scan_state = 1;
	return (0);
}

static kvmd_find_t
scan_find(kvmd_shadow_tree_t *kt, uintptr_t page, kvmd_shadow_page_t *found)
{
	size_t lo = 0, hi;

	hi = kt->kt_nscan;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (kt->kt_scan[mid].te_key == page) {
			*found = kt->kt_scan[mid].te_page;
			return (KVMD_FIND_FOUND);
		}
		if (kt->kt_scan[mid].te_key < page)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (KVMD_FIND_NONE);
}

static kvmd_find_t
tree_search(const kvmd_shadow_tree_t *kt, uintptr_t page, uintptr_t *mmu_page)
{
	uintptr_t node = kt->kt_root;
	int height;

	for (height = 0; node != 0; height++) {
		/* The node is the object's first member (checked by init). */
		uintptr_t key, child;
		int dir;

		if (height == KVMD_MAX_AVL_HEIGHT) {
			mdb_warn("kvm: kvm_avlmp at %p is deeper than %d levels: its "
			    "links form a cycle\n", kt->kt_tree, KVMD_MAX_AVL_HEIGHT);
			return (KVMD_FIND_ERROR);
		}
		if (mdb_vread(&key, sizeof (key), node +
		    offsetof(struct kvm_mmu_page, kmp_avlspt)) != sizeof (key)) {
			mdb_warn("kvm: couldn't read kvm_mmu_page at %p in kvm_avlmp at %p",
			    node, kt->kt_tree);
			return (KVMD_FIND_ERROR);
		}
		if (key == page) {
			*mmu_page = node;
			return (KVMD_FIND_FOUND);
		}
		dir = page > key;
		if (mdb_vread(&child, sizeof (child), node +
		    offsetof(struct kvm_mmu_page, kmp_avlnode) +
		    dir * sizeof (avl_node_t *)) != sizeof (child)) {
			mdb_warn("kvm: couldn't read avl_node_t at %p in kvm_avlmp at %p",
			    node, kt->kt_tree);
			return (KVMD_FIND_ERROR);
		}
		node = child;
	}
	return (KVMD_FIND_NONE);
}

kvmd_find_t
kvmd_shadow_tree_lookup(kvmd_shadow_tree_t *kt, uintptr_t page, kvmd_shadow_page_t *found)
{
	/*
	 * One walk of the tree per command buys lookups that read nothing; a tree the walk cannot
	 * finish (cycles, unreadable nodes: already warned) is still searched, with a depth bound.
	 */
	if (kt->kt_scan_state == 0)
		(void) scan_build(kt);
	if (kt->kt_scan_state == 1)
		return (scan_find(kt, page, found));
	found->sp_known = B_FALSE;
	return (tree_search(kt, page, &found->sp_node));
}

kvmd_find_t
kvmd_shadow_tree_find(kvmd_shadow_tree_t *kt, uintptr_t page, uintptr_t *mmu_page)
{
	kvmd_shadow_page_t found;
	kvmd_find_t r = kvmd_shadow_tree_lookup(kt, page, &found);

	if (r == KVMD_FIND_FOUND)
		*mmu_page = found.sp_node;
	return (r);
}

typedef struct tree_index {
	kvmd_shadow_tree_t *ti_tree;
	kvmd_frames_t *ti_frames;
	int ti_violations;
	ulong_t ti_count;
} tree_index_t;

static int
tree_index_node(uintptr_t addr, const void *data, void *arg)
{
	const struct kvm_mmu_page *sp = data;
	tree_index_t *ti = arg;
	kvmd_shadow_tree_t *kt = ti->ti_tree;
	uintptr_t key = sp->kmp_avlspt, page;
	pfn_t pfn, other;

	if (kt->kt_nkeys > 0 && key <= kt->kt_keys[kt->kt_nkeys - 1]) {
		mdb_printf("VIOLATION: kvm_avlmp: kvm_mmu_page 0x%p (kmp_avlspt 0x%p) "
		    "is not after kmp_avlspt 0x%p in tree order\n", addr, key,
		    kt->kt_keys[kt->kt_nkeys - 1]);
		ti->ti_violations++;
	}
	/* The key must be the page_t of the very frame it claims. */
	if (mdb_vread(&pfn, sizeof (pfn), key + offsetof(page_t, p_pagenum)) !=
	    sizeof (pfn)) {
		mdb_printf("VIOLATION: kvm_avlmp: kvm_mmu_page 0x%p: kmp_avlspt 0x%p "
		    "is not a readable page_t\n", addr, key);
		ti->ti_violations++;
	} else if (kvmd_frame_page(ti->ti_frames, pfn, &page, &other) !=
	    KVMD_FRAME_OK || page != key) {
		mdb_printf("VIOLATION: kvm_avlmp: kvm_mmu_page 0x%p: kmp_avlspt 0x%p "
		    "is not the page_t of its frame 0x%lx\n", addr, key, pfn);
		ti->ti_violations++;
	}

	kt->kt_keys = kvmd_array_grow(kt->kt_keys, kt->kt_nkeys, &kt->kt_cap, sizeof (uintptr_t), 256, NULL);
	kt->kt_keys[kt->kt_nkeys++] = key;
	ti->ti_count++;
	return (WALK_NEXT);
}

static int
key_compare(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return (x < y ? -1 : x > y);
}

int
kvmd_shadow_tree_index(kvmd_shadow_tree_t *kt, uintptr_t kvm, kvmd_frames_t *kf)
{
	tree_index_t ti;

	ti.ti_tree = kt;
	ti.ti_frames = kf;
	ti.ti_violations = 0;
	ti.ti_count = 0;
	/* kvmd_shadow_tree_init checked the header (as in scan_build). */
	if (mdb_pwalk("avl", tree_index_node, &ti, kt->kt_tree) == -1) {
		mdb_warn("kvm: failed to walk kvm_avlmp at %p of kvm %p", kt->kt_tree, kvm);
		return (-1);
	}
	if (ti.ti_count != kt->kt_numnodes) {
		mdb_printf("VIOLATION: kvm_avlmp: avl_numnodes is %lu, but the tree "
		    "holds %lu kvm_mmu_pages\n", kt->kt_numnodes, ti.ti_count);
		ti.ti_violations++;
	}
	/* Out-of-order trees are reported above; lookups still need sorted keys. */
	if (kt->kt_nkeys > 1)
		qsort(kt->kt_keys, kt->kt_nkeys, sizeof (uintptr_t), key_compare);
	return (ti.ti_violations);
}

boolean_t
kvmd_shadow_tree_has_key(const kvmd_shadow_tree_t *kt, uintptr_t page)
{
	size_t lo = 0, hi = kt->kt_nkeys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (kt->kt_keys[mid] == page)
			return (B_TRUE);
		if (kt->kt_keys[mid] < page)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (B_FALSE);
}
