/*
 * The recursive listing of a shadow page table, in the original's format. Unlike the original
 * it knows each table's level, so leaves (level 1, or a large page) end the descent and the
 * depth is bounded; it reads each table once and reports a shadow page reached twice instead of
 * listing it again.
 */
#include "shadow.h"

#define	NOTE_INDENT	"          "	/* under the entry's index, as the original's ^^-- line */
#define	SPT_GROUP	8	/* entries tested together for the walk bits; divides 512 */

/*
 * B_TRUE when none of the SPT_GROUP entries at p has all the walk bits: not even their union
 * has them.
 */
static inline boolean_t
spt_group_unlisted(const uint64_t *p)
{
	uint64_t any = p[0] | p[1] | p[2] | p[3] | p[4] | p[5] | p[6] | p[7];

	return ((any & KVMD_PTE_WALK_BITS) != KVMD_PTE_WALK_BITS);
}

void
kvmd_spt_dump_init(kvmd_spt_dump_t *sd, kvmd_frames_t *kf,
    kvmd_shadow_tree_t *kt, uint_t flags)
{
	memset(sd, 0, sizeof (*sd));
	sd->sd_frames = kf;
	sd->sd_tree = kt;
	sd->sd_flags = flags;
	kvmd_addrset_init(&sd->sd_visited);
}

void
kvmd_spt_dump_fini(kvmd_spt_dump_t *sd)
{
	kvmd_addrset_fini(&sd->sd_visited);
}

static boolean_t
spt_on_path(const kvmd_spt_dump_t *sd, uintptr_t mmu_page)
{
	int i;

	for (i = 0; i < sd->sd_depth; i++) {
		if (sd->sd_path[i] == mmu_page)
			return (B_TRUE);
	}
	return (B_FALSE);
}

/* Why a frame has no usable page_t, after a "^^-- ERROR: " or "^^-- VIOLATION: " prefix. */
static void
spt_frame_problem(kvmd_frame_status_t st, pfn_t pfn, uintptr_t page, pfn_t other)
{
	switch (st) {
	case KVMD_FRAME_UNCOVERED:
		mdb_printf("pfn 0x%lx has no page_t: no memseg covers it\n", pfn);
		break;
	case KVMD_FRAME_UNREADABLE:
		mdb_printf("pfn 0x%lx has no page_t: page_t 0x%p is unreadable\n", pfn, page);
		break;
	case KVMD_FRAME_MISMATCH:
		mdb_printf("pfn 0x%lx has no page_t: page_t 0x%p is that of pfn 0x%lx\n",
		    pfn, page, other);
		break;
	case KVMD_FRAME_OK:
		break;
	}
}

/*
 * The entry line, and a leaf's note with it, for each depth: its indentation written into the
 * format, so that a listing of a million entries makes one mdb_printf call per leaf with no
 * %s to measure (the same text as "%s[%d]..." with the indentation as the string).
 */
#define	SPT_ENTRY(ind)	ind "[%d]  0x%p  (hpa 0x%p)\n"
#define	SPT_FORMATS(ind) {						\
	SPT_ENTRY(ind),							\
	SPT_ENTRY(ind) ind NOTE_INDENT "^^-- ERROR: no private data in avltree\n", \
	SPT_ENTRY(ind) ind NOTE_INDENT "^^-- leaf: %s page\n" }
#define	SPT_FMT_ENTRY		0
#define	SPT_FMT_LEAF		1
#define	SPT_FMT_LEAF_LABEL	2

static const char *const spt_formats[KVMD_MAX_LEVEL][3] = {
	SPT_FORMATS("    "),
	SPT_FORMATS("        "),
	SPT_FORMATS("            "),
	SPT_FORMATS("                ")
};

/* The formats for an indentation, or NULL (then "%s" with ind). */
static const char *const *
spt_formats_for(int indent)
{
	if (indent < 4 || indent > 4 * KVMD_MAX_LEVEL || indent % 4 != 0)
		return (NULL);
	return (spt_formats[indent / 4 - 1]);
}

