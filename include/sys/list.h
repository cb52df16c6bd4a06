/* mdbsim SDK: illumos list_t and list_node_t (layout in <sys/list_impl.h>). */
#ifndef _MDBSIM_SYS_LIST_H
#define _MDBSIM_SYS_LIST_H

#include <sys/list_impl.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct list_node list_node_t;
typedef struct list list_t;

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_SYS_LIST_H */
