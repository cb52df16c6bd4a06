/*
 * Compile-time pins of the SDK's own layouts and constants: the module API types and constants
 * (modapi.md sections 4 and 5) and the illumos kernel types the SDK declares (layouts.md 3, 9,
 * 10, 12.7).  Built twice, as a user-mode dmod sees the headers and with -D_KERNEL as the kvm
 * dmod sees them; a regression fails the build.  The program itself re-checks a few values at
 * run time so that CTest has something to run.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/mdb_modapi.h>
#include <mdb/mdb_modapi.h>
#include <mdb/mdb_ks.h>
#include <mdb/mdb_ctf.h>
#include <sys/list.h>
#include <sys/avl.h>
#include <sys/kstat.h>
#include <sys/fp.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/condvar.h>
#include <sys/sunddi.h>
#include <sys/bitmap.h>
#include <vm/page.h>
#include <mdbsim/mdb_errno.h>

/* A libc header after the API header must not turn NULL back into a pointer. */
#include <stdio.h>

#define SIZE(t, n) _Static_assert(sizeof (t) == (n), "sizeof " #t " != " #n)
#define ALIGN(t, n) _Static_assert(_Alignof(t) == (n), "alignof " #t " != " #n)
#define OFF(t, m, n) _Static_assert(offsetof(t, m) == (n), "offsetof " #t "." #m " != " #n)
#define EQ(a, b) _Static_assert((a) == (b), #a " != " #b)

/* modapi.md section 4 */
SIZE(mdb_type_t, 4);
SIZE(mdb_arg_t, 16);
OFF(mdb_arg_t, a_type, 0);
OFF(mdb_arg_t, a_un, 8);
OFF(mdb_arg_t, a_un.a_str, 8);
OFF(mdb_arg_t, a_un.a_val, 8);
OFF(mdb_arg_t, a_un.a_char, 8);
SIZE(mdb_dcmd_t, 48);
OFF(mdb_dcmd_t, dc_name, 0);
OFF(mdb_dcmd_t, dc_usage, 0x8);
OFF(mdb_dcmd_t, dc_descr, 0x10);
OFF(mdb_dcmd_t, dc_funcp, 0x18);
OFF(mdb_dcmd_t, dc_help, 0x20);
OFF(mdb_dcmd_t, dc_tabp, 0x28);
SIZE(mdb_walk_cb_t, 8);
SIZE(mdb_walk_state_t, 48);
OFF(mdb_walk_state_t, walk_callback, 0);
OFF(mdb_walk_state_t, walk_cbdata, 0x8);
OFF(mdb_walk_state_t, walk_addr, 0x10);
OFF(mdb_walk_state_t, walk_data, 0x18);
OFF(mdb_walk_state_t, walk_arg, 0x20);
OFF(mdb_walk_state_t, walk_layer, 0x28);
SIZE(mdb_walker_t, 48);
OFF(mdb_walker_t, walk_name, 0);
OFF(mdb_walker_t, walk_descr, 0x8);
OFF(mdb_walker_t, walk_init, 0x10);
OFF(mdb_walker_t, walk_step, 0x18);
OFF(mdb_walker_t, walk_fini, 0x20);
OFF(mdb_walker_t, walk_init_arg, 0x28);
SIZE(mdb_modinfo_t, 24);
OFF(mdb_modinfo_t, mi_dvers, 0);
OFF(mdb_modinfo_t, mi_dcmds, 0x8);
OFF(mdb_modinfo_t, mi_walkers, 0x10);
SIZE(mdb_bitmask_t, 24);
OFF(mdb_bitmask_t, bm_name, 0);
OFF(mdb_bitmask_t, bm_mask, 0x8);
OFF(mdb_bitmask_t, bm_bits, 0x10);
SIZE(mdb_pipe_t, 16);
OFF(mdb_pipe_t, pipe_data, 0);
OFF(mdb_pipe_t, pipe_len, 0x8);
SIZE(mdb_object_t, 32);
OFF(mdb_object_t, obj_name, 0);
OFF(mdb_object_t, obj_fullname, 0x8);
OFF(mdb_object_t, obj_base, 0x10);
OFF(mdb_object_t, obj_size, 0x18);
SIZE(mdb_symbol_t, 32);
OFF(mdb_symbol_t, sym_name, 0);
OFF(mdb_symbol_t, sym_object, 0x8);
OFF(mdb_symbol_t, sym_sym, 0x10);
OFF(mdb_symbol_t, sym_table, 0x18);
OFF(mdb_symbol_t, sym_id, 0x1c);
SIZE(GElf_Sym, 24);
OFF(GElf_Sym, st_name, 0);
OFF(GElf_Sym, st_info, 4);
OFF(GElf_Sym, st_other, 5);
OFF(GElf_Sym, st_shndx, 6);
OFF(GElf_Sym, st_value, 8);
OFF(GElf_Sym, st_size, 0x10);
SIZE(mdb_tid_t, 8);
SIZE(mdb_reg_t, 8);
SIZE(mdb_ctf_id_t, 16);

