/* mdbsim SDK: illumos <sys/spl.h>. Interrupt priority levels; nothing here is used by a dmod. */
#ifndef _MDBSIM_SYS_SPL_H
#define _MDBSIM_SYS_SPL_H

#include <sys/types.h>

#endif
