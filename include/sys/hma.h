/*
 * mdbsim SDK: illumos <sys/hma.h>, the Hypervisor Multiplexor API of the intel kernel.
 * A dmod only needs its types (upstream illumos-kvm's struct kvm_vcpu_arch holds an hma_fpu_t *);
 * the functions are declared so that kernel headers that name them compile, and are never defined.
 */
#ifndef _MDBSIM_SYS_HMA_H
#define _MDBSIM_SYS_HMA_H

#include <sys/types.h>
#include <sys/fp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque tokens: their layouts are private to the kernel's HMA. */
typedef struct hma_reg hma_reg_t;
typedef struct hma_fpu hma_fpu_t;

typedef struct hma_svm_asid {
    uint64_t hsa_gen;
    uint32_t hsa_asid;
} hma_svm_asid_t;

extern hma_reg_t *hma_register(const char *);
extern hma_reg_t *hma_register_exclusive(const char *);
extern void hma_unregister(hma_reg_t *);

extern uint16_t hma_vmx_vpid_alloc(void);
extern void hma_vmx_vpid_free(uint16_t);

extern void hma_svm_asid_init(hma_svm_asid_t *);
extern uint8_t hma_svm_asid_update(hma_svm_asid_t *, boolean_t, boolean_t);

extern hma_fpu_t *hma_fpu_alloc(int);
extern void hma_fpu_free(hma_fpu_t *);
extern int hma_fpu_init(hma_fpu_t *);
extern void hma_fpu_start_guest(hma_fpu_t *);
extern void hma_fpu_stop_guest(hma_fpu_t *);
extern void hma_fpu_get_fxsave_state(const hma_fpu_t *, struct fxsave_state *);
extern int hma_fpu_set_fxsave_state(hma_fpu_t *, const struct fxsave_state *);

extern void hma_init(void);

#ifdef __cplusplus
}
#endif

#endif /* _MDBSIM_SYS_HMA_H */
