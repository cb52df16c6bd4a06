/*
 * mdbsim SDK: illumos <sys/types.h> on top of glibc's.
 *
 * glibc's header comes first so that system headers reached from here (gelf.h -> libelf.h ->
 * sys/types.h, stdio.h, ...) keep working; only the illumos typedefs glibc lacks are added.
 */
#ifndef _MDBSIM_SYS_TYPES_H
#define _MDBSIM_SYS_TYPES_H

/* Keeps -pedantic quiet about #include_next, a GCC extension. */
#pragma GCC system_header

/*
 * The kernel view (-D_KERNEL, how illumos builds the kvm dmod) needs the illumos sigset_t
 * (16 bytes) because kernel structures embed it; glibc's is 128 bytes.  Claiming glibc's
 * sigset_t guard before its headers run keeps glibc from declaring its own.
 */
#if defined(_KERNEL) && !defined(__sigset_t_defined)
/* glibc's own prototypes (pselect, sigaction) still need its internal __sigset_t. */
#include <bits/types/__sigset_t.h>
#define __sigset_t_defined 1
#define _MDBSIM_ILLUMOS_SIGSET 1
typedef struct {
	unsigned int __sigbits[4];
} sigset_t;
#endif

#include_next <sys/types.h>
#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned char uchar_t;
typedef unsigned short ushort_t;
typedef unsigned int uint_t;
typedef unsigned long ulong_t;

typedef long long longlong_t;
typedef unsigned long long u_longlong_t;

typedef longlong_t offset_t;
typedef u_longlong_t u_offset_t;
typedef u_longlong_t len_t;
typedef u_longlong_t diskaddr_t;
typedef u_longlong_t physaddr_t;

#if !defined(__USE_MISC)
/* glibc declares caddr_t itself only in its default (non-strict) mode. */
typedef char *caddr_t;
#endif

typedef enum { B_FALSE = 0, B_TRUE = 1 } boolean_t;

/* Page frames and page counts are machine words on LP64 illumos. */
typedef unsigned long pfn_t;
typedef unsigned long pgcnt_t;
typedef long spgcnt_t;

typedef int selock_t;
typedef short pri_t;
typedef unsigned int major_t;
typedef unsigned int minor_t;
typedef int processorid_t;
typedef int zoneid_t;
typedef int projid_t;
typedef int taskid_t;
typedef int poolid_t;
typedef int psetid_t;
typedef int ctid_t;
typedef unsigned int o_mode_t;
typedef unsigned short o_dev_t;
typedef unsigned short o_uid_t;
typedef o_uid_t o_gid_t;
typedef short o_nlink_t;
typedef short o_pid_t;
typedef unsigned long o_ino_t;
typedef int datalink_id_t;
typedef unsigned long index_t;
typedef longlong_t hrtime_t;
typedef short cnt_t;
typedef ulong_t fsblkcnt32_t;
typedef int t_scalar_t;
typedef unsigned int t_uscalar_t;
typedef uchar_t use_t;

/* 64- and 128-bit "pad" types: the alignment they carry is the point of them. */
typedef union {
	double _d;
	int32_t _l[2];
} upad64_t;

typedef union {
	long double _q;
	uint32_t _l[4];
} upad128_t;

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_SYS_TYPES_H */
