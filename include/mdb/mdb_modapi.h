/*
 * mdbsim SDK: the illumos mdb module API, version 5 (see docs modapi.md).
 *
 * A dmod written for illumos compiles against this header unchanged; the mdbsim host implements
 * every function declared here with C linkage.  Reachable as <mdb/mdb_modapi.h> and
 * <sys/mdb_modapi.h>.
 *
 * Deliberate differences from the illumos header:
 *  - no printf format attributes: %a %b %r %I %N %m %t %T %<...> and the two-argument %b are
 *    not printf conversions and would draw false warnings;
 *  - no sentinel attribute on mdb_getopts: its list ends with NULL, which is the integer 0L here;
 *  - libc functions are not re-declared (that would clash with glibc's prototypes, C++ overloads
 *    and fortify macros); <string.h>, <strings.h> and <stdlib.h> are included instead.
 */
#ifndef _MDBSIM_MDB_MODAPI_H
#define _MDBSIM_MDB_MODAPI_H

#include <sys/types.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <gelf.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MDB_API_VERSION 5

/* dcmd invocation flags */
#define DCMD_ADDRSPEC 0x01
#define DCMD_LOOP 0x02
#define DCMD_LOOPFIRST 0x04
#define DCMD_PIPE 0x08
#define DCMD_PIPE_OUT 0x10

/* True when a dcmd should print its column header: first of a loop, or not looping. */
#define DCMD_HDRSPEC(fl) (((fl) & DCMD_LOOPFIRST) || !((fl) & DCMD_LOOP))

#define DCMD_TAB_SPACE 0x01

/* dcmd return values; DCMD_OK == WALK_NEXT and DCMD_ERR == WALK_DONE by design of mdb. */
#define DCMD_OK 0
#define DCMD_ERR 1
#define DCMD_USAGE 2
#define DCMD_NEXT 3
#define DCMD_ABORT 4

/* walker step return values */
#define WALK_ERR (-1)
#define WALK_NEXT 0
#define WALK_DONE 1

/* mdb_alloc flags */
#define UM_NOSLEEP 0x0
#define UM_SLEEP 0x1
#define UM_GC 0x2

#define MDB_NICENUM_BUFLEN 6

/* symbol lookup */
#define MDB_SYM_NAMLEN 1024
#define MDB_SYM_FUZZY 0
#define MDB_SYM_EXACT 1

#define MDB_OBJ_EXEC ((const char *)0L)
#define MDB_OBJ_RTLD ((const char *)1L)
#define MDB_OBJ_EVERY ((const char *)-1L)

#define MDB_SYMTAB 1
#define MDB_DYNSYM 2

#define MDB_BIND_LOCAL 0x0001
#define MDB_BIND_GLOBAL 0x0002
#define MDB_BIND_WEAK 0x0004
#define MDB_BIND_ANY 0x0007

/* symbol type filter bits for mdb_symbol_iter (unrelated to mdb_type_t) */
#define MDB_TYPE_NOTYPE 0x0100
#define MDB_TYPE_OBJECT 0x0200
#define MDB_TYPE_FUNC 0x0400
#define MDB_TYPE_SECT 0x0800
#define MDB_TYPE_FILE 0x1000
#define MDB_TYPE_COMMON 0x2000
#define MDB_TYPE_TLS 0x4000
#define MDB_TYPE_ANY 0x7f00

/* mdb_getopts option kinds */
#define MDB_OPT_SETBITS 1
#define MDB_OPT_CLRBITS 2
#define MDB_OPT_STR 3
#define MDB_OPT_UINTPTR 4
#define MDB_OPT_UINT64 5
#define MDB_OPT_UINTPTR_SET 6

/* target states returned by mdb_get_state */
#define MDB_STATE_IDLE 0
#define MDB_STATE_RUNNING 1
#define MDB_STATE_STOPPED 2
#define MDB_STATE_UNDEAD 3
#define MDB_STATE_DEAD 4
#define MDB_STATE_LOST 5

