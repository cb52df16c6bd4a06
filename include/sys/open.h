/* mdbsim SDK: illumos <sys/open.h>. Open-type constants for driver entry points. */
#ifndef _MDBSIM_SYS_OPEN_H
#define _MDBSIM_SYS_OPEN_H

#include <sys/types.h>

#define OTYP_BLK 0
#define OTYP_MNT 1
#define OTYP_CHR 2
#define OTYP_SWP 3
#define OTYP_LYR 4
#define OTYPCNT 5

#endif
