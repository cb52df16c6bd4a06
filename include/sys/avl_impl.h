/*
 * mdbsim SDK: layout of the illumos AVL tree (avl_tree_t, avl_node_t).
 *
 * avl_pcb packs three things into one word, which is why nodes must be 8-byte aligned:
 *   bits 63..3  parent node address (0 for the root)
 *   bit  2      which child of the parent this node is (0 left, 1 right)
 *   bits 1..0   balance + 1 (balance = height(right) - height(left), -1..+1)
 */
#ifndef _MDBSIM_SYS_AVL_IMPL_H
#define _MDBSIM_SYS_AVL_IMPL_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct avl_node {
	struct avl_node *avl_child[2];	/* [0] smaller keys, [1] larger keys */
	uintptr_t avl_pcb;		/* parent | child index | balance, see above */
};

#define AVL_XPARENT(n) ((struct avl_node *)((n)->avl_pcb & ~(uintptr_t)7))
#define AVL_SETPARENT(n, p) \
	((n)->avl_pcb = ((n)->avl_pcb & (uintptr_t)7) | (uintptr_t)(p))

#define AVL_XCHILD(n) ((int)(((n)->avl_pcb >> 2) & 1))
#define AVL_SETCHILD(n, c) \
	((n)->avl_pcb = ((n)->avl_pcb & ~(uintptr_t)4) | ((uintptr_t)(c) << 2))

#define AVL_XBALANCE(n) ((int)((n)->avl_pcb & 3) - 1)
#define AVL_SETBALANCE(n, b) \
	((n)->avl_pcb = ((n)->avl_pcb & ~(uintptr_t)3) | (uintptr_t)((b) + 1))

#define AVL_NODE2DATA(n, o) ((void *)((uintptr_t)(n) - (o)))
#define AVL_DATA2NODE(d, o) ((struct avl_node *)((uintptr_t)(d) + (o)))

/* An avl_index_t is a node address with the child direction in bit 0. */
#define AVL_INDEX2NODE(x) ((struct avl_node *)((x) & ~(uintptr_t)1))
#define AVL_INDEX2CHILD(x) ((int)((x) & 1))
#define AVL_MKINDEX(n, c) ((uintptr_t)(n) | (uintptr_t)(c))

struct avl_tree {
	struct avl_node *avl_root;
	int (*avl_compar)(const void *, const void *);
	size_t avl_offset;	/* offset of the avl_node inside an element */
	ulong_t avl_numnodes;
	size_t avl_size;	/* size of each element */
};

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_SYS_AVL_IMPL_H */
