// genunix `list` walker over an illumos list_t (layouts.md §13.1), newest-illumos checks, plus
// what mdb lacks (decisions.md): implausible sizes are refused before allocating, a cycle that
// avoids the sentinel and an unreadable element fail the walk.
#include <sys/list_impl.h>
#include <sys/mdb_modapi.h>

#include <cerrno>
#include <cstring>

#include "host_internal.hpp"
#include "linked_walkers.hpp"

namespace mdbsim::host {
namespace {

struct ListWalk {
    uintptr_t sentinel;
    size_t size;
    size_t offset;
    char* buf;
    CycleDetector cycle;
};

int list_init(mdb_walk_state_t* wsp) {
    if (wsp->walk_addr == 0) {
        mdb_warn("list walk doesn't support global walks\n");
        return WALK_ERR;
    }
    struct list head;
    if (!read_object(head, wsp->walk_addr)) {
        mdb_warn("failed to read list_t at %#lx", wsp->walk_addr);
        return WALK_ERR;
    }
    if (head.list_offset > head.list_size || head.list_size - head.list_offset < sizeof(struct list_node)) {
        mdb_warn("invalid or uninitialized list_t at %#lx\n", wsp->walk_addr);
        return WALK_ERR;
    }
    if (head.list_size > kMaxWalkObjectSize) {
        mdb_warn("list walk: list_t at %#lx has an implausible list_size %#lx\n", wsp->walk_addr,
                 head.list_size);
        return WALK_ERR;
    }
    auto* lw = static_cast<ListWalk*>(mdb_alloc(sizeof(ListWalk), UM_SLEEP));
    new (lw) ListWalk{wsp->walk_addr + offsetof(struct list, list_head), head.list_size,
                      head.list_offset, nullptr, {}};
    lw->buf = static_cast<char*>(mdb_alloc(head.list_size, UM_SLEEP));
    wsp->walk_data = lw;
    wsp->walk_addr = reinterpret_cast<uintptr_t>(head.list_head.list_next);
    return WALK_NEXT;
}

int list_step(mdb_walk_state_t* wsp) {
    auto* lw = static_cast<ListWalk*>(wsp->walk_data);
    uintptr_t node = wsp->walk_addr;
    if (node == lw->sentinel) return WALK_DONE;
    if (lw->cycle.visit(node)) {
        mdb_warn("list walk: cycle detected at node %#lx\n", node);
        return fail_walk(wsp, EMDB_TGT);
    }
    uintptr_t elem = node - lw->offset;
    if (!read_exact(lw->buf, lw->size, elem)) {
        int e = errno;
        mdb_warn("failed to read list element at %#lx", elem);
        return fail_walk(wsp, e);
    }
    int status = wsp->walk_callback(elem, lw->buf, wsp->walk_cbdata);
    struct list_node links;
    std::memcpy(&links, lw->buf + lw->offset, sizeof links);
    wsp->walk_addr = reinterpret_cast<uintptr_t>(links.list_next);
    return status;
}

void list_fini(mdb_walk_state_t* wsp) {
    auto* lw = static_cast<ListWalk*>(wsp->walk_data);
    if (!lw) return;
    mdb_free(lw->buf, lw->size);
    mdb_free(lw, sizeof *lw);
}

}  // namespace

const mdb_walker_t kListWalker = {"list", "walk a linked list", list_init, list_step, list_fini, nullptr};

}  // namespace mdbsim::host
