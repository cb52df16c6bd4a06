/*
 * mdbsim SDK: illumos kernel statistics (kstat_t, kstat_named_t).
 * kstat_named_t is 48 bytes: a 31-byte name, a type byte and a 16-byte value union.
 */
#ifndef _MDBSIM_SYS_KSTAT_H
#define _MDBSIM_SYS_KSTAT_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int kid_t;

#define KSTAT_STRLEN 31

#define KSTAT_TYPE_RAW 0
#define KSTAT_TYPE_NAMED 1
#define KSTAT_TYPE_INTR 2
#define KSTAT_TYPE_IO 3
#define KSTAT_TYPE_TIMER 4
#define KSTAT_NUM_TYPES 5

#define KSTAT_FLAG_VIRTUAL 0x01
#define KSTAT_FLAG_VAR_SIZE 0x02
#define KSTAT_FLAG_WRITABLE 0x04
#define KSTAT_FLAG_PERSISTENT 0x08
#define KSTAT_FLAG_DORMANT 0x10
#define KSTAT_FLAG_INVALID 0x20
#define KSTAT_FLAG_LONGSTRINGS 0x40

#define KSTAT_READ 0
#define KSTAT_WRITE 1

#define KSTAT_DATA_CHAR 0
#define KSTAT_DATA_INT32 1
#define KSTAT_DATA_UINT32 2
#define KSTAT_DATA_INT64 3
#define KSTAT_DATA_UINT64 4
#define KSTAT_DATA_LONG KSTAT_DATA_INT64
#define KSTAT_DATA_ULONG KSTAT_DATA_UINT64
#define KSTAT_DATA_STRING 9

typedef struct kstat {
	hrtime_t ks_crtime;
	struct kstat *ks_next;
	kid_t ks_kid;
	char ks_module[KSTAT_STRLEN];
	uchar_t ks_resv;
	int ks_instance;
	char ks_name[KSTAT_STRLEN];
	uchar_t ks_type;
	char ks_class[KSTAT_STRLEN];
	uchar_t ks_flags;
	void *ks_data;
	uint_t ks_ndata;
	size_t ks_data_size;
	hrtime_t ks_snaptime;
	int (*ks_update)(struct kstat *, int);
	void *ks_private;
	int (*ks_snapshot)(struct kstat *, void *, int);
	void *ks_lock;
} kstat_t;

typedef struct kstat_named {
	char name[KSTAT_STRLEN];
	uchar_t data_type;
	union {
		char c[16];
		int32_t i32;
		uint32_t ui32;
		struct {
			union {
				char *ptr;
				char __pad[8];
			} addr;
			uint32_t len;
		} str;
		int64_t i64;
		uint64_t ui64;
		long l;
		ulong_t ul;
		longlong_t ll;
		u_longlong_t ull;
		float f;
		double d;
	} value;
} kstat_named_t;

#define KSTAT_NAMED_PTR(kptr) ((kstat_named_t *)(kptr)->ks_data)
#define KSTAT_NAMED_STR_PTR(knptr) ((knptr)->value.str.addr.ptr)
#define KSTAT_NAMED_STR_BUFLEN(knptr) ((knptr)->value.str.len)

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_SYS_KSTAT_H */
