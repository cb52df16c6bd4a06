/* mdbsim SDK: illumos amd64 <sys/machtypes.h>. */
#ifndef _MDBSIM_SYS_MACHTYPES_H
#define _MDBSIM_SYS_MACHTYPES_H

/* Saved registers of a kernel setjmp: eight 64-bit words on amd64. */
typedef struct _label_t {
	long val[8];
} label_t;

typedef unsigned char lock_t;

#endif /* _MDBSIM_SYS_MACHTYPES_H */