/* modapi.md section 5 */
EQ(MDB_API_VERSION, 5);
EQ(MDB_TYPE_STRING, 0);
EQ(MDB_TYPE_IMMEDIATE, 1);
EQ(MDB_TYPE_CHAR, 2);
EQ(DCMD_ADDRSPEC, 0x01);
EQ(DCMD_LOOP, 0x02);
EQ(DCMD_LOOPFIRST, 0x04);
EQ(DCMD_PIPE, 0x08);
EQ(DCMD_PIPE_OUT, 0x10);
EQ(DCMD_TAB_SPACE, 0x01);
EQ(DCMD_OK, 0);
EQ(DCMD_ERR, 1);
EQ(DCMD_USAGE, 2);
EQ(DCMD_NEXT, 3);
EQ(DCMD_ABORT, 4);
EQ(WALK_ERR, -1);
EQ(WALK_NEXT, 0);
EQ(WALK_DONE, 1);
EQ(DCMD_OK, WALK_NEXT);
EQ(DCMD_ERR, WALK_DONE);
EQ(UM_NOSLEEP, 0x0);
EQ(UM_SLEEP, 0x1);
EQ(UM_GC, 0x2);
EQ(MDB_NICENUM_BUFLEN, 6);
EQ(MDB_SYM_NAMLEN, 1024);
EQ(MDB_SYM_FUZZY, 0);
EQ(MDB_SYM_EXACT, 1);
EQ(MDB_SYMTAB, 1);
EQ(MDB_DYNSYM, 2);
EQ(MDB_BIND_LOCAL, 0x1);
EQ(MDB_BIND_GLOBAL, 0x2);
EQ(MDB_BIND_WEAK, 0x4);
EQ(MDB_BIND_ANY, 0x7);
EQ(MDB_TYPE_NOTYPE, 0x100);
EQ(MDB_TYPE_OBJECT, 0x200);
EQ(MDB_TYPE_FUNC, 0x400);
EQ(MDB_TYPE_SECT, 0x800);
EQ(MDB_TYPE_FILE, 0x1000);
EQ(MDB_TYPE_COMMON, 0x2000);
EQ(MDB_TYPE_TLS, 0x4000);
EQ(MDB_TYPE_ANY, 0x7f00);
EQ(MDB_OPT_SETBITS, 1);
EQ(MDB_OPT_CLRBITS, 2);
EQ(MDB_OPT_STR, 3);
EQ(MDB_OPT_UINTPTR, 4);
EQ(MDB_OPT_UINT64, 5);
EQ(MDB_OPT_UINTPTR_SET, 6);
EQ(MDB_STATE_IDLE, 0);
EQ(MDB_STATE_RUNNING, 1);
EQ(MDB_STATE_STOPPED, 2);
EQ(MDB_STATE_UNDEAD, 3);
EQ(MDB_STATE_DEAD, 4);
EQ(MDB_STATE_LOST, 5);
EQ(MDB_CALLBACK_STCHG, 1);
EQ(MDB_CALLBACK_PROMPT, 2);
EQ(MDB_TABC_ALL_TYPES, 0x1);
EQ(MDB_TABC_MEMBERS, 0x2);
EQ(MDB_TABC_NOPOINT, 0x4);
EQ(MDB_TABC_NOARRAY, 0x8);
EQ(MDB_DUMP_RELATIVE, 0x1);
EQ(MDB_DUMP_ALIGN, 0x2);
EQ(MDB_DUMP_PEDANT, 0x4);
EQ(MDB_DUMP_ASCII, 0x8);
EQ(MDB_DUMP_HEADER, 0x10);
EQ(MDB_DUMP_TRIM, 0x20);
EQ(MDB_DUMP_SQUISH, 0x40);
EQ(MDB_DUMP_NEWDOT, 0x80);
EQ(MDB_DUMP_ENDIAN, 0x100);
EQ(MDB_DUMP_WIDTH(16), 0xf << 16);
EQ(MDB_DUMP_WIDTH(1), 0);
EQ(MDB_DUMP_GROUP(4), 3 << 20);
EQ(MDB_DUMP_GROUP(256), 0xff << 20);
EQ(TRUE, 1);
EQ(FALSE, 0);
EQ(NBBY, 8);
EQ(MIN(3, 4), 3);
EQ(MAX(3, 4), 4);
EQ(OFFSETOF(mdb_walk_state_t, walk_layer), 0x28);
EQ(B_FALSE, 0);
EQ(B_TRUE, 1);

