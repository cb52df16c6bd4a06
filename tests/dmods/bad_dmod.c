/*
 * One source, many broken dmods: each build defines one BAD_* macro and so exercises one of the
 * loader's refusals (or, for DUPS and V3, one of its tolerated oddities).
 */
#include <sys/mdb_modapi.h>

static int
ok_dcmd(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	mdb_printf("ok\n");
	return (DCMD_OK);
}

static int
ok_step(mdb_walk_state_t *wsp)
{
	return (WALK_DONE);
}

#if defined(BAD_UNRESOLVED)
extern int mdbsim_no_such_symbol(void);
#endif

#if defined(V3)
/* API versions before 4 had no dc_tabp member. */
typedef struct old_dcmd {
	const char *dc_name;
	const char *dc_usage;
	const char *dc_descr;
	mdb_dcmd_f *dc_funcp;
	void (*dc_help)(void);
} old_dcmd_t;

static const old_dcmd_t old_dcmds[] = {
	{ "v3a", NULL, "first old-style dcmd", ok_dcmd, NULL },
	{ "v3b", NULL, "second old-style dcmd", ok_dcmd, NULL },
	{ NULL }
};
#endif

static const mdb_dcmd_t dcmds[] = {
#if defined(BAD_DCMDNAME)
	{ "bad-name", NULL, "illegal name", ok_dcmd },
#elif defined(BAD_NODESCR)
	{ "nodescr", NULL, NULL, ok_dcmd },
#elif defined(BAD_NULLFUNC)
	{ "nullfunc", NULL, "no function", NULL },
#elif defined(DUPS)
	{ "dup", NULL, "first definition", ok_dcmd },
	{ "dup", NULL, "second definition", ok_dcmd },
	{ "unique", NULL, "after the duplicate", ok_dcmd },
#endif
	{ "okdcmd", NULL, "a good dcmd", ok_dcmd },
	{ NULL }
};

static const mdb_walker_t walkers[] = {
#if defined(BAD_WALKNAME)
	{ "bad walk", "illegal name", NULL, ok_step },
#elif defined(BAD_WALKDESCR)
	{ "walkdescr", NULL, NULL, ok_step },
#elif defined(BAD_NULLSTEP)
	{ "nullstep", "no step", NULL, NULL },
#elif defined(DUPS)
	{ "wdup", "first", NULL, ok_step },
	{ "wdup", "second", NULL, ok_step },
#endif
	{ "okwalk", "a good walker", NULL, ok_step },
	{ NULL }
};

#if defined(BAD_NEWVER)
#define	DVERS	6
#elif defined(BAD_OLDVER)
#define	DVERS	0
#elif defined(V3)
#define	DVERS	3
#else
#define	DVERS	MDB_API_VERSION
#endif

#if defined(V3)
static const mdb_modinfo_t modinfo = { DVERS, (const mdb_dcmd_t *)old_dcmds,
    walkers };
#else
static const mdb_modinfo_t modinfo = { DVERS, dcmds, walkers };
#endif

#if defined(BAD_NOINIT)
const mdb_modinfo_t *
not_mdb_init(void)
{
	return (&modinfo);
}
#else
const mdb_modinfo_t *
_mdb_init(void)
{
#if defined(BAD_NULLINIT)
	(void) &modinfo;
	return (NULL);
#elif defined(BAD_UNRESOLVED)
	return (mdbsim_no_such_symbol() ? &modinfo : NULL);
#else
	(void) dcmds;
	return (&modinfo);
#endif
}
#endif
