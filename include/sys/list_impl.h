/*
 * mdbsim SDK: layout of the illumos doubly linked list (list_t, list_node_t).
 * A list_t embeds its sentinel node; the list is circular through it.
 */
#ifndef _MDBSIM_SYS_LIST_IMPL_H
#define _MDBSIM_SYS_LIST_IMPL_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct list_node {
	struct list_node *list_next;
	struct list_node *list_prev;
};

struct list {
	size_t list_size;		/* size of each element */
	size_t list_offset;		/* offset of the list_node inside an element */
	struct list_node list_head;	/* sentinel */
};

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_SYS_LIST_IMPL_H */
