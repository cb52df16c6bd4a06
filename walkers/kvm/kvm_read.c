/*
 * Reading single fields of a struct kvm: the dmod never copies the whole 34 KB structure. Where
 * illumos-kvm versions differ (struct kvm past arch, struct kvm_vcpu, kvm_ringbuf_t), offsets come
 * from the target's types, so one build of this module reads every layout profile.
 */
#include <mdb/mdb_ctf.h>
#include <mdbsim/target_layout.h>

#include "kvm_dmod.h"

/*
 * Where these differ between the versions, this module reads them at the target's offsets (or
 * not at all: the stats and the arch members past what it needs), so ::load need not compare
 * their compiled layouts with the target's.
 */
MDBSIM_TARGET_LAYOUT_TYPES("struct kvm", "struct kvm_arch", "struct kvm_vcpu", "struct kvm_vcpu_arch",
    "struct kvm_vcpu_stats", "kvm_ringbuf_t");

size_t
kvmd_offsetof(const char *type, const char *path, size_t compiled)
{
	mdb_ctf_id_t id;
	ulong_t off, total = 0;
	char name[64];
	const char *p = path;

	if (mdb_ctf_lookup_by_name(type, &id) != 0)
		return (compiled);
	while (*p != '\0') {
		size_t n = strcspn(p, ".");

		if (n >= sizeof (name))
			return (compiled);
		(void) memcpy(name, p, n);
		name[n] = '\0';
		if (mdb_ctf_member_info(id, name, &off, &id) != 0 || off % 8 != 0)
			return (compiled);
		total += off / 8;
		p += n;
		if (*p == '.')
			p++;
	}
	return (total);
}

size_t
kvmd_sizeof(const char *type, size_t compiled)
{
	mdb_ctf_id_t id;
	ssize_t n;

	if (mdb_ctf_lookup_by_name(type, &id) != 0 || (n = mdb_ctf_type_size(id)) <= 0)
		return (compiled);
	return ((size_t)n);
}

int
kvmd_read_kvm(uintptr_t kvm, size_t off, void *buf, size_t len)
{
	if (mdb_vread(buf, len, kvm + off) != (ssize_t)len) {
		mdb_warn("couldn't read kvm at %p", kvm);
		return (-1);
	}
	return (0);
}

int
kvmd_read_mmu_tree(uintptr_t kvm, avl_tree_t *tree)
{
	return (kvmd_read_mmu_tree_at(kvm, KVMD_OFFSETOF(struct kvm, kvm_avlmp), tree));
}

int
kvmd_read_mmu_tree_at(uintptr_t kvm, size_t avlmp_off, avl_tree_t *tree)
{
	if (kvmd_read_kvm(kvm, avlmp_off, tree, sizeof (*tree)) == -1)
		return (-1);
	/*
	 * Everything that reads this tree treats its nodes as kvm_mmu_pages (the avl walker's
	 * copies included): a tree of anything else would be read past its objects.
	 */
	if (tree->avl_size != sizeof (struct kvm_mmu_page) ||
	    tree->avl_offset != offsetof(struct kvm_mmu_page, kmp_avlnode)) {
		mdb_warn("kvm: kvm_avlmp at %p is not a tree of kvm_mmu_page "
		    "(avl_size %lu, avl_offset %lu; expected %lu, %lu)\n",
		    kvm + avlmp_off, (ulong_t)tree->avl_size,
		    (ulong_t)tree->avl_offset, (ulong_t)sizeof (struct kvm_mmu_page),
		    (ulong_t)offsetof(struct kvm_mmu_page, kmp_avlnode));
		return (-1);
	}
	return (0);
}
