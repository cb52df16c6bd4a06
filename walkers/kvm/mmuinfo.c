/*
 * dcmd `kvm_mmuinfo`: a vCPU's shadow MMU state and the whole shadow page table under its root,
 * in the original's format, plus options to label leaves (-l) and verify invariants (-v).
 */
#include "shadow.h"

static const char *
mmu_level_name(int level)
{
	switch (level) {
	case 1:
		return ("PAGE_TABLE (0x1)");
	case 2:
		return ("PAGE_DIR (0x2)");
	case 3:
		return ("PDPE (0x3)");
	case 4:
		return ("PT64_ROOT (0x4)");
	default:
		return ("?");
	}
}

/* The heading of the table listing (mmu_list_tables), printed with the state's last lines. */
#define	PAGE_PRIVATE	"\nPage Private for MMU Root:\n"

/* The MMU state lines, then PAGE_PRIVATE. */
#define	MMU_STATE	"\nMMU Info -- mmu: 0x%p\n" \
	"root_hpa: 0x%p (%s)\n" \
	"root_level: %s\n" \
	"pae_root... 0x%p\n"
#define	PAE_ROOT(i)	"  pae_root[" #i "]: 0x%p (%s)\n"
#define	PAE_ARGS(i)	(uintptr_t)(roots[i] & KVMD_PTE_ADDR_MASK), \
	roots[i] == KVMD_INVALID_PAGE ? "INVALID" : "valid"

static void
mmu_print_state(uintptr_t mmu_addr, const struct kvm_mmu *mmu)
{
	int i;
	uint64_t roots[4];
	const char *valid = mmu->root_hpa == KVMD_INVALID_PAGE ? "INVALID" : "valid";

	/*
	 * The original printed its own heap copy's address here; the target's is stable. The four
	 * pae_root entries are read at once, and then all the lines go out in one mdb_printf (the
	 * same text as one call per line); entry by entry when that read fails (some entries may
	 * still be readable).
	 */
	if (mdb_vread(roots, sizeof (roots), (uintptr_t)mmu->pae_root) == sizeof (roots)) {
		mdb_printf(MMU_STATE PAE_ROOT(0) PAE_ROOT(1) PAE_ROOT(2) PAE_ROOT(3) "\n"
		    PAGE_PRIVATE, mmu_addr, (uintptr_t)mmu->root_hpa, valid,
		    mmu_level_name(mmu->root_level), (uintptr_t)mmu->pae_root,
		    PAE_ARGS(0), PAE_ARGS(1), PAE_ARGS(2), PAE_ARGS(3));
		return;
	}
	mdb_printf(MMU_STATE, mmu_addr, (uintptr_t)mmu->root_hpa, valid,
	    mmu_level_name(mmu->root_level), (uintptr_t)mmu->pae_root);
	for (i = 0; i < 4; i++) {
		uint64_t root;

		if (mdb_vread(&root, sizeof (root), (uintptr_t)mmu->pae_root +
		    i * sizeof (uint64_t)) != sizeof (root)) {
			mdb_printf("  pae_root[%d]: could not read!\n", i);
			continue;
		}
		mdb_printf("  pae_root[%d]: 0x%p (%s)\n", i,
		    (uintptr_t)(root & KVMD_PTE_ADDR_MASK),
		    root == KVMD_INVALID_PAGE ? "INVALID" : "valid");
	}
	mdb_printf("\n" PAGE_PRIVATE);
}
#undef	PAE_ROOT
#undef	PAE_ARGS

/* The kvm_mmu_page of the root table, or B_FALSE (its lookup problem already printed). */
static boolean_t
mmu_find_root(kvmd_frames_t *kf, kvmd_shadow_tree_t *kt, uint64_t root_hpa,
    kvmd_shadow_page_t *root)
{
	uintptr_t page;
	pfn_t other;

	/* As the original: the whole root_hpa shifted, with no address mask. */
	if (kvmd_frame_page(kf, (pfn_t)(root_hpa >> KVMD_PAGE_SHIFT), &page, &other) !=
	    KVMD_FRAME_OK)
		return (B_FALSE);
	return (kvmd_shadow_tree_lookup(kt, page, root) == KVMD_FIND_FOUND);
}

/* -v checks of the root's own shadow page. */
static int
mmu_verify_root(uintptr_t root, const kvmd_shadow_page_t *sp, int level)
{
	uint32_t role = sp->sp_role;
	int violations = 0;

	if ((int)KVMD_ROLE_LEVEL(role) != level) {
		mdb_printf("VIOLATION: root kvm_mmu_page 0x%p has role.level %u, but "
		    "shadow_root_level is %d\n", root, KVMD_ROLE_LEVEL(role), level);
		violations++;
	}
	if (sp->sp_root_count < 1) {
		mdb_printf("VIOLATION: root kvm_mmu_page 0x%p has root_count %d\n",
		    root, sp->sp_root_count);
		violations++;
	}
	return (violations);
}

