/*
 * The pieces ::kvm_mmuinfo is built from: resolving frames to page_t (memsegs), finding the
 * kvm_mmu_page of a page_t (kvm_avlmp), remembering visited shadow pages, and printing the
 * shadow page table.
 */
#ifndef KVM_SHADOW_H
#define KVM_SHADOW_H

#include "kvm_dmod.h"

/* ---- frames.c: pfn -> page_t through the memsegs, loaded once per command ---- */

typedef struct kvmd_memseg {
	uintptr_t km_pages;	/* page_t of km_base */
	pfn_t km_base;		/* first frame covered */
	pfn_t km_end;		/* one past the last frame covered */
} kvmd_memseg_t;

/*
 * Frames are looked up one by one, and a leaf table's entries usually name consecutive frames:
 * when a lookup follows its predecessor's frame, the p_pagenum of the next KVMD_FRAME_WINDOW
 * page_ts is read at once, so one mdb_vread serves a run instead of one per entry.
 */
#ifndef KVMD_FRAME_WINDOW
#define	KVMD_FRAME_WINDOW	16
#endif

#define	KVMD_INLINE_SEGS	8

typedef struct kvmd_frames {
	kvmd_memseg_t *kf_segs;
	size_t kf_nsegs;
	size_t kf_cap;
	pfn_t kf_last;		/* the frame looked up last, or (pfn_t)-1 */
	pfn_t kf_win_base;	/* first frame of the window */
	size_t kf_win_n;	/* frames in the window; 0 when empty */
	uintptr_t kf_win_pages;	/* page_t of kf_win_base */
	pfn_t kf_win_pagenum[KVMD_FRAME_WINDOW];	/* their p_pagenum */
	page_t *kf_win_buf;	/* kf_win_space once loaded, else NULL */
	/* Room for KVMD_FRAME_WINDOW page_ts, read in one go (no allocation per command). */
	page_t kf_win_space[KVMD_FRAME_WINDOW];
	/* kf_segs' first room: machines have a few memsegs (a longer chain allocates). */
	kvmd_memseg_t kf_seg_space[KVMD_INLINE_SEGS];
} kvmd_frames_t;

typedef enum kvmd_frame_status {
	KVMD_FRAME_OK,
	KVMD_FRAME_UNCOVERED,	/* no memseg covers the frame */
	KVMD_FRAME_UNREADABLE,	/* the page_t cannot be read */
	KVMD_FRAME_MISMATCH	/* the page_t names another frame */
} kvmd_frame_status_t;

/* Walks `memseg` once; warns and returns -1 when the walk fails or never ends. */
int kvmd_frames_load(kvmd_frames_t *);
void kvmd_frames_fini(kvmd_frames_t *);
/*
 * The page_t of pfn as mdb_pfn2page finds it (first covering memseg in chain order, p_pagenum
 * checked). *page is set whenever a memseg covers pfn; *found_pfn on KVMD_FRAME_MISMATCH.
 */
kvmd_frame_status_t kvmd_frame_page(kvmd_frames_t *, pfn_t pfn, uintptr_t *page,
    pfn_t *found_pfn);

/* ---- shadow_tree.c: page_t -> kvm_mmu_page through kvm_avlmp ---- */

/* What the listing needs of a kvm_mmu_page. */
typedef struct kvmd_shadow_page {
	uintptr_t sp_node;	/* the kvm_mmu_page */
	uintptr_t sp_sptkma;	/* where its table is read */
	uint32_t sp_role;	/* union kvm_mmu_page_role */
	int sp_root_count;
	boolean_t sp_known;	/* the fields after sp_node are filled in */
} kvmd_shadow_page_t;

typedef struct kvmd_tree_entry {
	uintptr_t te_key;	/* kmp_avlspt */
	kvmd_shadow_page_t te_page;	/* copied from the walk: no second read */
} kvmd_tree_entry_t;

#define	KVMD_INLINE_SCAN	16

typedef struct kvmd_shadow_tree {
	uintptr_t kt_kvm;	/* the struct kvm */
	uintptr_t kt_tree;	/* target address of kvm_avlmp */
	uintptr_t kt_root;	/* its root node */
	ulong_t kt_numnodes;
	uintptr_t *kt_keys;	/* -v only: kmp_avlspt of every node, in walk order */
	size_t kt_nkeys;
	size_t kt_cap;
	/* Built by the first lookup: every node, sorted by key (see find). */
	kvmd_tree_entry_t *kt_scan;
	size_t kt_nscan;
	size_t kt_scancap;
	int kt_scan_state;	/* 0 not built, 1 built, -1 the walk failed */
	boolean_t kt_out_of_order;	/* warned once */
	/* kt_scan's first room: a small guest's tree allocates nothing. */
	kvmd_tree_entry_t kt_scan_space[KVMD_INLINE_SCAN];
} kvmd_shadow_tree_t;

