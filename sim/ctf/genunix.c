/*
 * The genunix module's types: the illumos primitives every other module builds on (list_t,
 * avl_tree_t, locks, kstats, page_t, struct memseg). Compiled with gcc -gctf into the parent
 * dict of the simulated kernel (sim/CMakeLists.txt); nothing here is ever linked or run.
 */
#include <sys/types.h>
#include <sys/list.h>
#include <sys/avl.h>
#include <sys/mutex.h>
#include <sys/condvar.h>
#include <sys/rwlock.h>
#include <sys/kstat.h>
#include <vm/page.h>
