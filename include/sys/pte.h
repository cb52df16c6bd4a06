/* mdbsim SDK: illumos i86pc <sys/pte.h>: x86 page table entry types. */
#ifndef _MDBSIM_SYS_PTE_H
#define _MDBSIM_SYS_PTE_H

#include <sys/types.h>

typedef uint64_t x86pte_t;
typedef uint32_t x86pte32_t;
typedef x86pte_t pte_t;

#endif /* _MDBSIM_SYS_PTE_H */
