/*
 * A sample dmod written the way illumos dmods are: its own walker over a singly linked list of
 * sample_node structures, a layered walker on top of it, and dcmds using mdb_getopts, UM_GC
 * memory, walk-and-invoke and mdb_printf field widths.  Built against the SDK headers only.
 */
#include <sys/mdb_modapi.h>

struct sample_node {
	uintptr_t sn_next;
	uint32_t sn_id;
	uint32_t sn_flags;
	char sn_name[16];
};

#define	SN_ACTIVE	0x1
#define	SN_DIRTY	0x2

static const mdb_bitmask_t sample_flag_bits[] = {
	{ "ACTIVE", SN_ACTIVE, SN_ACTIVE },
	{ "DIRTY", SN_DIRTY, SN_DIRTY },
	{ NULL, 0, 0 }
};

static int
sample_node_walk_init(mdb_walk_state_t *wsp)
{
	if (wsp->walk_addr == NULL &&
	    mdb_readvar(&wsp->walk_addr, "sample_head") == -1) {
		mdb_warn("failed to read 'sample_head'");
		return (WALK_ERR);
	}
	wsp->walk_data = mdb_alloc(sizeof (struct sample_node), UM_SLEEP);
	return (WALK_NEXT);
}

static int
sample_node_walk_step(mdb_walk_state_t *wsp)
{
	struct sample_node *sn = wsp->walk_data;
	int status;

	if (wsp->walk_addr == NULL)
		return (WALK_DONE);

	if (mdb_vread(sn, sizeof (*sn), wsp->walk_addr) == -1) {
		mdb_warn("failed to read sample_node at %p", wsp->walk_addr);
		return (WALK_ERR);
	}

	status = wsp->walk_callback(wsp->walk_addr, sn, wsp->walk_cbdata);
	wsp->walk_addr = sn->sn_next;
	return (status);
}

static void
sample_node_walk_fini(mdb_walk_state_t *wsp)
{
	mdb_free(wsp->walk_data, sizeof (struct sample_node));
}

static int
sample_even_walk_init(mdb_walk_state_t *wsp)
{
	if (mdb_layered_walk("sample_node", wsp) == -1) {
		mdb_warn("couldn't walk 'sample_node'");
		return (WALK_ERR);
	}
	return (WALK_NEXT);
}

static int
sample_even_walk_step(mdb_walk_state_t *wsp)
{
	const struct sample_node *sn = wsp->walk_layer;

	if (sn->sn_id % 2 != 0)
		return (WALK_NEXT);
	return (wsp->walk_callback(wsp->walk_addr, wsp->walk_layer,
	    wsp->walk_cbdata));
}

static int
sample_node_dcmd(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	struct sample_node sn;
	uint_t verbose = FALSE;

	if (!(flags & DCMD_ADDRSPEC)) {
		if (mdb_walk_dcmd("sample_node", "sample_node", argc, argv) == -1) {
			mdb_warn("can't walk sample nodes");
			return (DCMD_ERR);
		}
		return (DCMD_OK);
	}

	if (mdb_getopts(argc, argv,
	    'v', MDB_OPT_SETBITS, TRUE, &verbose, NULL) != argc)
		return (DCMD_USAGE);

	if (DCMD_HDRSPEC(flags)) {
		mdb_printf("%-?s %4s %-8s %s\n", "ADDR", "ID", "FLAGS", "NAME");
	}

	if (mdb_vread(&sn, sizeof (sn), addr) == -1) {
		mdb_warn("couldn't read sample_node at %p", addr);
		return (DCMD_ERR);
	}

	mdb_printf("%0?p %4u %-8x %s", addr, sn.sn_id, sn.sn_flags, sn.sn_name);
	if (verbose)
		mdb_printf(" <%b>", sn.sn_flags, sample_flag_bits);
	mdb_printf("\n");
	return (DCMD_OK);
}

typedef struct sample_sum {
	uint64_t ss_total;
	uint64_t ss_threshold;
	uint_t ss_count;
} sample_sum_t;

static int
sample_sum_cb(uintptr_t addr, const void *data, void *arg)
{
	const struct sample_node *sn = data;
	sample_sum_t *ss = arg;

	if (sn->sn_id >= ss->ss_threshold) {
		ss->ss_total += sn->sn_id;
		ss->ss_count++;
	}
	return (WALK_NEXT);
}

static int
sample_sum_dcmd(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	sample_sum_t *ss = mdb_zalloc(sizeof (sample_sum_t), UM_SLEEP | UM_GC);
	const char *walker = "sample_node";
	uint_t even = FALSE;

	if (mdb_getopts(argc, argv,
	    't', MDB_OPT_UINT64, &ss->ss_threshold,
	    'e', MDB_OPT_SETBITS, TRUE, &even, NULL) != argc)
		return (DCMD_USAGE);

	if (even)
		walker = "sample_even";

	if (mdb_pwalk(walker, sample_sum_cb, ss,
	    (flags & DCMD_ADDRSPEC) ? addr : NULL) == -1) {
		mdb_warn("can't walk '%s'", walker);
		return (DCMD_ERR);
	}

	mdb_printf("%-8s %llu over %u nodes\n", "sum", ss->ss_total,
	    ss->ss_count);
	return (DCMD_OK);
}

static void
sample_sum_help(void)
{
	mdb_printf("Sums the ids of sample nodes.\n\n"
	    "  -e    only the nodes with even ids\n"
	    "  -t N  only ids of at least N\n");
}

static const mdb_dcmd_t dcmds[] = {
	{ "sample_node", "?[-v]", "print a sample node", sample_node_dcmd },
	{ "sample_sum", "?[-e] [-t threshold]", "sum sample node ids",
	    sample_sum_dcmd, sample_sum_help },
	{ NULL }
};

static const mdb_walker_t walkers[] = {
	{ "sample_node", "walk the sample nodes",
	    sample_node_walk_init, sample_node_walk_step,
	    sample_node_walk_fini },
	{ "sample_even", "walk the sample nodes with even ids",
	    sample_even_walk_init, sample_even_walk_step, NULL },
	{ NULL }
};

static const mdb_modinfo_t modinfo = { MDB_API_VERSION, dcmds, walkers };

const mdb_modinfo_t *
_mdb_init(void)
{
	return (&modinfo);
}

void
_mdb_fini(void)
{
	mdb_printf("sample: fini\n");
}
