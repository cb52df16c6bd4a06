/* mdbsim SDK: illumos kernel reader/writer lock (one opaque word). */
#ifndef _MDBSIM_SYS_RWLOCK_H
#define _MDBSIM_SYS_RWLOCK_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _krwlock {
	void *_opaque[1];
} krwlock_t;

typedef enum {
	RW_DRIVER = 2,
	RW_DEFAULT = 4
} krw_type_t;

typedef enum {
	RW_WRITER,
	RW_READER,
	RW_READER_STARVEWRITER
} krw_t;

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_SYS_RWLOCK_H */
