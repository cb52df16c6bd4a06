/*
 * Reading single fields of a struct kvm: the dmod never copies the whole 34 KB structure.
 */
#include "kvm_dmod.h"

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
	if (KVMD_READ_KVM_FIELD(kvm, kvm_avlmp, tree) == -1)
		return (-1);
	/*
	 * Everything that reads this tree treats its nodes as kvm_mmu_pages (the avl walker's
	 * copies included): a tree of anything else would be read past its objects.
	 */
	if (tree->avl_size != sizeof (struct kvm_mmu_page) ||
	    tree->avl_offset != offsetof(struct kvm_mmu_page, kmp_avlnode)) {
		mdb_warn("kvm: kvm_avlmp at %p is not a tree of kvm_mmu_page "
		    "(avl_size %lu, avl_offset %lu; expected %lu, %lu)\n",
		    kvm + offsetof(struct kvm, kvm_avlmp), (ulong_t)tree->avl_size,
		    (ulong_t)tree->avl_offset, (ulong_t)sizeof (struct kvm_mmu_page),
		    (ulong_t)offsetof(struct kvm_mmu_page, kmp_avlnode));
		return (-1);
	}
	return (0);
}
