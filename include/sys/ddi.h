/* mdbsim SDK: illumos <sys/ddi.h>; dmods include it but use nothing from it beyond types. */
#ifndef _MDBSIM_SYS_DDI_H
#define _MDBSIM_SYS_DDI_H

#include <sys/types.h>
#include <sys/param.h>

#endif /* _MDBSIM_SYS_DDI_H */
