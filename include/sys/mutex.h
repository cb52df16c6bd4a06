/* mdbsim SDK: illumos kernel mutex (one opaque word). */
#ifndef _MDBSIM_SYS_MUTEX_H
#define _MDBSIM_SYS_MUTEX_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mutex {
	void *_opaque[1];
} kmutex_t;

typedef enum {
	MUTEX_ADAPTIVE = 0,
	MUTEX_SPIN = 1,
	MUTEX_DRIVER = 4,
	MUTEX_DEFAULT = 6
} kmutex_type_t;

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_SYS_MUTEX_H */
