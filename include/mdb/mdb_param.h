/*
 * mdbsim SDK: illumos <mdb/mdb_param.h>.
 *
 * In a dmod, the page and address-space constants of <sys/param.h> must be the examined kernel's,
 * not the ones the dmod was compiled with. So this header includes <sys/param.h> without its
 * machine-dependent constants and makes each one name a variable of the mdb_ks support module,
 * which the host fills in from the target before any dmod runs. A dmod includes this header
 * instead of <sys/param.h>, and before it.
 *
 * Both generations of the header are covered: the older one's NCPU_LOG2 and NCPU_P2 and the newer
 * one's ARGSBASE.
 *
 * Difference from illumos: illumos' version also keeps <string.h> from being included (its kernel
 * and libc string declarations clash there); with glibc they do not, so <string.h> stays usable.
 */
#ifndef _MDBSIM_MDB_PARAM_H
#define _MDBSIM_MDB_PARAM_H

#ifdef _MDBSIM_SYS_PARAM_H
#error "You should not include <sys/param.h> prior to <mdb/mdb_param.h>"
#endif

/* Tells our <sys/param.h> to leave the machine-dependent constants to us. */
#define _MDBSIM_PARAM_FROM_MDB_KS 1
#include <sys/param.h>

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

extern unsigned long _mdb_ks_pagesize;
extern unsigned int _mdb_ks_pageshift;
extern unsigned long _mdb_ks_pageoffset;
extern unsigned long long _mdb_ks_pagemask;
extern unsigned long _mdb_ks_mmu_pagesize;
extern unsigned int _mdb_ks_mmu_pageshift;
extern unsigned long _mdb_ks_mmu_pageoffset;
extern unsigned long _mdb_ks_mmu_pagemask;
extern uintptr_t _mdb_ks_kernelbase;
extern uintptr_t _mdb_ks_userlimit;
extern uintptr_t _mdb_ks_userlimit32;
extern uintptr_t _mdb_ks_argsbase;
extern unsigned long _mdb_ks_msg_bsize;
extern unsigned long _mdb_ks_defaultstksz;
extern int _mdb_ks_ncpu;
extern int _mdb_ks_ncpu_log2;
extern int _mdb_ks_ncpu_p2;

#ifdef __cplusplus
}
#endif

#define PAGESIZE _mdb_ks_pagesize
#define PAGESHIFT _mdb_ks_pageshift
#define PAGEOFFSET _mdb_ks_pageoffset
#define PAGEMASK _mdb_ks_pagemask
#define MMU_PAGESIZE _mdb_ks_mmu_pagesize
#define MMU_PAGESHIFT _mdb_ks_mmu_pageshift
#define MMU_PAGEOFFSET _mdb_ks_mmu_pageoffset
#define MMU_PAGEMASK _mdb_ks_mmu_pagemask

#define KERNELBASE _mdb_ks_kernelbase
#define USERLIMIT _mdb_ks_userlimit
#define USERLIMIT32 _mdb_ks_userlimit32
#define ARGSBASE _mdb_ks_argsbase
#define MSG_BSIZE _mdb_ks_msg_bsize
#define DEFAULTSTKSZ _mdb_ks_defaultstksz
#define NCPU _mdb_ks_ncpu
#define NCPU_LOG2 _mdb_ks_ncpu_log2
#define NCPU_P2 _mdb_ks_ncpu_p2

#endif /* _MDBSIM_MDB_PARAM_H */
