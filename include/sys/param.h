/*
 * mdbsim SDK: illumos <sys/param.h> on top of glibc's.
 * The page constants are the i86pc kernel's compile-time values (4 KiB pages), which is how a
 * dmod built with the kernel's flags sees them.
 */
#ifndef _MDBSIM_SYS_PARAM_H
#define _MDBSIM_SYS_PARAM_H

/* Keeps -pedantic quiet about #include_next, a GCC extension. */
#pragma GCC system_header

#include <sys/types.h>
#include_next <sys/param.h>

/* <mdb/mdb_param.h> defines these as the examined kernel's values (mdb_ks variables). */
#ifndef _MDBSIM_PARAM_FROM_MDB_KS
#define MMU_PAGESHIFT 12
#define MMU_PAGESIZE 0x1000
#define MMU_PAGEOFFSET (MMU_PAGESIZE - 1)
#define MMU_PAGEMASK (~MMU_PAGEOFFSET)

#ifndef PAGESHIFT
#define PAGESHIFT MMU_PAGESHIFT
#endif
#ifndef PAGESIZE
#define PAGESIZE MMU_PAGESIZE
#endif
#ifndef PAGEOFFSET
#define PAGEOFFSET (PAGESIZE - 1)
#endif
#ifndef PAGEMASK
#define PAGEMASK (~PAGEOFFSET)
#endif
#endif

#define MAXBSIZE 8192
#define DEV_BSIZE 512
#define DEV_BSHIFT 9
#define MAXNAMELEN 256
#define MAXLINKNAMELEN 32
#ifndef MAXPATHLEN
#define MAXPATHLEN 1024
#endif
#define ZONENAME_MAX 64

#define btop(x) (((x) >> PAGESHIFT))
#define btopr(x) ((((x) + PAGEOFFSET) >> PAGESHIFT))
#define ptob(x) ((x) << PAGESHIFT)
#define mmu_btop(x) (((x) >> MMU_PAGESHIFT))
#define mmu_btopr(x) ((((x) + MMU_PAGEOFFSET) >> MMU_PAGESHIFT))
#define mmu_ptob(x) ((x) << MMU_PAGESHIFT)

#endif /* _MDBSIM_SYS_PARAM_H */

#if defined(_MDBSIM_MDB_MODAPI_H) || defined(_KERNEL)
#include <sys/null.h>
#endif
