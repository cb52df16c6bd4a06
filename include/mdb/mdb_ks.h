/*
 * mdbsim SDK: the kernel support functions of illumos' mdb_ks module.
 * The mdbsim host exports these with C linkage for dmods examining the simulated kernel.
 */
#ifndef _MDBSIM_MDB_KS_H
#define _MDBSIM_MDB_KS_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Address of the page_t describing frame pfn, or 0 if no memseg covers it. */
extern uintptr_t mdb_pfn2page(pfn_t pfn);

/* Frame number recorded in the page_t at addr, or (pfn_t)-1 if it cannot be read. */
extern pfn_t mdb_page2pfn(uintptr_t addr);

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_MDB_KS_H */
