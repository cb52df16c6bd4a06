/*
 * hello: a small dmod in the style of illumos' own, built out of tree against the mdbsim SDK.
 *
 *   ::walk hello_seg		every memseg on the kernel's `memsegs` chain
 *   addr::hello_seg		one line per memseg (frames, page_t array)
 *   ::hello [-v] [-g greeting]	a greeting, with the number of memsegs, page frames and VMs
 */
#include <sys/mdb_modapi.h>
#include <vm/page.h>

/*
 * Walker over the memseg chain: starts at the `memsegs` variable for a global walk, or at the
 * given memseg, and follows the `next` pointers.
 */
static int
hello_seg_walk_init(mdb_walk_state_t *wsp)
{
	if (wsp->walk_addr == NULL &&
	    mdb_readvar(&wsp->walk_addr, "memsegs") == -1) {
		mdb_warn("failed to read 'memsegs'");
		return (WALK_ERR);
	}
	return (WALK_NEXT);
}

static int
hello_seg_walk_step(mdb_walk_state_t *wsp)
{
	struct memseg seg;
	int status;

	if (wsp->walk_addr == NULL)
		return (WALK_DONE);

	if (mdb_vread(&seg, sizeof (seg), wsp->walk_addr) == -1) {
		mdb_warn("failed to read memseg at %p", wsp->walk_addr);
		return (WALK_ERR);
	}

	status = wsp->walk_callback(wsp->walk_addr, &seg, wsp->walk_cbdata);
	wsp->walk_addr = (uintptr_t)seg.next;
	return (status);
}

static int
hello_seg(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	struct memseg seg;

	if (!(flags & DCMD_ADDRSPEC)) {
		if (mdb_walk_dcmd("hello_seg", "hello_seg", argc, argv) == -1) {
			mdb_warn("can't walk memsegs");
			return (DCMD_ERR);
		}
		return (DCMD_OK);
	}

	if (argc != 0)
		return (DCMD_USAGE);

	if (DCMD_HDRSPEC(flags)) {
		mdb_printf("%-16s %16s %16s %8s %s\n",
		    "MEMSEG", "BASE", "END", "FRAMES", "PAGES");
	}

	if (mdb_vread(&seg, sizeof (seg), addr) == -1) {
		mdb_warn("failed to read memseg at %p", addr);
		return (DCMD_ERR);
	}

	mdb_printf("%0?p %16lx %16lx %8lu %0?p\n", addr, seg.pages_base,
	    seg.pages_end, seg.pages_end - seg.pages_base, seg.pages);
	return (DCMD_OK);
}

typedef struct hello_count {
	uint_t hc_segs;
	uint64_t hc_frames;
} hello_count_t;

/*ARGSUSED*/
static int
hello_count_seg(uintptr_t addr, const void *data, void *arg)
{
	const struct memseg *seg = data;
	hello_count_t *hc = arg;

	hc->hc_segs++;
	hc->hc_frames += seg->pages_end - seg->pages_base;
	return (WALK_NEXT);
}

/*ARGSUSED*/
static int
hello_count_vm(uintptr_t addr, const void *data, void *arg)
{
	uint_t *nvms = arg;

	(*nvms)++;
	return (WALK_NEXT);
}

/*ARGSUSED*/
static int
hello(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	const char *greeting = "hello";
	uint_t verbose = FALSE;
	hello_count_t hc = { 0, 0 };
	GElf_Sym sym;
	uint_t nvms = 0;

	if (flags & DCMD_ADDRSPEC)
		return (DCMD_USAGE);

	if (mdb_getopts(argc, argv,
	    'v', MDB_OPT_SETBITS, TRUE, &verbose,
	    'g', MDB_OPT_STR, &greeting, NULL) != argc)
		return (DCMD_USAGE);

	mdb_printf("%s from a dmod built out of tree\n", greeting);

	if (mdb_lookup_by_name("memsegs", &sym) == -1) {
		mdb_printf("this target has no memsegs\n");
		return (DCMD_OK);
	}
	if (mdb_walk("hello_seg", hello_count_seg, &hc) == -1) {
		mdb_warn("can't walk memsegs");
		return (DCMD_ERR);
	}
	mdb_printf("%u memsegs, %llu page frames (%llu KiB)\n", hc.hc_segs,
	    (u_longlong_t)hc.hc_frames, (u_longlong_t)hc.hc_frames * 4);

	if (mdb_lookup_by_name("vm_list", &sym) == 0) {
		if (mdb_pwalk("list", hello_count_vm, &nvms,
		    (uintptr_t)sym.st_value) == -1) {
			mdb_warn("can't walk vm_list");
			return (DCMD_ERR);
		}
		mdb_printf("%u VMs on vm_list\n", nvms);
	}

	if (verbose) {
		mdb_printf("\n");
		if (mdb_walk_dcmd("hello_seg", "hello_seg", 0, NULL) == -1) {
			mdb_warn("can't walk memsegs");
			return (DCMD_ERR);
		}
	}
	return (DCMD_OK);
}

static void
hello_help(void)
{
	mdb_printf(
	    "Print a greeting and count the memsegs, page frames and VMs of the\n"
	    "target.\n\n");
	(void) mdb_dec_indent(2);
	mdb_printf("%<b>OPTIONS%</b>\n");
	(void) mdb_inc_indent(2);
	mdb_printf(
	    "-g greeting  print this instead of \"hello\"\n"
	    "-v           also list every memseg (as ::hello_seg)\n");
}

static const mdb_dcmd_t dcmds[] = {
	{ "hello", "[-v] [-g greeting]", "greet and count memsegs and VMs",
	    hello, hello_help },
	{ "hello_seg", NULL, "print a memseg (every memseg without an address)",
	    hello_seg },
	{ NULL }
};

static const mdb_walker_t walkers[] = {
	{ "hello_seg", "walk the memseg chain from 'memsegs'",
	    hello_seg_walk_init, hello_seg_walk_step, NULL },
	{ NULL }
};

static const mdb_modinfo_t modinfo = { MDB_API_VERSION, dcmds, walkers };

const mdb_modinfo_t *
_mdb_init(void)
{
	return (&modinfo);
}
