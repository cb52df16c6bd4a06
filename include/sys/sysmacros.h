/* mdbsim SDK: illumos <sys/sysmacros.h> on top of glibc's: power-of-two alignment helpers. */
#ifndef _MDBSIM_SYS_SYSMACROS_H
#define _MDBSIM_SYS_SYSMACROS_H

/* Keeps -pedantic quiet about #include_next, a GCC extension. */
#pragma GCC system_header

#include <sys/types.h>
#include_next <sys/sysmacros.h>

/* Spelled exactly as glibc's <sys/param.h> spells them, so either order of inclusion is silent. */
#ifndef MIN
#define MIN(a,b) (((a)<(b))?(a):(b))
#endif
#ifndef MAX
#define MAX(a,b) (((a)>(b))?(a):(b))
#endif

/* align must be a power of two in all of these */
#define P2ALIGN(x, align) ((x) & -(align))
#define P2PHASE(x, align) ((x) & ((align) - 1))
#define P2NPHASE(x, align) (-(x) & ((align) - 1))
#define P2ROUNDUP(x, align) (-(-(x) & -(align)))
#define P2END(x, align) (-(~(x) & -(align)))
#define P2PHASEUP(x, align, phase) ((phase) - (((phase) - (x)) & -(align)))
#define P2BOUNDARY(off, len, align) (((off) ^ ((off) + (len) - 1)) > (align) - 1)
#define P2SAMEHIGHBIT(x, y) (((x) ^ (y)) < ((x) & (y)))
#define IS_P2ALIGNED(v, a) ((((uintptr_t)(v)) & ((uintptr_t)(a) - 1)) == 0)
#define ISP2(x) (((x) & ((x) - 1)) == 0)

#endif /* _MDBSIM_SYS_SYSMACROS_H */

#if defined(_MDBSIM_MDB_MODAPI_H) || defined(_KERNEL)
#include <sys/null.h>
#endif
