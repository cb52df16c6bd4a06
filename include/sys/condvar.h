/* mdbsim SDK: illumos kernel condition variable: a single 16-bit word (size and align 2). */
#ifndef _MDBSIM_SYS_CONDVAR_H
#define _MDBSIM_SYS_CONDVAR_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _kcondvar {
	ushort_t _opaque;
} kcondvar_t;

typedef enum {
	CV_DEFAULT,
	CV_DRIVER
} kcv_type_t;

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_SYS_CONDVAR_H */
