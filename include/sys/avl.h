/* mdbsim SDK: illumos avl_tree_t and avl_node_t (layout in <sys/avl_impl.h>). */
#ifndef _MDBSIM_SYS_AVL_H
#define _MDBSIM_SYS_AVL_H

#include <sys/avl_impl.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct avl_tree avl_tree_t;
typedef struct avl_node avl_node_t;
typedef uintptr_t avl_index_t;

#define AVL_BEFORE 0
#define AVL_AFTER 1

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_SYS_AVL_H */
