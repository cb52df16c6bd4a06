// The reference translator: walks x86-64 four-level tables the way the MMU does, through PHYSICAL
// memory from root_hpa, independent of the builder's bookkeeping and of the kvm_mmu_page objects.
// Tests hold every built table to it.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

#include "mdbsim/sim/kvm/shadow.hpp"
#include "mdbsim/sim/target.hpp"

namespace mdbsim::sim::kvm {

// A malformed table (unreadable frame, a table reached twice, more than four levels).
struct TranslateError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Translation {
    uint64_t host_pfn = 0;   // frame holding the guest address (not just the page's first frame)
    uint64_t pte = 0;        // the leaf entry
    int level = 0;           // 1 for a 4 KiB page, 2 for a 2 MiB page, 3 for 1 GiB
};

// Guest virtual address -> host frame, or nothing when no present leaf maps it.
std::optional<Translation> translate(const Target& t, uint64_t root_hpa, uint64_t guest_addr);

// Every mapping, coalesced as GuestExtent runs sorted by guest address. Throws TranslateError on
// a cycle or an unreadable table.
std::vector<GuestExtent> enumerate_mappings(const Target& t, uint64_t root_hpa);

// Physical frames of every table reached from the root (root first, depth-first).
std::vector<uint64_t> reachable_tables(const Target& t, uint64_t root_hpa);

}  // namespace mdbsim::sim::kvm
