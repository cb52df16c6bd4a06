/*
 * The unix module's types and typed variables: what the simulated kernel's unix symbols are
 * (memsegs). A child of genunix: types genunix has are referred to there.
 */
#include <sys/types.h>
#include <vm/page.h>

struct memseg *memsegs;