/* Error numbers the host sets (modapi.md section 14): both ends and a few fixed points. */
EQ(EMDB_BASE, 1000);
EQ(EMDB_NOSYM, 1000);
EQ(EMDB_NOMAP, 1002);
EQ(EMDB_NOWALK, 1004);
EQ(EMDB_WALKINIT, 1018);
EQ(EMDB_NOSYMADDR, 1022);
EQ(EMDB_TGTNOTSUP, 1028);
EQ(EMDB_EVAL, 1034);
EQ(EMDB_PARTIAL, 1036);
EQ(EMDB_DCUSAGE, 1038);
EQ(EMDB_TGT, 1039);
EQ(EMDB_NOCTF, 1060);
EQ(EMDB_STKFRAME, 1077);

/* NULL is an integer (illumos <sys/null.h>), so uintptr_t compares with it cleanly. */
SIZE(NULL, sizeof (long));
EQ(_Generic(NULL, long: 1, default: 0), 1);

/* layouts.md section 3: base types */
SIZE(uchar_t, 1);
SIZE(ushort_t, 2);
SIZE(uint_t, 4);
SIZE(ulong_t, 8);
SIZE(u_longlong_t, 8);
SIZE(longlong_t, 8);
SIZE(u_offset_t, 8);
SIZE(physaddr_t, 8);
SIZE(pfn_t, 8);
SIZE(pgcnt_t, 8);
SIZE(selock_t, 4);
SIZE(boolean_t, 4);
SIZE(caddr_t, 8);
SIZE(kmutex_t, 8);
ALIGN(kmutex_t, 8);
SIZE(krwlock_t, 8);
ALIGN(krwlock_t, 8);
SIZE(kcondvar_t, 2);
ALIGN(kcondvar_t, 2);
SIZE(kstat_named_t, 48);
ALIGN(kstat_named_t, 8);
OFF(kstat_named_t, data_type, 0x1f);
OFF(kstat_named_t, value, 0x20);
EQ(KSTAT_STRLEN, 31);
SIZE(upad128_t, 16);
ALIGN(upad128_t, 16);
SIZE(struct fxsave_state, 512);
ALIGN(struct fxsave_state, 16);
OFF(struct fxsave_state, fx_fsw, 2);
OFF(struct fxsave_state, fx_fop, 6);
OFF(struct fxsave_state, fx_rip, 8);
OFF(struct fxsave_state, fx_rdp, 0x10);
OFF(struct fxsave_state, fx_mxcsr, 0x18);
OFF(struct fxsave_state, fx_mxcsr_mask, 0x1c);
OFF(struct fxsave_state, fx_st, 0x20);
OFF(struct fxsave_state, fx_xmm, 0xa0);
OFF(struct fxsave_state, __fx_ign2, 0x1a0);
SIZE(ddi_umem_cookie_t, 8);
#ifdef _KERNEL
SIZE(sigset_t, 16);
ALIGN(sigset_t, 4);
#else
/* Outside the kernel view a dmod keeps glibc's sigset_t, so libc's signal calls still work. */
SIZE(sigset_t, 128);
#endif

/* layouts.md section 4 */
EQ(PAGESHIFT, 12);
EQ(PAGESIZE, 0x1000);
EQ(PAGEOFFSET, 0xfff);
EQ(PAGEMASK, ~0xfff);
EQ(BT_BITOUL(32 + 4), 1);
EQ(BT_BITOUL(512), 8);
EQ(BT_BITOUL(65), 2);

