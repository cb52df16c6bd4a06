// Test-side readers of kvm state that go through the target only (never the builder's records),
// written from layouts.md section 13, so the builder is checked against the spec, not itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mdbsim/sim/target.hpp"

namespace mdbsim::kvmsim_test {

// Whether len bytes at addr can all be read from virtual memory.
bool readable(const sim::Target& t, uint64_t addr, uint64_t len);

// The genunix list walk: element addresses in order. Stops with an error after `limit` steps.
struct ListWalk {
    std::vector<uint64_t> elements;
    bool reached_sentinel = false;
    std::string error;
};
ListWalk walk_list(const sim::Target& t, uint64_t list_addr, size_t limit = 100000);

// The genunix avl walk (in order through avl_pcb climbing). Same limit rule.
struct AvlWalk {
    std::vector<uint64_t> objects;
    bool complete = false;
    std::string error;
};
AvlWalk walk_avl(const sim::Target& t, uint64_t tree_addr, size_t limit = 100000);

// Structural check of an AVL tree: every node's pcb names its real parent and child index, the
// balance field matches subtree heights, the AVL property holds and keys ascend. Empty = fine.
std::vector<std::string> check_avl(const sim::Target& t, uint64_t tree_addr, uint64_t key_offset);

// The memseg walk and mdb_pfn2page (layouts.md 13.3, 13.4): page_t address or nullopt.
std::vector<uint64_t> memseg_chain(const sim::Target& t, size_t limit = 10000);
std::optional<uint64_t> pfn2page(const sim::Target& t, uint64_t pfn);

}  // namespace mdbsim::kvmsim_test