/* An entry's line. */
static void
spt_entry(const char *ind, const char *const *fmts, int i, uint64_t e, pfn_t pfn)
{
	if (fmts != NULL)
		mdb_printf(fmts[SPT_FMT_ENTRY], i, e, pfn);
	else
		mdb_printf("%s[%d]  0x%p  (hpa 0x%p)\n", ind, i, e, pfn);
}

static const char *
spt_leaf_size(int level)
{
	return (level == 1 ? "4K" : level == 2 ? "2M" : "1G");
}

/*
 * A leaf entry maps guest memory: its line, then by default the original's error line, -l a
 * label. A frame without a page_t (where the original recursed for ever) is reported instead.
 */
static void
spt_leaf(kvmd_spt_dump_t *sd, const char *ind, const char *const *fmts, int i, uint64_t e,
    pfn_t pfn, int level)
{
	kvmd_frame_status_t st;
	uintptr_t page = 0;
	pfn_t other = 0;
	boolean_t label = (sd->sd_flags & KVMD_MMU_LABEL_LEAVES) != 0;

	sd->sd_nleaves++;
	st = kvmd_frame_page(sd->sd_frames, pfn, &page, &other);
	if (st != KVMD_FRAME_OK) {
		spt_entry(ind, fmts, i, e, pfn);
		mdb_printf("%s" NOTE_INDENT "^^-- ERROR: leaf ", ind);
		spt_frame_problem(st, pfn, page, other);
		sd->sd_errors++;
		return;
	}
	if (fmts != NULL && label) {
		mdb_printf(fmts[SPT_FMT_LEAF_LABEL], i, e, pfn, spt_leaf_size(level));
	} else if (fmts != NULL) {
		mdb_printf(fmts[SPT_FMT_LEAF], i, e, pfn);
	} else {
		spt_entry(ind, fmts, i, e, pfn);
		if (label)
			mdb_printf("%s" NOTE_INDENT "^^-- leaf: %s page\n", ind,
			    spt_leaf_size(level));
		else
			mdb_printf("%s" NOTE_INDENT "^^-- ERROR: no private data in avltree\n",
			    ind);
	}

	if ((sd->sd_flags & KVMD_MMU_VERIFY) && kvmd_shadow_tree_has_key(sd->sd_tree, page)) {
		mdb_printf("%s" NOTE_INDENT "^^-- VIOLATION: leaf maps pfn 0x%lx, "
		    "which holds a shadow page table\n", ind, pfn);
		sd->sd_violations++;
	}
}

/* A non-leaf entry: find the child's shadow page and list its table below the entry. */
static void
spt_child(kvmd_spt_dump_t *sd, const char *ind, pfn_t pfn, int level, int indent)
{
	kvmd_shadow_page_t child;
	kvmd_frame_status_t st;
	uintptr_t page = 0, mmu_page;
	pfn_t other = 0;

	st = kvmd_frame_page(sd->sd_frames, pfn, &page, &other);
	if (st != KVMD_FRAME_OK) {
		mdb_printf("%s" NOTE_INDENT "^^-- ERROR: ", ind);
		spt_frame_problem(st, pfn, page, other);
		sd->sd_errors++;
		return;
	}
	switch (kvmd_shadow_tree_lookup(sd->sd_tree, page, &child)) {
	case KVMD_FIND_ERROR:
		mdb_printf("%s" NOTE_INDENT "^^-- ERROR: kvm_avlmp is corrupt; "
		    "cannot look up page_t 0x%p\n", ind, page);
		sd->sd_errors++;
		return;
	case KVMD_FIND_NONE:
		mdb_printf("%s" NOTE_INDENT "^^-- ERROR: no private data in avltree\n", ind);
		sd->sd_errors++;
		return;
	case KVMD_FIND_FOUND:
		break;
	}
	mmu_page = child.sp_node;
	if (spt_on_path(sd, mmu_page)) {
		mdb_printf("%s" NOTE_INDENT "^^-- ERROR: cycle: kvm_mmu_page 0x%p is "
		    "already being listed above\n", ind, mmu_page);
		sd->sd_errors++;
		return;
	}
	if (kvmd_addrset_has(&sd->sd_visited, mmu_page)) {
		mdb_printf("%s" NOTE_INDENT "^^-- ERROR: revisit: kvm_mmu_page 0x%p "
		    "was already listed\n", ind, mmu_page);
		sd->sd_errors++;
		return;
	}
	if (!child.sp_known && kvmd_shadow_page_read(&child) == -1) {
		mdb_printf("%s" NOTE_INDENT "^^-- ERROR: couldn't read kvm_mmu_page "
		    "0x%p\n", ind, mmu_page);
		sd->sd_errors++;
		return;
	}
	if (sd->sd_flags & KVMD_MMU_VERIFY) {
		if ((int)KVMD_ROLE_LEVEL(child.sp_role) != level - 1) {
			mdb_printf("%s" NOTE_INDENT "^^-- VIOLATION: kvm_mmu_page 0x%p has "
			    "role.level %u, but its table is at level %d\n", ind, mmu_page,
			    KVMD_ROLE_LEVEL(child.sp_role), level - 1);
			sd->sd_violations++;
		}
	}
	kvmd_spt_dump(sd, mmu_page, child.sp_sptkma, level - 1, indent + 4);
}

