/*
 * mdbsim SDK: mdb's CTF (compact type format) interface, declarations only. The mdbsim host
 * implements it on GNU libctf over the target's types and each dmod's own (-gctf) types.
 */
#ifndef _MDBSIM_MDB_CTF_H
#define _MDBSIM_MDB_CTF_H

#include <mdb/mdb_modapi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* CTF type kinds, as returned by mdb_ctf_type_kind. */
#ifndef CTF_K_UNKNOWN
#define CTF_K_UNKNOWN 0
#define CTF_K_INTEGER 1
#define CTF_K_FLOAT 2
#define CTF_K_POINTER 3
#define CTF_K_ARRAY 4
#define CTF_K_FUNCTION 5
#define CTF_K_STRUCT 6
#define CTF_K_UNION 7
#define CTF_K_ENUM 8
#define CTF_K_FORWARD 9
#define CTF_K_TYPEDEF 10
#define CTF_K_VOLATILE 11
#define CTF_K_CONST 12
#define CTF_K_RESTRICT 13
#endif

/* Integer and float encodings (mdb_ctf_type_encoding), as libctf's <ctf-api.h> has them. */
#ifndef _CTF_API_H
typedef struct ctf_encoding {
	uint32_t cte_format;	/* CTF_INT_* or CTF_FP_* */
	uint32_t cte_offset;	/* offset of the value in bits */
	uint32_t cte_bits;	/* size of the storage in bits */
} ctf_encoding_t;
#define CTF_INT_SIGNED 0x01
#define CTF_INT_CHAR 0x02
#define CTF_INT_BOOL 0x04
#define CTF_INT_VARARGS 0x08
#endif

typedef struct mdb_ctf_id {
	void *_opaque[2];
} mdb_ctf_id_t;

typedef struct mdb_ctf_funcinfo {
	mdb_ctf_id_t mtf_return;
	uint_t mtf_argc;
	uint_t mtf_flags;
	uint_t mtf_symidx;	/* for mdb_ctf_func_args (mdbsim: the function's CTF type) */
} mdb_ctf_funcinfo_t;

typedef struct mdb_ctf_arinfo {
	mdb_ctf_id_t mta_contents;
	mdb_ctf_id_t mta_index;
	uint_t mta_nelems;
} mdb_ctf_arinfo_t;

typedef int mdb_ctf_visit_f(const char *name, mdb_ctf_id_t id, mdb_ctf_id_t base,
    ulong_t off, int depth, void *arg);
typedef int mdb_ctf_member_f(const char *name, mdb_ctf_id_t id, ulong_t off, void *arg);
typedef int mdb_ctf_enum_f(const char *name, int value, void *arg);
typedef int mdb_ctf_type_f(mdb_ctf_id_t id, void *arg);

/* mdb_ctf_vread flags */
#define MDB_CTF_VREAD_QUIET 0x100
#define MDB_CTF_VREAD_IGNORE_GROW 0x200
#define MDB_CTF_VREAD_IGNORE_ABSENT 0x400
#define MDB_CTF_VREAD_IGNORE_ALL 0x700

extern int mdb_ctf_lookup_by_name(const char *name, mdb_ctf_id_t *idp);
extern int mdb_ctf_lookup_by_addr(uintptr_t addr, mdb_ctf_id_t *idp);
extern int mdb_ctf_lookup_by_symbol(const GElf_Sym *sym, const void *syminfo,
    mdb_ctf_id_t *idp);
extern int mdb_ctf_module_lookup(const char *name, mdb_ctf_id_t *idp);
extern int mdb_ctf_func_info(const GElf_Sym *sym, const void *syminfo,
    mdb_ctf_funcinfo_t *infop);
extern int mdb_ctf_func_args(const mdb_ctf_funcinfo_t *infop, uint_t argc,
    mdb_ctf_id_t *argv);

extern void mdb_ctf_type_invalidate(mdb_ctf_id_t *idp);
extern int mdb_ctf_type_valid(mdb_ctf_id_t id);
extern int mdb_ctf_type_cmp(mdb_ctf_id_t a, mdb_ctf_id_t b);
extern int mdb_ctf_type_resolve(mdb_ctf_id_t id, mdb_ctf_id_t *outp);
extern char *mdb_ctf_type_name(mdb_ctf_id_t id, char *buf, size_t len);
extern ssize_t mdb_ctf_type_size(mdb_ctf_id_t id);
extern int mdb_ctf_type_kind(mdb_ctf_id_t id);
extern int mdb_ctf_type_reference(mdb_ctf_id_t id, mdb_ctf_id_t *outp);
extern int mdb_ctf_type_encoding(mdb_ctf_id_t id, ctf_encoding_t *ep);
extern int mdb_ctf_array_info(mdb_ctf_id_t id, mdb_ctf_arinfo_t *arp);
extern const char *mdb_ctf_enum_name(mdb_ctf_id_t id, int value);
extern int mdb_ctf_member_info(mdb_ctf_id_t id, const char *member, ulong_t *offp,
    mdb_ctf_id_t *typep);
extern int mdb_ctf_offsetof(mdb_ctf_id_t id, const char *member, ulong_t *offp);
extern int mdb_ctf_num_members(mdb_ctf_id_t id);
extern int mdb_ctf_offsetof_by_name(const char *type, const char *member);
extern ssize_t mdb_ctf_sizeof_by_name(const char *type);

extern int mdb_ctf_member_iter(mdb_ctf_id_t id, mdb_ctf_member_f *cb, void *arg);
extern int mdb_ctf_enum_iter(mdb_ctf_id_t id, mdb_ctf_enum_f *cb, void *arg);
extern int mdb_ctf_type_iter(const char *object, mdb_ctf_type_f *cb, void *arg);
extern int mdb_ctf_type_visit(mdb_ctf_id_t id, mdb_ctf_visit_f *cb, void *arg);

/* mdb_ctf_type_iter's object for the synthetic types ::typedef creates. */
#define MDB_CTF_SYNTHETIC_ITER ((const char *)(-1L))
/* Data models of the synthetic base types (::typedef -c). */
#define SYNTHETIC_ILP32 1
#define SYNTHETIC_LP64 2

extern int mdb_ctf_vread(void *buf, const char *typename_, const char *modname,
    uintptr_t addr, uint_t flags);
extern int mdb_ctf_readsym(void *buf, const char *typename_, const char *name,
    uint_t flags);

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_MDB_CTF_H */
