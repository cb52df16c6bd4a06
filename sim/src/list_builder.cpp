#include <sys/list_impl.h>

#include <fmt/format.h>

#include <cstddef>
#include <stdexcept>

#include "mdbsim/sim/builders.hpp"

namespace mdbsim::sim {
namespace {

static_assert(sizeof(struct list) == 32 && sizeof(struct list_node) == 16, "layouts.md 9.1");

constexpr uint64_t kSizeOff = offsetof(struct list, list_size);
constexpr uint64_t kOffsetOff = offsetof(struct list, list_offset);
constexpr uint64_t kHeadOff = offsetof(struct list, list_head);
constexpr uint64_t kNextOff = offsetof(struct list_node, list_next);
constexpr uint64_t kPrevOff = offsetof(struct list_node, list_prev);

}  // namespace

void ListBuilder::init(Target& t, uint64_t list_addr, uint64_t obj_size, uint64_t node_offset) {
    if (node_offset > obj_size || obj_size - node_offset < sizeof(struct list_node))
        throw std::invalid_argument(fmt::format(
            "list_t at {:#x}: a list_node_t at offset {} does not fit in {}-byte elements", list_addr,
            node_offset, obj_size));
    const uint64_t sentinel = list_addr + kHeadOff;
    t.put<uint64_t>(list_addr + kSizeOff, obj_size);
    t.put<uint64_t>(list_addr + kOffsetOff, node_offset);
    t.put<uint64_t>(sentinel + kNextOff, sentinel);
    t.put<uint64_t>(sentinel + kPrevOff, sentinel);
}

void ListBuilder::append(Target& t, uint64_t list_addr, uint64_t obj_addr) {
    const uint64_t sentinel = list_addr + kHeadOff;
    const uint64_t node = obj_addr + t.peek<uint64_t>(list_addr + kOffsetOff);
    // The sentinel is a list_node_t too, so an empty list needs no special case.
    const uint64_t tail = t.peek<uint64_t>(sentinel + kPrevOff);
    t.put<uint64_t>(node + kNextOff, sentinel);
    t.put<uint64_t>(node + kPrevOff, tail);
    t.put<uint64_t>(tail + kNextOff, node);
    t.put<uint64_t>(sentinel + kPrevOff, node);
}

uint64_t ListBuilder::create(KernelHeap& h, uint64_t obj_size, uint64_t node_offset) {
    const uint64_t addr = h.alloc(sizeof(struct list), alignof(struct list));
    init(h.target(), addr, obj_size, node_offset);
    return addr;
}

}  // namespace mdbsim::sim