void
kvmd_spt_dump(kvmd_spt_dump_t *sd, uintptr_t mmu_page, uintptr_t sptkma, int level,
    int indent)
{
	char ind[KVMD_MAX_LEVEL * 4 + 8];
	const char *const *fmts = spt_formats_for(indent);
	/*
	 * This depth's table: 4 KB of stack, at most KVMD_MAX_LEVEL deep (no per-command heap
	 * buffer to allocate and fill).
	 */
	uint64_t pte[KVMD_PTES_PER_TABLE];
	int g, i;

	/* Levels only decrease, so the depth never exceeds the number of levels. */
	if (sd->sd_depth >= KVMD_MAX_LEVEL || level < 1 || level > KVMD_MAX_LEVEL)
		return;
	if (mdb_vread(pte, sizeof (pte), sptkma) != sizeof (pte)) {
		mdb_printf("ERROR: could not read SPT PTE\n");
		sd->sd_errors++;
		return;
	}
	(void) kvmd_addrset_add(&sd->sd_visited, mmu_page);
	sd->sd_path[sd->sd_depth++] = mmu_page;
	sd->sd_ntables++;

	if (indent > (int)sizeof (ind) - 1)
		indent = sizeof (ind) - 1;
	memset(ind, ' ', indent);
	ind[indent] = '\0';

	/* Most of a table's entries are not listed: whole groups are skipped at once. */
	for (g = 0; g < KVMD_PTES_PER_TABLE; g += SPT_GROUP) {
		if (spt_group_unlisted(pte + g))
			continue;
		for (i = g; i < g + SPT_GROUP; i++) {
			uint64_t e = pte[i];
			pfn_t pfn;
			boolean_t large;

			if ((e & KVMD_PTE_WALK_BITS) != KVMD_PTE_WALK_BITS)
				continue;
			pfn = (e & KVMD_PTE_ADDR_MASK) >> KVMD_PAGE_SHIFT;
			large = (e & KVMD_PTE_PAGE_SIZE) != 0;
			if (level == 1 || (large && level < KVMD_MAX_LEVEL)) {
				spt_leaf(sd, ind, fmts, i, e, pfn, level);
				continue;
			}
			spt_entry(ind, fmts, i, e, pfn);
			if (large && (sd->sd_flags & KVMD_MMU_VERIFY)) {
				mdb_printf("%s" NOTE_INDENT "^^-- VIOLATION: page size bit set "
				    "in a level-%d entry, where it is reserved\n", ind, level);
				sd->sd_violations++;
			}
			spt_child(sd, ind, pfn, level, indent);
		}
	}
	sd->sd_depth--;
	mdb_printf("\n");
}
