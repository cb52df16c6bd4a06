/* mdbsim SDK: illumos <sys/modctl.h>. Kernel module linkage; dmods include it but use nothing from it. */
#ifndef _MDBSIM_SYS_MODCTL_H
#define _MDBSIM_SYS_MODCTL_H

#include <sys/types.h>

struct modlinkage;
struct modldrv;

#endif
