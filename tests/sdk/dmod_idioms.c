/*
 * A dmod written the way real illumos dmods are, compiled with -Wall -Werror against the SDK.
 * Every construct here is something unchanged dmods do and that must not warn:
 * uintptr_t compared with NULL, NULL passed for a uintptr_t, mdb_getopts ending in NULL,
 * mdb's own printf conversions (%a %b %r %?p ...), <gelf.h> and libc headers after the API
 * header, and the usual static dcmd/walker tables.  It is built as a shared object, as dmods are.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/mdb_modapi.h>
#include <gelf.h>
#include <sys/list.h>
#include <sys/avl.h>
#include <vm/page.h>
#include <mdb/mdb_ks.h>
#include <stdio.h>
#include <string.h>

#define IDIOM_VERBOSE 0x1
#define IDIOM_RAW 0x2

static const mdb_bitmask_t idiom_flag_bits[] = {
	{ "VERBOSE", IDIOM_VERBOSE, IDIOM_VERBOSE },
	{ "RAW", IDIOM_RAW, IDIOM_RAW },
	{ NULL, 0, 0 }
};

typedef struct idiom_walk {
	uintptr_t iw_head;
} idiom_walk_t;

static int
idiom_walk_init(mdb_walk_state_t *wsp)
{
	list_t list;
	GElf_Sym sym;

	if (wsp->walk_addr == NULL) {
		if (mdb_lookup_by_name("vm_list", &sym) == -1) {
			mdb_warn("couldn't find vm_list");
			return (WALK_ERR);
		}
		wsp->walk_addr = (uintptr_t)sym.st_value;
	}

	if (mdb_vread(&list, sizeof (list), wsp->walk_addr) == -1) {
		mdb_warn("couldn't read list_t at %p", wsp->walk_addr);
		return (WALK_ERR);
	}

	wsp->walk_data = mdb_zalloc(sizeof (idiom_walk_t), UM_SLEEP);
	((idiom_walk_t *)wsp->walk_data)->iw_head =
	    wsp->walk_addr + OFFSETOF(list_t, list_head);
	wsp->walk_addr = (uintptr_t)list.list_head.list_next;
	return (WALK_NEXT);
}

static int
idiom_walk_step(mdb_walk_state_t *wsp)
{
	idiom_walk_t *iw = wsp->walk_data;
	list_node_t node;
	int status;

	if (wsp->walk_addr == NULL || wsp->walk_addr == iw->iw_head)
		return (WALK_DONE);

	if (mdb_vread(&node, sizeof (node), wsp->walk_addr) == -1) {
		mdb_warn("couldn't read list node at %p", wsp->walk_addr);
		return (WALK_ERR);
	}

	status = wsp->walk_callback(wsp->walk_addr, &node, wsp->walk_cbdata);
	wsp->walk_addr = (uintptr_t)node.list_next;
	return (status);
}

static void
idiom_walk_fini(mdb_walk_state_t *wsp)
{
	mdb_free(wsp->walk_data, sizeof (idiom_walk_t));
}

/*ARGSUSED*/
static int
idiom_count_cb(uintptr_t addr, const void *data, void *arg)
{
	(*(size_t *)arg)++;
	return (WALK_NEXT);
}

static int
idiom_dcmd(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	uint_t opt_flags = 0;
	uintptr_t limit = 0;
	const char *name = NULL;
	boolean_t limit_set = B_FALSE;
	size_t count = 0;
	page_t page;
	uintptr_t pp;

	if (mdb_getopts(argc, argv,
	    'v', MDB_OPT_SETBITS, IDIOM_VERBOSE, &opt_flags,
	    'r', MDB_OPT_SETBITS, IDIOM_RAW, &opt_flags,
	    'n', MDB_OPT_STR, &name,
	    'l', MDB_OPT_UINTPTR_SET, &limit_set, &limit, NULL) != argc)
		return (DCMD_USAGE);

	if (!(flags & DCMD_ADDRSPEC)) {
		if (mdb_walk_dcmd("idiom", "idiom", argc, argv) == -1) {
			mdb_warn("can't walk idiom");
			return (DCMD_ERR);
		}
		return (DCMD_OK);
	}

	if (DCMD_HDRSPEC(flags))
		mdb_printf("%<u>%?s %-20s %s%</u>\n", "ADDR", "SYMBOL", "FLAGS");

	if (mdb_pwalk("idiom", idiom_count_cb, &count, NULL) == -1)
		return (DCMD_ERR);

	mdb_printf("%0?p %-20a %b\n", addr, addr, opt_flags, idiom_flag_bits);
	mdb_printf("%lr %#r %llx %H %Y\n", addr, count, (u_longlong_t)limit,
	    (uint64_t)PAGESIZE, (time_t)0);

	if ((pp = mdb_pfn2page(addr >> PAGESHIFT)) != NULL &&
	    mdb_vread(&page, sizeof (page), pp) == sizeof (page))
		mdb_printf("pfn %lx page %p\n", page.p_pagenum, pp);

	if (name != NULL && limit_set == B_TRUE)
		mdb_warn("%s limited to %lu\n", name, limit);

	return (DCMD_OK);
}

static void
idiom_help(void)
{
	mdb_printf("Print idioms.\n%<b>OPTIONS%</b>\n");
	(void) mdb_inc_indent(2);
	mdb_printf("-v verbose\n");
	(void) mdb_dec_indent(2);
}

static const mdb_dcmd_t dcmds[] = {
	{ "idiom", "?[-vr] [-n name] [-l limit]", "exercise dmod idioms", idiom_dcmd,
	    idiom_help },
	{ NULL }
};

static const mdb_walker_t walkers[] = {
	{ "idiom", "walk a list_t", idiom_walk_init, idiom_walk_step, idiom_walk_fini },
	{ NULL }
};

static const mdb_modinfo_t modinfo = { MDB_API_VERSION, dcmds, walkers };

const mdb_modinfo_t *
_mdb_init(void)
{
	return (&modinfo);
}