/* The listing from the root down, once the memsegs and the tree header are loaded. */
static int
mmu_list_from_root(const struct kvm_mmu *mmu, uint_t opts, kvmd_frames_t *kf,
    kvmd_shadow_tree_t *kt, uintptr_t kvm)
{
	kvmd_spt_dump_t sd;
	kvmd_shadow_page_t root_sp;
	uintptr_t root = 0;
	int level = mmu->shadow_root_level, violations = 0, status;

	if (opts & KVMD_MMU_VERIFY) {
		violations = kvmd_shadow_tree_index(kt, kvm, kf);
		if (violations < 0)
			violations = 1;
	}
	if (mmu_find_root(kf, kt, mmu->root_hpa, &root_sp)) {
		root = root_sp.sp_node;
		if (!root_sp.sp_known && kvmd_shadow_page_read(&root_sp) == -1) {
			mdb_warn("couldn't read kvm_mmu_page at %p", root);
			root = 0;
		}
	}
	if (root == 0) {
		mdb_printf("ERROR: could not find page private for MMU Root\n\n");
		return (DCMD_ERR);
	}
	mdb_printf("  page_private  0x%p  sptkma 0x%p\n", root, root_sp.sp_sptkma);

	if (level < 1 || level > KVMD_MAX_LEVEL) {
		if (opts & KVMD_MMU_VERIFY) {
			mdb_printf("VIOLATION: shadow_root_level is %d; listing the root "
			    "as level %d\n", level, KVMD_MAX_LEVEL);
			violations++;
		}
		level = KVMD_MAX_LEVEL;
	}
	if (opts & KVMD_MMU_VERIFY)
		violations += mmu_verify_root(root, &root_sp, level);

	kvmd_spt_dump_init(&sd, kf, kt, opts);
	kvmd_spt_dump(&sd, root, root_sp.sp_sptkma, level, 4);
	mdb_printf("\n");

	violations += sd.sd_violations;
	if (opts & KVMD_MMU_VERIFY) {
		mdb_printf("verified %lu shadow tables and %lu leaf entries: %d "
		    "violation%s, %d error%s\n", sd.sd_ntables, sd.sd_nleaves,
		    violations, violations == 1 ? "" : "s", sd.sd_errors,
		    sd.sd_errors == 1 ? "" : "s");
	}
	status = (sd.sd_errors != 0 || violations != 0) ? DCMD_ERR : DCMD_OK;
	kvmd_spt_dump_fini(&sd);
	return (status);
}

/*
 * Lists the shadow table from the root found in kvm_avlmp. Returns DCMD_OK, or DCMD_ERR after
 * any problem (each one printed where it was found).
 */
static int
mmu_list_tables(uintptr_t kvm, const struct kvm_mmu *mmu, uint_t opts)
{
	kvmd_frames_t kf;
	kvmd_shadow_tree_t kt;
	int status;

	/* PAGE_PRIVATE is already out (mmu_print_state). */
	if (kvmd_frames_load(&kf) == -1) {
		mdb_printf("ERROR: could not find page private for MMU Root\n\n");
		return (DCMD_ERR);
	}
	if (kvmd_shadow_tree_init(&kt, kvm) == -1) {
		mdb_printf("ERROR: could not find page private for MMU Root\n\n");
		kvmd_frames_fini(&kf);
		return (DCMD_ERR);
	}
	status = mmu_list_from_root(mmu, opts, &kf, &kt, kvm);
	kvmd_shadow_tree_fini(&kt);
	kvmd_frames_fini(&kf);
	return (status);
}

int
kvmd_mmuinfo(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	uintptr_t cpu = 0, vcpu;
	uint_t opts = 0;
	struct kvm_mmu mmu;
	size_t mmu_off;

	if (mdb_getopts(argc, argv,
	    'c', MDB_OPT_UINTPTR, &cpu,
	    'l', MDB_OPT_SETBITS, KVMD_MMU_LABEL_LEAVES, &opts,
	    'v', MDB_OPT_SETBITS, KVMD_MMU_VERIFY, &opts, NULL) != argc)
		return (DCMD_USAGE);
	if (cpu >= KVM_MAX_VCPUS) {
		mdb_warn("kvm_mmuinfo: vCPU %lu does not exist (KVM_MAX_VCPUS is %d)\n",
		    (ulong_t)cpu, KVM_MAX_VCPUS);
		return (DCMD_ERR);
	}
	if (kvmd_read_kvm(addr, KVMD_OFFSETOF(struct kvm, vcpus) +
	    cpu * sizeof (struct kvm_vcpu *), &vcpu, sizeof (vcpu)) == -1)
		return (DCMD_ERR);
	if (vcpu == 0) {
		mdb_warn("kvm_mmuinfo: kvm %p has no vCPU %lu\n", addr, (ulong_t)cpu);
		return (DCMD_ERR);
	}
	mmu_off = KVMD_OFFSETOF(struct kvm_vcpu, arch.mmu);
	if (mdb_vread(&mmu, sizeof (mmu), vcpu + mmu_off) != sizeof (mmu)) {
		mdb_warn("couldn't read kvm_vcpu at %p", vcpu);
		return (DCMD_ERR);
	}
	mmu_print_state(vcpu + mmu_off, &mmu);
	return (mmu_list_tables(addr, &mmu, opts));
}

void
kvmd_mmuinfo_help(void)
{
	mdb_printf(
	    "Prints the shadow MMU of one vCPU of the kvm at the given address: root_hpa,\n"
	    "root_level and the PAE roots, the kvm_mmu_page of the root (found in the\n"
	    "kvm's kvm_avlmp tree), then every shadow page table entry with the bits 0x27\n"
	    "set, indented by level, each table below the entry that points at it.\n"
	    "\n"
	    "Under each leaf entry the output has, as the original dmod's, the line\n"
	    "\"^^-- ERROR: no private data in avltree\". Real problems (a frame without a\n"
	    "page_t, a shadow page reached twice, an unreadable table) are reported where\n"
	    "they are found and make the dcmd fail.\n"
	    "\n"
	    "Options:\n"
	    "  -c cpu   the vCPU to examine (default 0)\n"
	    "  -l       label leaf entries (\"^^-- leaf: 4K page\") instead of the\n"
	    "           original's error line\n"
	    "  -v       verify the table's invariants and print each VIOLATION: table\n"
	    "           levels against kvm_mmu_page role.level, frame/page_t/kvm_avlmp\n"
	    "           agreement, tree order and node count, and leaves that map a\n"
	    "           shadow table; ends with a count and fails if any was found\n");
}
