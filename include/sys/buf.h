/* mdbsim SDK: illumos <sys/buf.h>. Block I/O buffers; dmods include it but use nothing from it. */
#ifndef _MDBSIM_SYS_BUF_H
#define _MDBSIM_SYS_BUF_H

#include <sys/types.h>

struct buf;

#endif
