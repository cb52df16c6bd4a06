// Registers the walkers linked into the host as the modules illumos ships them in: genunix
// (`list`, `avl`) and unix (`memseg`).
#include "builtins.hpp"
#include "host_internal.hpp"
#include "linked_walkers.hpp"

namespace mdbsim::host {
namespace {

const mdb_modinfo_t* genunix_init() {
    static const mdb_walker_t walkers[] = {kListWalker, kAvlWalker, {}};
    static const mdb_modinfo_t info = {MDB_API_VERSION, nullptr, walkers};
    return &info;
}

const mdb_modinfo_t* unix_init() {
    static const mdb_walker_t walkers[] = {kMemsegWalker, {}};
    static const mdb_modinfo_t info = {MDB_API_VERSION, nullptr, walkers};
    return &info;
}

}  // namespace

void register_linked_walkers(Session& s) {
    s.add_linked_module("genunix", genunix_init);
    s.add_linked_module("unix", unix_init);
}

}  // namespace mdbsim::host
