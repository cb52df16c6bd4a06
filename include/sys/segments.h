/* mdbsim SDK: illumos <sys/segments.h>. x86 segment descriptors; dmods include it but use nothing from it. */
#ifndef _MDBSIM_SYS_SEGMENTS_H
#define _MDBSIM_SYS_SEGMENTS_H

#include <sys/types.h>

#endif
