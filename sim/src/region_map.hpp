// The sorted, page-granular region map every backend shares. It only keeps bookkeeping: which
// ranges are mapped, with what protection, and (for host-backed stores) where their bytes live.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "mdbsim/sim/memory.hpp"

namespace mdbsim::sim {

struct MappedRegion {
    Region region;
    // Host-backed stores only: the bytes of region.base, and what keeps them alive. Pieces split
    // from one mapping share the owner, so the host mapping outlives every piece.
    uint8_t* host = nullptr;
    std::shared_ptr<void> owner;
};

class RegionMap {
public:
    // Page alignment, non-zero size, and no wrap past 2^64 (a region's end must be representable).
    static void check_range(uint64_t base, uint64_t size, const char* what);

    bool overlaps(uint64_t base, uint64_t size) const;
    // check_range, then MapError naming the region if [base, base + size) is not free.
    void require_free(uint64_t base, uint64_t size, const std::string& name) const;
    bool fully_mapped(uint64_t base, uint64_t size) const;

    // Adds a region that overlaps nothing (MapError otherwise).
    void insert(MappedRegion r);
    // Sets the protection of [base, base + size), which must be fully mapped (MapError otherwise),
    // splitting regions at the range's edges.
    void set_prot(uint64_t base, uint64_t size, uint32_t prot);
    // Removes whatever is mapped in [base, base + size), splitting at the edges; returns the
    // removed pieces so the store can release their bytes. Holes in the range are allowed.
    std::vector<MappedRegion> remove(uint64_t base, uint64_t size);

    // The region covering addr, or nullptr. Remembers the last hit: walks read nearby addresses.
    const MappedRegion* find(uint64_t addr) const;

    const std::vector<MappedRegion>& entries() const { return entries_; }
    std::vector<Region> regions() const;
    void clear();

private:
    // Index of the first region whose end is above addr (entries_.size() if none).
    size_t first_ending_after(uint64_t addr) const;
    void split_at(uint64_t addr);

    std::vector<MappedRegion> entries_;  // sorted by base, never overlapping
    // Relaxed atomic: concurrent readers of one map only race on a hint, never on a region.
    mutable std::atomic<size_t> last_hit_{0};
};

}  // namespace mdbsim::sim