/* mdb_callback_add classes */
#define MDB_CALLBACK_STCHG 1
#define MDB_CALLBACK_PROMPT 2

/* tab completion flags */
#define MDB_TABC_ALL_TYPES 0x1
#define MDB_TABC_MEMBERS 0x2
#define MDB_TABC_NOPOINT 0x4
#define MDB_TABC_NOARRAY 0x8

/* mdb_dumpptr / mdb_dump64 flags */
#define MDB_DUMP_RELATIVE 0x0001
#define MDB_DUMP_ALIGN 0x0002
#define MDB_DUMP_PEDANT 0x0004
#define MDB_DUMP_ASCII 0x0008
#define MDB_DUMP_HEADER 0x0010
#define MDB_DUMP_TRIM 0x0020
#define MDB_DUMP_SQUISH 0x0040
#define MDB_DUMP_NEWDOT 0x0080
#define MDB_DUMP_ENDIAN 0x0100
#define MDB_DUMP_WIDTH(x) ((((x) - 1) & 0xf) << 16)
#define MDB_DUMP_GROUP(x) ((((x) - 1) & 0xff) << 20)

typedef enum {
	MDB_TYPE_STRING = 0,
	MDB_TYPE_IMMEDIATE = 1,
	MDB_TYPE_CHAR = 2
} mdb_type_t;

typedef struct mdb_arg {
	mdb_type_t a_type;
	union {
		const char *a_str;
		uintmax_t a_val;
		char a_char;
	} a_un;
} mdb_arg_t;

typedef struct mdb_tab_cookie mdb_tab_cookie_t;

typedef int mdb_dcmd_f(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv);
typedef int mdb_dcmd_tab_f(mdb_tab_cookie_t *mcp, uint_t flags, int argc,
    const mdb_arg_t *argv);

typedef struct mdb_dcmd {
	const char *dc_name;
	const char *dc_usage;
	const char *dc_descr;
	mdb_dcmd_f *dc_funcp;
	void (*dc_help)(void);
	mdb_dcmd_tab_f *dc_tabp;
} mdb_dcmd_t;

typedef int (*mdb_walk_cb_t)(uintptr_t addr, const void *data, void *cbdata);

typedef struct mdb_walk_state {
	mdb_walk_cb_t walk_callback;
	void *walk_cbdata;
	uintptr_t walk_addr;
	void *walk_data;
	void *walk_arg;
	const void *walk_layer;
} mdb_walk_state_t;

typedef struct mdb_walker {
	const char *walk_name;
	const char *walk_descr;
	int (*walk_init)(mdb_walk_state_t *wsp);
	int (*walk_step)(mdb_walk_state_t *wsp);
	void (*walk_fini)(mdb_walk_state_t *wsp);
	void *walk_init_arg;
} mdb_walker_t;

typedef struct mdb_modinfo {
	ushort_t mi_dvers;
	const mdb_dcmd_t *mi_dcmds;
	const mdb_walker_t *mi_walkers;
} mdb_modinfo_t;

typedef struct mdb_bitmask {
	const char *bm_name;
	u_longlong_t bm_mask;
	u_longlong_t bm_bits;
} mdb_bitmask_t;

typedef struct mdb_pipe {
	uintptr_t *pipe_data;
	size_t pipe_len;
} mdb_pipe_t;

typedef struct mdb_object {
	const char *obj_name;
	const char *obj_fullname;
	uintptr_t obj_base;
	uintptr_t obj_size;
} mdb_object_t;

typedef struct mdb_symbol {
	const char *sym_name;
	const char *sym_object;
	const GElf_Sym *sym_sym;
	uint_t sym_table;
	uint_t sym_id;
} mdb_symbol_t;

typedef uintptr_t mdb_tid_t;
typedef uint64_t mdb_reg_t;

