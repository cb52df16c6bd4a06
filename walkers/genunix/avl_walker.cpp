// genunix `avl` walker: in-order walk of an illumos avl_tree_t (layouts.md §13.2). Unlike mdb it
// bounds every descent and climb by the deepest possible AVL tree and detects cycles in the
// visiting order, so corrupt child or parent links end the walk with an error (decisions.md).
#include <sys/avl_impl.h>
#include <sys/mdb_modapi.h>

#include <cerrno>
#include <cstring>

#include "host_internal.hpp"
#include "linked_walkers.hpp"

namespace mdbsim::host {
namespace {

// An AVL tree of height h holds at least fib(h+2)-1 nodes; 96 levels would need more nodes than
// a 64-bit address space can hold, so a longer path is a cycle or garbage.
constexpr int kMaxAvlDepth = 96;

struct AvlWalk {
    uintptr_t tree;
    size_t size;
    size_t offset;
    char* buf;  // one element: the rest of this walk's block
    CycleDetector cycle;
    // The element whose copy buf holds, or 0. The descent to the next element leaves it there, so
    // the step that visits it need not read it again.
    uintptr_t buffered = 0;

    struct avl_node node() const {
        struct avl_node n;
        std::memcpy(&n, buf + offset, sizeof n);
        return n;
    }
};

bool read_element(mdb_walk_state_t* wsp, AvlWalk* aw, uintptr_t obj) {
    aw->buffered = 0;
    if (read_exact(aw->buf, aw->size, obj)) {
        aw->buffered = obj;
        return true;
    }
    int e = errno;
    mdb_warn("failed to read tree element at %#lx", obj);
    fail_walk(wsp, e);
    return false;
}

// The leftmost element under node (a node address); 0 after a reported failure.
uintptr_t leftmost(mdb_walk_state_t* wsp, AvlWalk* aw, uintptr_t node) {
    for (int depth = 0; depth <= kMaxAvlDepth; ++depth) {
        uintptr_t obj = node - aw->offset;
        if (!read_element(wsp, aw, obj)) return 0;
        uintptr_t left = reinterpret_cast<uintptr_t>(aw->node().avl_child[0]);
        if (left == 0) return obj;
        node = left;
    }
    mdb_warn("avl walk: left children of tree %#lx go deeper than %d levels at %#lx\n", aw->tree,
             kMaxAvlDepth, node);
    fail_walk(wsp, EMDB_TGT);
    return 0;
}

// After visiting the element in the buffer: the next element in order, 0 at the end; sets
// *failed after a reported error.
uintptr_t successor(mdb_walk_state_t* wsp, AvlWalk* aw, bool* failed) {
    uintptr_t right = reinterpret_cast<uintptr_t>(aw->node().avl_child[1]);
    if (right != 0) {
        uintptr_t next = leftmost(wsp, aw, right);
        *failed = next == 0;
        return next;
    }
    for (int depth = 0; depth <= kMaxAvlDepth; ++depth) {
        uintptr_t pcb = aw->node().avl_pcb;
        uintptr_t parent = pcb & ~static_cast<uintptr_t>(7);
        bool right_child = (pcb >> 2) & 1;
        if (parent == 0) return 0;
        uintptr_t obj = parent - aw->offset;
        if (!right_child) return obj;
        if (!read_element(wsp, aw, obj)) {
            *failed = true;
            return 0;
        }
    }
    mdb_warn("avl walk: parents of tree %#lx go higher than %d levels\n", aw->tree, kMaxAvlDepth);
    fail_walk(wsp, EMDB_TGT);
    *failed = true;
    return 0;
}

// The walk's state and its element buffer are one block (buf needs no zeroing: every use reads
// a whole element into it first).
constexpr size_t kAvlBufOffset = (sizeof(AvlWalk) + 15) & ~size_t{15};

void free_walk(AvlWalk* aw) {
    const size_t n = kAvlBufOffset + aw->size;
    aw->~AvlWalk();
    mdb_free(aw, n);
}

int avl_init(mdb_walk_state_t* wsp) {
    if (wsp->walk_addr == 0) {
        mdb_warn("avl walk doesn't support global walks\n");
        return WALK_ERR;
    }
    struct avl_tree tree;
    if (!read_object(tree, wsp->walk_addr)) {
        mdb_warn("failed to read avl_tree_t at %#lx", wsp->walk_addr);
        return WALK_ERR;
    }
    if (tree.avl_offset > tree.avl_size || tree.avl_size - tree.avl_offset < sizeof(struct avl_node)) {
        errno = EINVAL;
        mdb_warn("invalid avl_tree_t at %p, avl_size:%d, avl_offset:%d", reinterpret_cast<void*>(wsp->walk_addr),
                 static_cast<int>(tree.avl_size), static_cast<int>(tree.avl_offset));
        return WALK_ERR;
    }
    if (tree.avl_size > kMaxWalkObjectSize) {
        mdb_warn("avl walk: avl_tree_t at %#lx has an implausible avl_size %#lx\n", wsp->walk_addr,
                 tree.avl_size);
        return WALK_ERR;
    }
    auto* block = static_cast<char*>(mdb_alloc(kAvlBufOffset + tree.avl_size, UM_SLEEP));
    auto* aw = new (block) AvlWalk{wsp->walk_addr, tree.avl_size, tree.avl_offset, block + kAvlBufOffset, {}};
    wsp->walk_data = aw;
    wsp->walk_addr = 0;
    uintptr_t root = reinterpret_cast<uintptr_t>(tree.avl_root);
    if (root == 0) return WALK_NEXT;
    uintptr_t first = leftmost(wsp, aw, root);
    if (first == 0) {
        free_walk(aw);
        wsp->walk_data = nullptr;
        return WALK_ERR;
    }
    wsp->walk_addr = first;
    return WALK_NEXT;
}

int avl_step(mdb_walk_state_t* wsp) {
    auto* aw = static_cast<AvlWalk*>(wsp->walk_data);
    uintptr_t obj = wsp->walk_addr;
    if (obj == 0) return WALK_DONE;
    if (aw->cycle.visit(obj)) {
        mdb_warn("avl walk: tree %#lx visits element %#lx twice (cycle)\n", aw->tree, obj);
        return fail_walk(wsp, EMDB_TGT);
    }
    if (aw->buffered != obj && !read_element(wsp, aw, obj)) return WALK_ERR;
    int status = wsp->walk_callback(obj, aw->buf, wsp->walk_cbdata);
    if (status != WALK_NEXT) return status;
    bool failed = false;
    wsp->walk_addr = successor(wsp, aw, &failed);
    return failed ? WALK_ERR : WALK_NEXT;
}

void avl_fini(mdb_walk_state_t* wsp) {
    if (auto* aw = static_cast<AvlWalk*>(wsp->walk_data)) free_walk(aw);
}

}  // namespace

const mdb_walker_t kAvlWalker = {"avl", "given any avl_tree_t *, forward walk all entries in tree",
                                 avl_init, avl_step, avl_fini, nullptr};

}  // namespace mdbsim::host
