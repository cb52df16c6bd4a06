/* mdbsim SDK: illumos <sys/stat.h>; glibc's header has everything a dmod needs from it. */
#ifndef _MDBSIM_SYS_STAT_H
#define _MDBSIM_SYS_STAT_H

/* Keeps -pedantic quiet about #include_next, a GCC extension. */
#pragma GCC system_header

#include <sys/types.h>
#include_next <sys/stat.h>

#endif

#if defined(_MDBSIM_MDB_MODAPI_H) || defined(_KERNEL)
#include <sys/null.h>
#endif
