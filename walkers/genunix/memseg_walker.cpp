// unix `memseg` walker over the global memseg chain (layouts.md §13.3). A `next` cycle or an
// unreadable memseg fails the walk (decisions.md) where mdb would loop or stop silently.
#include <sys/mdb_modapi.h>
#include <vm/page.h>

#include <cerrno>

#include "host_internal.hpp"
#include "linked_walkers.hpp"

namespace mdbsim::host {
namespace {

struct MemsegWalk {
    struct memseg seg;
    CycleDetector cycle;
};

int memseg_init(mdb_walk_state_t* wsp) {
    if (wsp->walk_addr != 0) {
        mdb_warn("memseg only supports global walks\n");
        return WALK_ERR;
    }
    // The variable is read as mdb_readvar would (st_size bytes at st_value), with one lookup: a
    // symbol whose size is not a pointer's is refused.
    GElf_Sym sym;
    const bool found = mdb_lookup_by_name("memsegs", &sym) == 0;
    if (found && sym.st_size != sizeof(uintptr_t)) {
        mdb_warn("symbol 'memsegs' has size %llu, expected %zu\n",
                 static_cast<unsigned long long>(sym.st_size), sizeof(uintptr_t));
        return WALK_ERR;
    }
    uintptr_t head = 0;
    if (!found || mdb_vread(&head, sizeof head, sym.st_value) != static_cast<ssize_t>(sizeof head)) {
        mdb_warn("symbol 'memsegs' not found");
        return WALK_ERR;
    }
    auto* mw = new (mdb_alloc(sizeof(MemsegWalk), UM_SLEEP)) MemsegWalk{};
    wsp->walk_data = mw;
    wsp->walk_addr = head;
    return WALK_NEXT;
}

int memseg_step(mdb_walk_state_t* wsp) {
    auto* mw = static_cast<MemsegWalk*>(wsp->walk_data);
    uintptr_t addr = wsp->walk_addr;
    if (addr == 0) return WALK_DONE;
    if (mw->cycle.visit(addr)) {
        mdb_warn("memseg walk: cycle detected at memseg %#lx\n", addr);
        return fail_walk(wsp, EMDB_TGT);
    }
    if (!read_object(mw->seg, addr)) {
        int e = errno;
        mdb_warn("failed to read struct memseg at %p", reinterpret_cast<void*>(addr));
        return fail_walk(wsp, e);
    }
    int status = wsp->walk_callback(addr, &mw->seg, wsp->walk_cbdata);
    wsp->walk_addr = reinterpret_cast<uintptr_t>(mw->seg.next);
    return status;
}

void memseg_fini(mdb_walk_state_t* wsp) {
    if (wsp->walk_data) mdb_free(wsp->walk_data, sizeof(MemsegWalk));
}

}  // namespace

const mdb_walker_t kMemsegWalker = {"memseg", "walk the memseg structures", memseg_init, memseg_step,
                                    memseg_fini, nullptr};

}  // namespace mdbsim::host
