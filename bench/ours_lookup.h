/*
 * Our dmod's own page lookup, called in place: the functions ::kvm_mmuinfo uses (frames.c and
 * shadow_tree.c of walkers/kvm), resolved with dlsym in the loaded kvm.so so that the benchmark
 * measures the dmod's code, not a copy of it. Per lookup: one 8-byte read of the page_t's
 * p_pagenum (memsegs are loaded once per command) and an AVL search on kmp_avlspt (two 8-byte
 * reads per tree level).
 */
#ifndef MDBSIM_BENCH_OURS_LOOKUP_H
#define MDBSIM_BENCH_OURS_LOOKUP_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bench_ours bench_ours_t;

/* NULL when the module lacks one of the functions (dlerror text in *why). */
bench_ours_t *bench_ours_open(void *dl_handle, const char **why);
void bench_ours_close(bench_ours_t *);
/* Inside a command: loads the memseg table and the kvm_avlmp header. 0, or -1 (warned). */
int bench_ours_begin(bench_ours_t *, uintptr_t kvm);
void bench_ours_end(bench_ours_t *);
/* Physical table address -> kvm_mmu_page: 1 found, 0 none, -1 error. */
int bench_ours_lookup(bench_ours_t *, uint64_t hpa, uintptr_t *mmu_page);

#ifdef __cplusplus
}
#endif

#endif
