/*
 * The kvm dmod's internal interface: what its walker, dcmd and helper files share.
 *
 * Every part reaches the target only through the module API and reads only the fields it
 * needs (a struct kvm is 34 KB; nothing here copies one whole).
 */
#ifndef KVM_DMOD_H
#define KVM_DMOD_H

#include "kvm_layout.h"

/* Bits that make the original treat a shadow PTE as a pointer to a child table. */
#define	KVMD_PTE_WALK_BITS	0x27ULL
#define	KVMD_PTE_PAGE_SIZE	0x80ULL
/* Physical-address field of a 64-bit PTE, bits 12..51. */
#define	KVMD_PTE_ADDR_MASK	0x000FFFFFFFFFF000ULL
#define	KVMD_PAGE_SHIFT		12
#define	KVMD_PTES_PER_TABLE	512
#define	KVMD_MAX_LEVEL		4
/* "No root" in root_hpa and pae_root[] entries. */
#define	KVMD_INVALID_PAGE	(~(uint64_t)0)
/* union kvm_mmu_page_role: the level of a shadow table is bits 4..7. */
#define	KVMD_ROLE_LEVEL(word)	(((word) >> 4) & 0xfU)

/*
 * arr (n entries of elem bytes, room for *cap) with room for at least n + 1: the same array, or
 * a copy twice as large (first entries when empty) with the old one freed; *cap follows.
 */
void *kvmd_array_grow(void *arr, size_t n, size_t *cap, size_t elem, size_t first, void *space);
void kvmd_array_free(void *arr, size_t cap, size_t elem, void *space);

/*
 * The offset of a member (path "a.b" for nested ones) of one of the target's types, e.g.
 * ("struct kvm", "irq_routing"): from the target's CTF, whose layout profile may not be the one
 * this module was compiled with; the compiled offset when the target has no such type. Offsets
 * rather than mdb_ctf_vread: a dmod built by clang (the fuzzing builds) carries no CTF of its own.
 */
size_t kvmd_offsetof(const char *type, const char *path, size_t compiled);
#define	KVMD_OFFSETOF(type, member) \
	kvmd_offsetof(#type, #member, offsetof(type, member))
/* The size of one of the target's types, likewise. */
size_t kvmd_sizeof(const char *type, size_t compiled);
#define	KVMD_SIZEOF(type)	kvmd_sizeof(#type, sizeof (type))

/*
 * Reads len bytes at kvm + off. On failure warns "couldn't read kvm at <kvm>" (the original's
 * text) and returns -1.
 */
int kvmd_read_kvm(uintptr_t kvm, size_t off, void *buf, size_t len);
#define	KVMD_READ_KVM_FIELD(kvm_addr, field, dst) \
	kvmd_read_kvm((kvm_addr), KVMD_OFFSETOF(struct kvm, field), (dst), sizeof (*(dst)))

/*
 * Reads the kvm_avlmp header of a kvm and checks that it is a tree of kvm_mmu_page; warns and
 * returns -1 otherwise.
 */
int kvmd_read_mmu_tree(uintptr_t kvm, avl_tree_t *tree);
/* The same with kvm_avlmp's offset already resolved (one CTF lookup fewer per caller). */
int kvmd_read_mmu_tree_at(uintptr_t kvm, size_t avlmp_off, avl_tree_t *tree);

/* Walkers (one file each). */
int kvmd_kvm_walk_init(mdb_walk_state_t *);
int kvmd_kvm_walk_step(mdb_walk_state_t *);

int kvmd_memslot_walk_init(mdb_walk_state_t *);
int kvmd_memslot_walk_step(mdb_walk_state_t *);
void kvmd_memslot_walk_fini(mdb_walk_state_t *);

int kvmd_alias_walk_init(mdb_walk_state_t *);
int kvmd_alias_walk_step(mdb_walk_state_t *);
void kvmd_alias_walk_fini(mdb_walk_state_t *);

int kvmd_ringbuf_walk_init(mdb_walk_state_t *);
int kvmd_ringbuf_walk_step(mdb_walk_state_t *);
void kvmd_ringbuf_walk_fini(mdb_walk_state_t *);

int kvmd_vcpu_walk_init(mdb_walk_state_t *);
int kvmd_vcpu_walk_step(mdb_walk_state_t *);
void kvmd_vcpu_walk_fini(mdb_walk_state_t *);

int kvmd_mmu_page_walk_init(mdb_walk_state_t *);
int kvmd_mmu_page_walk_step(mdb_walk_state_t *);

/* dcmds */
int kvmd_gpa2qva(uintptr_t, uint_t, int, const mdb_arg_t *);
int kvmd_gsiroutes(uintptr_t, uint_t, int, const mdb_arg_t *);
int kvmd_mmuinfo(uintptr_t, uint_t, int, const mdb_arg_t *);
void kvmd_mmuinfo_help(void);
int kvmd_ringbuf_entry(uintptr_t, uint_t, int, const mdb_arg_t *);
int kvmd_summary(uintptr_t, uint_t, int, const mdb_arg_t *);
void kvmd_summary_help(void);

/*
 * The count of aliases a struct kvm_mem_aliases claims, clamped to [0, KVM_ALIAS_SLOTS]; warns
 * (naming the aliases address) when the claim is out of range.
 */
int kvmd_alias_count(int naliases, uintptr_t aliases_addr);

#endif /* KVM_DMOD_H */
