/* mdbsim SDK: illumos <sys/ksynch.h>: all kernel synchronization types in one place. */
#ifndef _MDBSIM_SYS_KSYNCH_H
#define _MDBSIM_SYS_KSYNCH_H

#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/condvar.h>

typedef struct _ksema {
	void *_opaque[2];
} ksema_t;

#endif /* _MDBSIM_SYS_KSYNCH_H */
