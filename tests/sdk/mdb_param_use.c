/*
 * A dmod's use of <mdb/mdb_param.h>: each constant must be the mdb_ks variable (an lvalue whose
 * address can be taken), not a literal, and the kernel macros built on them must still work.
 */
#ifdef MDBSIM_TEST_SYS_PARAM_FIRST
#include <sys/param.h>
#endif
#include <mdb/mdb_param.h>
#include <sys/mdb_modapi.h>

const void *mdb_param_addresses[] = {
	&PAGESIZE, &PAGESHIFT, &PAGEOFFSET, &PAGEMASK,
	&MMU_PAGESIZE, &MMU_PAGESHIFT, &MMU_PAGEOFFSET, &MMU_PAGEMASK,
	&KERNELBASE, &USERLIMIT, &USERLIMIT32, &ARGSBASE, &MSG_BSIZE, &DEFAULTSTKSZ,
	&NCPU, &NCPU_LOG2, &NCPU_P2,
};

uintptr_t
mdb_param_round_up(uintptr_t addr)
{
	return (ptob(btopr(addr)) + mmu_ptob(0));
}
