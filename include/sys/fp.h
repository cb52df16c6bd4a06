/*
 * mdbsim SDK: illumos x86 floating-point save area.
 * struct fxsave_state is 512 bytes and 16-byte aligned (through upad128_t); every structure
 * embedding it inherits that alignment, which moves the fields after it.
 */
#ifndef _MDBSIM_SYS_FP_H
#define _MDBSIM_SYS_FP_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FP_NO 0
#define FP_SW 1
#define FP_HW 2

struct fxsave_state {
	uint16_t fx_fcw;
	uint16_t fx_fsw;
	uint16_t fx_fctw;
	uint16_t fx_fop;
	uint64_t fx_rip;
	uint64_t fx_rdp;
	uint32_t fx_mxcsr;
	uint32_t fx_mxcsr_mask;
	union {
		uint16_t fpr_16[5];
		u_longlong_t fpr_mmx;
		uint32_t __fpr_pad[4];
	} fx_st[8];
	upad128_t fx_xmm[16];
	upad128_t __fx_ign2[6];
};

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_SYS_FP_H */
