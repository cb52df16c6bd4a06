/* mdbsim SDK: the parts of illumos <sys/sunddi.h> that kernel structures embed. */
#ifndef _MDBSIM_SYS_SUNDDI_H
#define _MDBSIM_SYS_SUNDDI_H

#include <sys/types.h>
#include <sys/ddi.h>
#include <sys/ksynch.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct __ddi_umem_cookie *ddi_umem_cookie_t;
typedef struct __ddi_dma_handle *ddi_dma_handle_t;
typedef struct __ddi_acc_handle *ddi_acc_handle_t;
typedef struct __ddi_iblock_cookie *ddi_iblock_cookie_t;
typedef struct __ddi_softintr *ddi_softintr_t;
typedef struct __ddi_intr_handle *ddi_intr_handle_t;
typedef struct __dev_info dev_info_t;

#define DDI_SUCCESS 0
#define DDI_FAILURE (-1)

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_SYS_SUNDDI_H */
