/*
 * mdbsim SDK: illumos page_t and struct memseg (amd64 kernel layouts).
 * page_t is 120 bytes; the frame number it describes is p_pagenum at 0x58.
 * A memseg covers frames [pages_base, pages_end) with a page_t array at pages.
 */
#ifndef _MDBSIM_VM_PAGE_H
#define _MDBSIM_VM_PAGE_H

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/condvar.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vnode;

typedef struct page {
	u_offset_t p_offset;
	struct vnode *p_vnode;
	selock_t p_selock;
	uint_t p_vpmref;
	struct page *p_hash;
	struct page *p_vpnext;
	struct page *p_vpprev;
	struct page *p_next;
	struct page *p_prev;
	ushort_t p_lckcnt;
	ushort_t p_cowcnt;
	kcondvar_t p_cv;
	kcondvar_t p_io_cv;
	uchar_t p_iolock_state;
	volatile uchar_t p_szc;
	uchar_t p_fsdata;
	uchar_t p_state;
	uchar_t p_nrm;
	uchar_t p_embed;
	uchar_t p_index;
	uchar_t p_toxic;
	void *p_mapping;
	pfn_t p_pagenum;
	uint_t p_share;
	uint_t p_sharepad;
	uint_t p_slckcnt;
	uint_t p_mlentry;
	kmutex_t p_ilock;
} page_t;

struct memseg {
	page_t *pages;
	page_t *epages;
	pfn_t pages_base;
	pfn_t pages_end;	/* exclusive */
	struct memseg *next;
	struct memseg *lnext;
	uint_t msegflags;
};

#define MEMSEG_DYNAMIC 0x1
#define MEMSEG_META_INCL 0x2
#define MEMSEG_META_ALLOC 0x4

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_VM_PAGE_H */