/* layouts.md section 9 */
SIZE(list_node_t, 16);
ALIGN(list_node_t, 8);
OFF(list_node_t, list_next, 0);
OFF(list_node_t, list_prev, 8);
SIZE(list_t, 32);
ALIGN(list_t, 8);
OFF(list_t, list_size, 0);
OFF(list_t, list_offset, 8);
OFF(list_t, list_head, 0x10);
OFF(list_t, list_head.list_next, 0x10);
OFF(list_t, list_head.list_prev, 0x18);
SIZE(avl_node_t, 24);
ALIGN(avl_node_t, 8);
OFF(avl_node_t, avl_child, 0);
OFF(avl_node_t, avl_child[1], 8);
OFF(avl_node_t, avl_pcb, 0x10);
SIZE(avl_tree_t, 40);
ALIGN(avl_tree_t, 8);
OFF(avl_tree_t, avl_root, 0);
OFF(avl_tree_t, avl_compar, 8);
OFF(avl_tree_t, avl_offset, 0x10);
OFF(avl_tree_t, avl_numnodes, 0x18);
OFF(avl_tree_t, avl_size, 0x20);

/* layouts.md section 10 */
SIZE(page_t, 120);
ALIGN(page_t, 8);
OFF(page_t, p_offset, 0);
OFF(page_t, p_vnode, 0x8);
OFF(page_t, p_selock, 0x10);
OFF(page_t, p_vpmref, 0x14);
OFF(page_t, p_hash, 0x18);
OFF(page_t, p_vpnext, 0x20);
OFF(page_t, p_vpprev, 0x28);
OFF(page_t, p_next, 0x30);
OFF(page_t, p_prev, 0x38);
OFF(page_t, p_lckcnt, 0x40);
OFF(page_t, p_cowcnt, 0x42);
OFF(page_t, p_cv, 0x44);
OFF(page_t, p_io_cv, 0x46);
OFF(page_t, p_iolock_state, 0x48);
OFF(page_t, p_szc, 0x49);
OFF(page_t, p_fsdata, 0x4a);
OFF(page_t, p_state, 0x4b);
OFF(page_t, p_nrm, 0x4c);
OFF(page_t, p_embed, 0x4d);
OFF(page_t, p_index, 0x4e);
OFF(page_t, p_toxic, 0x4f);
OFF(page_t, p_mapping, 0x50);
OFF(page_t, p_pagenum, 0x58);
OFF(page_t, p_share, 0x60);
OFF(page_t, p_sharepad, 0x64);
OFF(page_t, p_slckcnt, 0x68);
OFF(page_t, p_mlentry, 0x6c);
OFF(page_t, p_ilock, 0x70);
SIZE(struct memseg, 56);
ALIGN(struct memseg, 8);
OFF(struct memseg, pages, 0);
OFF(struct memseg, epages, 0x8);
OFF(struct memseg, pages_base, 0x10);
OFF(struct memseg, pages_end, 0x18);
OFF(struct memseg, next, 0x20);
OFF(struct memseg, lnext, 0x28);
OFF(struct memseg, msegflags, 0x30);

/* The DCMD_HDRSPEC truth table of modapi.md section 5. */
static int
hdrspec_table_holds(void)
{
	static const struct {
		uint_t flags;
		int hdr;
	} rows[] = {
		{ 0, 1 },
		{ DCMD_ADDRSPEC, 1 },
		{ DCMD_LOOP, 0 },
		{ DCMD_LOOP | DCMD_LOOPFIRST, 1 },
		{ DCMD_ADDRSPEC | DCMD_LOOP | DCMD_PIPE, 0 },
		{ DCMD_ADDRSPEC | DCMD_LOOP | DCMD_LOOPFIRST | DCMD_PIPE, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof (rows) / sizeof (rows[0]); i++) {
		if ((DCMD_HDRSPEC(rows[i].flags) ? 1 : 0) != rows[i].hdr) {
			fprintf(stderr, "DCMD_HDRSPEC(%#x) != %d\n", rows[i].flags, rows[i].hdr);
			return (0);
		}
	}
	return (1);
}

int
main(void)
{
	uintptr_t zero = 0;

	if (!hdrspec_table_holds())
		return (1);
	if (zero != NULL)
		return (1);
	/* Pointer-valued constants are not integer constant expressions: checked here. */
	if ((intptr_t)MDB_OBJ_EXEC != 0 || (intptr_t)MDB_OBJ_RTLD != 1 ||
	    (intptr_t)MDB_OBJ_EVERY != -1) {
		fprintf(stderr, "MDB_OBJ_* values are wrong\n");
		return (1);
	}
	printf("sdk layout check passed (%s view)\n",
#ifdef _KERNEL
	    "kernel"
#else
	    "user"
#endif
	    );
	return (0);
}
