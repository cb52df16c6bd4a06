/*
 * ctf_linked (with linked_b.c): a dmod of two compilation units, so that ld links their CTF
 * into an archive: a parent dict with the types both units agree on, and a child dict per unit
 * for the types they disagree on (struct linked_clash). Opened as a target, its function and
 * data symbols must get their types from whichever dict holds them (ctf_cases_test.cpp).
 */
#include <sys/mdb_modapi.h>

struct linked_shared {
	int ls_id;
	long ls_count;
	int ls_grid[2][3];	/* gcc 12 swaps the dimensions: re-nested on reading */
};

/* linked_b.c has another struct linked_clash: this one goes into a.c's child dict. */
struct linked_clash {
	int lc_a;
};

/* Cites a.c's struct linked_clash, so it is a.c's too. */
struct linked_holder {
	struct linked_clash lh_clash;
	int lh_n;
};

struct linked_shared linked_shared_a;
struct linked_holder linked_holder_a;

/* Its type cites only shared types: the parent's function info. */
long
linked_add(int a, const char *b, struct linked_shared *c)
{
	return (a + (b != 0) + (c != 0));
}

/* Takes a.c's struct linked_clash by value: the function type lives in a.c's child dict. */
int
linked_clash_a(struct linked_clash c)
{
	return (c.lc_a);
}

static int
linked_dcmd(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	mdb_printf("%ld\n", linked_add(argc, NULL, &linked_shared_a));
	return (DCMD_OK);
}

static const mdb_dcmd_t dcmds[] = {
	{ "linked", NULL, "a two-unit dmod for CTF archive tests", linked_dcmd },
	{ NULL }
};

static const mdb_modinfo_t modinfo = { MDB_API_VERSION, dcmds, NULL };

const mdb_modinfo_t *
_mdb_init(void)
{
	return (&modinfo);
}
