/*
 * A dmod that completes its own arguments (dc_tabp), the way illumos dmods do: one completer
 * inserts fixed names through UM_GC memory, one completes types and members through
 * mdb_tab_complete_mt, and one faults, for the host's recovery.
 */
#include <sys/mdb_modapi.h>

#include <string.h>

static const char *const colors[] = { "amber", "amethyst", "azure", "beige", NULL };

static int
cmd_color(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	if (argc != 1 || argv[0].a_type != MDB_TYPE_STRING)
		return (DCMD_USAGE);
	mdb_printf("%s\n", argv[0].a_un.a_str);
	return (DCMD_OK);
}

/* Completes the first argument from colors[]; names are copied into UM_GC memory first. */
static int
tab_color(mdb_tab_cookie_t *mcp, uint_t flags, int argc, const mdb_arg_t *argv)
{
	int i;

	if (argc > 1 || (argc == 0 && !(flags & DCMD_TAB_SPACE)))
		return (1);
	if (argc == 1)
		mdb_tab_setmbase(mcp, argv[0].a_un.a_str);
	for (i = 0; colors[i] != NULL; i++) {
		char *copy = mdb_alloc(strlen(colors[i]) + 1, UM_SLEEP | UM_GC);
		(void) strcpy(copy, colors[i]);
		mdb_tab_insert(mcp, copy);
	}
	return (0);
}

static int
cmd_typed(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	return (DCMD_OK);
}

static int
tab_fault(mdb_tab_cookie_t *mcp, uint_t flags, int argc, const mdb_arg_t *argv)
{
	volatile int *nowhere = NULL;

	return (*nowhere);
}

static const mdb_dcmd_t dcmds[] = {
	{ "color", "name", "print a color", cmd_color, NULL, tab_color },
	{ "typed", "type [member]", "complete a type and a member", cmd_typed, NULL,
	    mdb_tab_complete_mt },
	{ "badtab", "", "a completer that faults", cmd_typed, NULL, tab_fault },
	{ NULL }
};

static const mdb_modinfo_t modinfo = { MDB_API_VERSION, dcmds, NULL };

const mdb_modinfo_t *
_mdb_init(void)
{
	return (&modinfo);
}
