/* mdbsim SDK: illumos <sys/errno.h>; glibc's header has everything a dmod needs from it. */
#ifndef _MDBSIM_SYS_ERRNO_H
#define _MDBSIM_SYS_ERRNO_H

/* Keeps -pedantic quiet about #include_next, a GCC extension. */
#pragma GCC system_header

#include <sys/types.h>
#include_next <sys/errno.h>

#endif

#if defined(_MDBSIM_MDB_MODAPI_H) || defined(_KERNEL)
#include <sys/null.h>
#endif