typedef ssize_t (*mdb_dumpptr_cb_t)(void *buf, size_t nbytes, uintptr_t addr, void *arg);
typedef ssize_t (*mdb_dump64_cb_t)(void *buf, size_t nbytes, uint64_t addr, void *arg);
typedef int (*mdb_object_cb_t)(mdb_object_t *obj, void *data);
typedef int (*mdb_symbol_cb_t)(mdb_symbol_t *sym, void *data);
typedef void (*mdb_callback_f)(void *arg);

/* Properties of the target, set by the host. */
extern int mdb_prop_postmortem;
extern int mdb_prop_kernel;

/* Module entry points, defined by the dmod. */
extern const mdb_modinfo_t *_mdb_init(void);
extern void _mdb_fini(void);

/* Walks */
extern int mdb_pwalk(const char *name, mdb_walk_cb_t func, void *data, uintptr_t addr);
extern int mdb_walk(const char *name, mdb_walk_cb_t func, void *data);
extern int mdb_pwalk_dcmd(const char *wname, const char *dcname, int argc,
    const mdb_arg_t *argv, uintptr_t addr);
extern int mdb_walk_dcmd(const char *wname, const char *dcname, int argc,
    const mdb_arg_t *argv);
extern int mdb_fpwalk_dcmd(const char *wname, const char *dcname, int argc,
    const mdb_arg_t *argv, uintptr_t addr, uint_t flags);
extern int mdb_layered_walk(const char *name, mdb_walk_state_t *wsp);
extern int mdb_add_walker(const mdb_walker_t *walker);
extern int mdb_remove_walker(const char *name);
extern int mdb_call_dcmd(const char *name, uintptr_t dot, uint_t flags, int argc,
    const mdb_arg_t *argv);

/* Target memory */
extern ssize_t mdb_vread(void *buf, size_t nbytes, uintptr_t addr);
extern ssize_t mdb_vwrite(const void *buf, size_t nbytes, uintptr_t addr);
extern ssize_t mdb_aread(void *buf, size_t nbytes, uintptr_t addr, void *as);
extern ssize_t mdb_awrite(const void *buf, size_t nbytes, uintptr_t addr, void *as);
extern ssize_t mdb_fread(void *buf, size_t nbytes, uintptr_t addr);
extern ssize_t mdb_fwrite(const void *buf, size_t nbytes, uintptr_t addr);
extern ssize_t mdb_pread(void *buf, size_t nbytes, uint64_t addr);
extern ssize_t mdb_pwrite(const void *buf, size_t nbytes, uint64_t addr);
extern ssize_t mdb_ioread(void *buf, size_t nbytes, uintptr_t addr);
extern ssize_t mdb_iowrite(const void *buf, size_t nbytes, uintptr_t addr);
extern ssize_t mdb_readstr(char *buf, size_t nbytes, uintptr_t addr);
extern ssize_t mdb_writestr(const char *buf, uintptr_t addr);
extern ssize_t mdb_readsym(void *buf, size_t nbytes, const char *name);
extern ssize_t mdb_writesym(const void *buf, size_t nbytes, const char *name);
extern ssize_t mdb_readvar(void *buf, const char *name);
extern ssize_t mdb_writevar(const void *buf, const char *name);

/* Symbols, objects, registers, threads */
extern int mdb_lookup_by_name(const char *name, GElf_Sym *sym);
extern int mdb_lookup_by_obj(const char *object, const char *name, GElf_Sym *sym);
extern int mdb_lookup_by_addr(uintptr_t addr, uint_t flags, char *buf, size_t nbytes,
    GElf_Sym *sym);
extern int mdb_getareg(mdb_tid_t tid, const char *rname, mdb_reg_t *rp);
extern int mdb_thread_name(mdb_tid_t tid, char *buf, size_t bufsize);
extern int mdb_object_iter(mdb_object_cb_t cb, void *data);
extern int mdb_symbol_iter(const char *obj, uint_t which, uint_t type, mdb_symbol_cb_t cb,
    void *data);

