/* mdbsim SDK: illumos <sys/ontrap.h>: kernel trap protection records. */
#ifndef _MDBSIM_SYS_ONTRAP_H
#define _MDBSIM_SYS_ONTRAP_H

#include <sys/types.h>
#include <sys/machtypes.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct on_trap_data {
	ushort_t ot_prot;
	ushort_t ot_trap;
	uintptr_t ot_trampoline;
	label_t ot_jmpbuf;
	struct on_trap_data *ot_prev;
	void *ot_handle;
	void *ot_pad1;
} on_trap_data_t;

#define OT_DATA_ACCESS 0x01
#define OT_DATA_EC 0x02
#define OT_SEGMENT_ACCESS 0x04

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_SYS_ONTRAP_H */
