#include <sys/avl_impl.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <unordered_set>

#include "mdbsim/sim/builders.hpp"

namespace mdbsim::sim {
namespace {

static_assert(sizeof(struct avl_node) == 24 && sizeof(struct avl_tree) == 40, "layouts.md 9.2");

constexpr uint64_t kLeftOff = offsetof(struct avl_node, avl_child);
constexpr uint64_t kRightOff = kLeftOff + 8;
constexpr uint64_t kPcbOff = offsetof(struct avl_node, avl_pcb);

uint64_t pack_pcb(uint64_t parent, int which, int balance) {
    return parent | (static_cast<uint64_t>(which) << 2) | static_cast<uint64_t>(balance + 1);
}

struct Layout {
    Target& t;
    const std::vector<uint64_t>& objs;
    uint64_t avl_offset;

    // Builds the subtree over objs[lo, hi) below parent; returns its root node and height.
    std::pair<uint64_t, int> build(size_t lo, size_t hi, uint64_t parent, int which) {
        if (lo == hi)
            return {0, 0};
        // Halves differ in size by at most one, so subtree heights differ by at most one.
        const size_t mid = lo + (hi - lo) / 2;
        const uint64_t node = objs[mid] + avl_offset;
        auto [left, hl] = build(lo, mid, node, 0);
        auto [right, hr] = build(mid + 1, hi, node, 1);
        t.put<uint64_t>(node + kLeftOff, left);
        t.put<uint64_t>(node + kRightOff, right);
        t.put<uint64_t>(node + kPcbOff, pack_pcb(parent, parent ? which : 0, hr - hl));
        return {node, 1 + std::max(hl, hr)};
    }
};

}  // namespace

void AvlBuilder::build(Target& t, uint64_t tree_addr, const std::vector<uint64_t>& objs,
                       uint64_t avl_offset, uint64_t obj_size, uint64_t compar) {
    if (avl_offset > obj_size || obj_size - avl_offset < sizeof(struct avl_node))
        throw std::invalid_argument(fmt::format(
            "avl_tree_t at {:#x}: an avl_node_t at offset {} does not fit in {}-byte elements", tree_addr,
            avl_offset, obj_size));
    std::unordered_set<uint64_t> seen;
    for (uint64_t obj : objs) {
        if ((obj + avl_offset) % 8 != 0)
            throw std::invalid_argument(fmt::format(
                "avl_tree_t at {:#x}: node {:#x} is not 8-byte aligned (avl_pcb packs bits below it)",
                tree_addr, obj + avl_offset));
        if (!seen.insert(obj).second)
            throw std::invalid_argument(
                fmt::format("avl_tree_t at {:#x}: object {:#x} appears twice", tree_addr, obj));
    }
    Layout layout{t, objs, avl_offset};
    const uint64_t root = layout.build(0, objs.size(), 0, 0).first;
    t.put<uint64_t>(tree_addr + offsetof(struct avl_tree, avl_root), root);
    t.put<uint64_t>(tree_addr + offsetof(struct avl_tree, avl_compar), compar);
    t.put<uint64_t>(tree_addr + offsetof(struct avl_tree, avl_offset), avl_offset);
    t.put<uint64_t>(tree_addr + offsetof(struct avl_tree, avl_numnodes), objs.size());
    t.put<uint64_t>(tree_addr + offsetof(struct avl_tree, avl_size), obj_size);
}

void AvlBuilder::build_sorted(Target& t, uint64_t tree_addr, std::vector<uint64_t> objs,
                              const std::function<uint64_t(uint64_t)>& key, uint64_t avl_offset,
                              uint64_t obj_size, uint64_t compar) {
    std::vector<std::pair<uint64_t, uint64_t>> keyed;
    keyed.reserve(objs.size());
    for (uint64_t obj : objs)
        keyed.emplace_back(key(obj), obj);
    std::sort(keyed.begin(), keyed.end());
    for (size_t i = 1; i < keyed.size(); ++i)
        if (keyed[i].first == keyed[i - 1].first)
            throw std::invalid_argument(fmt::format(
                "avl_tree_t at {:#x}: objects {:#x} and {:#x} share the key {:#x}", tree_addr,
                keyed[i - 1].second, keyed[i].second, keyed[i].first));
    for (size_t i = 0; i < keyed.size(); ++i)
        objs[i] = keyed[i].second;
    build(t, tree_addr, objs, avl_offset, obj_size, compar);
}

}  // namespace mdbsim::sim