/* Arguments */
extern int mdb_getopts(int argc, const mdb_arg_t *argv, ...);
extern u_longlong_t mdb_strtoull(const char *s);
extern u_longlong_t mdb_argtoull(const mdb_arg_t *arg);

/* Memory */
extern void *mdb_alloc(size_t nbytes, uint_t flags);
extern void *mdb_zalloc(size_t nbytes, uint_t flags);
extern void mdb_free(void *buf, size_t nbytes);

/* Output */
extern size_t mdb_snprintf(char *buf, size_t nbytes, const char *format, ...);
extern void mdb_printf(const char *format, ...);
extern void mdb_warn(const char *format, ...);
extern void mdb_flush(void);
extern const char *mdb_one_bit(int width, int bit, int on);
extern const char *mdb_inval_bits(int width, int start, int stop);
extern ulong_t mdb_inc_indent(ulong_t n);
extern ulong_t mdb_dec_indent(ulong_t n);
extern int mdb_snprintfrac(char *buf, int len, uint64_t numerator, uint64_t denom,
    int frac_digits);
extern void mdb_nicenum(uint64_t num, char *buf);
extern void mdb_nicetime(int64_t delta, char *buf, size_t buflen);
extern int mdb_dumpptr(uintptr_t addr, size_t len, uint_t flags, mdb_dumpptr_cb_t func,
    void *arg);
extern int mdb_dump64(uint64_t addr, uint64_t len, uint_t flags, mdb_dump64_cb_t func,
    void *arg);

/* Dot, pipes, evaluation, state, callbacks */
extern int mdb_eval(const char *cmd);
extern void mdb_set_dot(uintmax_t addr);
extern uintmax_t mdb_get_dot(void);
extern void mdb_get_pipe(mdb_pipe_t *p);
extern void mdb_set_pipe(const mdb_pipe_t *p);
extern ssize_t mdb_get_xdata(const char *name, void *buf, size_t nbytes);
extern int mdb_get_state(void);
extern void *mdb_callback_add(int class_, mdb_callback_f fp, void *arg);
extern void mdb_callback_remove(void *hdl);

/*
 * illumos' header also declares strlcat, which dmods use; glibc has it only from 2.38 on, and
 * before that the host provides it (with C linkage).
 */
#if defined(__GLIBC__) && (__GLIBC__ < 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ < 38))
extern size_t strlcat(char *dst, const char *src, size_t dstsize);
#endif

/* Utilities */
extern int mdb_ffs(uintmax_t v);
extern void mdb_nhconvert(void *dst, const void *src, size_t nbytes);

/* Tab completion */
extern int mdb_tab_complete_type(mdb_tab_cookie_t *mcp, const char *name, uint_t flags);
extern int mdb_tab_complete_member(mdb_tab_cookie_t *mcp, const char *type,
    const char *member);
extern int mdb_tab_typename(int *argcp, const mdb_arg_t **argvp, char *buf, size_t len);
extern int mdb_tab_complete_mt(mdb_tab_cookie_t *mcp, uint_t flags, int argc,
    const mdb_arg_t *argv);
extern void mdb_tab_insert(mdb_tab_cookie_t *mcp, const char *name);
extern void mdb_tab_setmbase(mdb_tab_cookie_t *mcp, const char *base);

#ifdef __cplusplus
}
#endif

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/* Spelled exactly as glibc's <sys/param.h> spells them, so either order of inclusion is silent. */
#ifndef MIN
#define MIN(a,b) (((a)<(b))?(a):(b))
#endif
#ifndef MAX
#define MAX(a,b) (((a)>(b))?(a):(b))
#endif

#ifndef NBBY
#define NBBY 8
#endif

/*
 * illumos computes this from a null pointer of type s *; offsetof gives the same value as a
 * constant expression, without the null dereference sanitizers (and clang) object to.
 */
#define OFFSETOF(s, m) ((size_t)offsetof(s, m))

#endif /* _MDBSIM_MDB_MODAPI_H */

/* Outside the include guard: every inclusion re-asserts the illumos NULL. */
#include <sys/null.h>
