/*
 * A dmod with the defects the host must survive (docs/architecture.md, "Faults in dmods" and
 * "Budgets"): a NULL dereference in a dcmd and in a walk step, a bad string handed to
 * mdb_printf (the fault is then inside the host), and walkers whose init or step never end
 * on their own. Built against the SDK headers only, like any dmod.
 */
#include <sys/mdb_modapi.h>

static volatile int *volatile null_pointer;

static int
fault_null_dcmd(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	mdb_printf("about to fault\n");
	return (*null_pointer);
}

static int
fault_printf_dcmd(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	mdb_printf("%s\n", (const char *)0x10);
	return (DCMD_OK);
}

static int
fault_walk_init(mdb_walk_state_t *wsp)
{
	wsp->walk_data = NULL;
	return (WALK_NEXT);
}

static int
fault_walk_step(mdb_walk_state_t *wsp)
{
	/* The first step reports an object, the second dereferences NULL. */
	if (wsp->walk_data != NULL)
		return (*null_pointer);
	wsp->walk_data = (void *)1;
	return (wsp->walk_callback(wsp->walk_addr, NULL, wsp->walk_cbdata));
}

/* walk_init that reads forever: only the host's budget or time limit ends it. */
static int
spin_init(mdb_walk_state_t *wsp)
{
	uintptr_t v;

	for (;;)
		(void) mdb_vread(&v, sizeof (v), wsp->walk_addr);
	/*NOTREACHED*/
	return (WALK_DONE);
}

static int
spin_step(mdb_walk_state_t *wsp)
{
	return (WALK_DONE);
}

/* A walk that never ends: every step reports the same object. */
static int
endless_step(mdb_walk_state_t *wsp)
{
	return (wsp->walk_callback(wsp->walk_addr, NULL, wsp->walk_cbdata));
}

static const mdb_dcmd_t dcmds[] = {
	{ "fault_null", NULL, "dereference NULL", fault_null_dcmd },
	{ "fault_printf", NULL, "print a string at an unmapped address",
	    fault_printf_dcmd },
	{ NULL }
};

static const mdb_walker_t walkers[] = {
	{ "fault_step", "fault in the second step", fault_walk_init,
	    fault_walk_step, NULL },
	{ "spin_init", "read forever in walk_init", spin_init, spin_step,
	    NULL },
	{ "endless", "never end", NULL, endless_step, NULL },
	{ NULL }
};

static const mdb_modinfo_t modinfo = { MDB_API_VERSION, dcmds, walkers };

const mdb_modinfo_t *
_mdb_init(void)
{
	return (&modinfo);
}
