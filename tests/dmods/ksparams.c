/*
 * A dmod that reads the kernel's machine-dependent constants the way illumos dmods do, through
 * <mdb/mdb_param.h>: ::ksparams prints what the host's mdb_ks variables hold.
 */
#include <mdb/mdb_param.h>
#include <sys/mdb_modapi.h>

static int
ksparams(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	(void) addr;
	(void) flags;
	(void) argv;
	if (argc != 0)
		return (DCMD_USAGE);
	mdb_printf("pagesize %lx shift %u offset %lx mask %llx\n", PAGESIZE, PAGESHIFT,
	    PAGEOFFSET, PAGEMASK);
	mdb_printf("mmu %lx %u %lx %lx\n", MMU_PAGESIZE, MMU_PAGESHIFT, MMU_PAGEOFFSET,
	    MMU_PAGEMASK);
	mdb_printf("kernelbase %lx userlimit %lx userlimit32 %lx\n", KERNELBASE, USERLIMIT,
	    USERLIMIT32);
	mdb_printf("stack %lx ncpu %d log2 %d p2 %d\n", DEFAULTSTKSZ, NCPU, NCPU_LOG2, NCPU_P2);
	mdb_printf("btopr(0x1001) %lx\n", (ulong_t)btopr(0x1001));
	return (DCMD_OK);
}

static const mdb_dcmd_t dcmds[] = {
	{ "ksparams", NULL, "print the mdb_ks kernel parameters", ksparams },
	{ NULL }
};

static const mdb_modinfo_t modinfo = { MDB_API_VERSION, dcmds, NULL };

const mdb_modinfo_t *
_mdb_init(void)
{
	return (&modinfo);
}
