/* mdbsim SDK: illumos <sys/kmem.h>: kernel allocation flags and the kmem cache type name. */
#ifndef _MDBSIM_SYS_KMEM_H
#define _MDBSIM_SYS_KMEM_H

#include <sys/types.h>

/* Kernel allocation flags; note KM_SLEEP is 0, unlike mdb's UM_SLEEP. */
#define KM_SLEEP 0x0000
#define KM_NOSLEEP 0x0001
#define KM_PANIC 0x0002
#define KM_PUSHPAGE 0x0004
#define KM_NORMALPRI 0x0008
#define KM_NOSLEEP_LAZY (KM_NOSLEEP | KM_NORMALPRI)

typedef struct kmem_cache kmem_cache_t;

#endif /* _MDBSIM_SYS_KMEM_H */
