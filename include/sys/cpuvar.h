/* mdbsim SDK: illumos <sys/cpuvar.h>: the cpu_t type name; its layout is not modelled. */
#ifndef _MDBSIM_SYS_CPUVAR_H
#define _MDBSIM_SYS_CPUVAR_H

#include <sys/types.h>
#include <sys/mutex.h>

typedef struct cpu cpu_t;

#endif /* _MDBSIM_SYS_CPUVAR_H */
