// The walkers linked into the host: genunix `list` and `avl`, unix `memseg`.
#pragma once

#include <sys/mdb_modapi.h>

namespace mdbsim::host {

// Reads n bytes at addr through the module API, as a dmod would; false (errno set) unless all of
// them could be read.
inline bool read_exact(void* buf, size_t n, uintptr_t addr) {
    return mdb_vread(buf, n, addr) == static_cast<ssize_t>(n);
}
template <class T> bool read_object(T& obj, uintptr_t addr) { return read_exact(&obj, sizeof obj, addr); }

extern const mdb_walker_t kListWalker;
extern const mdb_walker_t kAvlWalker;
extern const mdb_walker_t kMemsegWalker;
}  // namespace mdbsim::host