typedef enum kvmd_find {
	KVMD_FIND_ERROR = -1,	/* the tree is corrupt (warned) */
	KVMD_FIND_NONE = 0,
	KVMD_FIND_FOUND = 1
} kvmd_find_t;

/* Reads the tree header of kvm and checks it holds kvm_mmu_pages; warns and returns -1 if not. */
int kvmd_shadow_tree_init(kvmd_shadow_tree_t *, uintptr_t kvm);
void kvmd_shadow_tree_fini(kvmd_shadow_tree_t *);
/*
 * The first lookup walks the tree once into a sorted index (warning if the tree's order is
 * corrupt, which then does not matter); every lookup is a binary search of that index, with no
 * target reads. If the walk fails, a depth-bounded search of the tree itself answers.
 */
kvmd_find_t kvmd_shadow_tree_find(kvmd_shadow_tree_t *, uintptr_t page, uintptr_t *mmu_page);
/*
 * kvmd_shadow_tree_find, with what the index holds of the node: sp_known is B_FALSE when the
 * answer came from the tree itself (then kvmd_shadow_page_read fills it in).
 */
kvmd_find_t kvmd_shadow_tree_lookup(kvmd_shadow_tree_t *, uintptr_t page, kvmd_shadow_page_t *);
/* Reads sp->sp_node's kvm_mmu_page into sp; -1 (nothing printed) if it cannot be read. */
int kvmd_shadow_page_read(kvmd_shadow_page_t *sp);
/*
 * -v: walks the whole tree once, printing a VIOLATION line for each ordering or count problem,
 * and keeps the keys so that kvmd_shadow_tree_has_key() needs no target reads. Returns the
 * number of violations, or -1 when the walk fails.
 */
int kvmd_shadow_tree_index(kvmd_shadow_tree_t *, uintptr_t kvm, kvmd_frames_t *);
boolean_t kvmd_shadow_tree_has_key(const kvmd_shadow_tree_t *, uintptr_t page);

/* ---- addrset.c: a set of target addresses ---- */

#define	KVMD_ADDRSET_INLINE	16	/* a power of two */

typedef struct kvmd_addrset {
	uintptr_t *ka_slots;	/* open addressing; 0 marks a free slot */
	size_t ka_cap;		/* a power of two */
	size_t ka_count;
	uintptr_t ka_space[KVMD_ADDRSET_INLINE];	/* the first slots: no allocation */
} kvmd_addrset_t;

void kvmd_addrset_init(kvmd_addrset_t *);
void kvmd_addrset_fini(kvmd_addrset_t *);
/* Adds addr (non-zero); returns B_FALSE if it was already present. */
boolean_t kvmd_addrset_add(kvmd_addrset_t *, uintptr_t addr);
boolean_t kvmd_addrset_has(const kvmd_addrset_t *, uintptr_t addr);

/* ---- spt_dump.c: the recursive shadow page table listing ---- */

#define	KVMD_MMU_LABEL_LEAVES	0x1	/* -l */
#define	KVMD_MMU_VERIFY		0x2	/* -v */

typedef struct kvmd_spt_dump {
	kvmd_frames_t *sd_frames;
	kvmd_shadow_tree_t *sd_tree;
	uint_t sd_flags;
	kvmd_addrset_t sd_visited;	/* shadow pages whose table has been listed */
	uintptr_t sd_path[KVMD_MAX_LEVEL];	/* shadow pages being listed, root first */
	int sd_depth;
	ulong_t sd_ntables;
	ulong_t sd_nleaves;
	int sd_errors;		/* problems that make the dcmd fail */
	int sd_violations;	/* -v findings */
} kvmd_spt_dump_t;

void kvmd_spt_dump_init(kvmd_spt_dump_t *, kvmd_frames_t *,
    kvmd_shadow_tree_t *, uint_t flags);
void kvmd_spt_dump_fini(kvmd_spt_dump_t *);
/*
 * Lists the table of shadow page mmu_page (its PTEs at sptkma), which sits at `level` (1..4),
 * indented by `indent` spaces, and every table below it.
 */
void kvmd_spt_dump(kvmd_spt_dump_t *, uintptr_t mmu_page, uintptr_t sptkma, int level,
    int indent);

#endif /* KVM_SHADOW_H */
