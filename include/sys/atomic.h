/* mdbsim SDK: illumos <sys/atomic.h>; a dmod reads memory, so no atomic operation is provided. */
#ifndef _MDBSIM_SYS_ATOMIC_H
#define _MDBSIM_SYS_ATOMIC_H

#include <sys/types.h>

#endif /* _MDBSIM_SYS_ATOMIC_H */
