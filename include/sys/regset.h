/* mdbsim SDK: illumos amd64 <sys/regset.h>: the FPU save area kernel structures embed. */
#ifndef _MDBSIM_SYS_REGSET_H
#define _MDBSIM_SYS_REGSET_H

#include <sys/types.h>
#include <sys/fp.h>

#endif /* _MDBSIM_SYS_REGSET_H */
