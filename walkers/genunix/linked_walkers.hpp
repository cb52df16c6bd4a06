// The walkers linked into the host: genunix `list` and `avl`, unix `memseg`.
#pragma once

#include <sys/mdb_modapi.h>

namespace mdbsim::host {
extern const mdb_walker_t kListWalker;
extern const mdb_walker_t kAvlWalker;
extern const mdb_walker_t kMemsegWalker;
}  // namespace mdbsim::host
