// Page lookup strategies compared by the lookup benchmarks. Each maps a physical table address
// (a PTE's frame) to the kvm_mmu_page that describes the table, or reports none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace mdbsim::bench {

// A model of the original dmod's lookup, from layouts.md §13.6, written for the benchmarks: per
// lookup, mdb_pfn2page (a walk of `memseg` through the host's walk engine, then a 120-byte read
// of the page_t), then a full mdb_pwalk of the genunix `avl` walker over kvm_avlmp whose
// callback re-reads each 264-byte kvm_mmu_page with mdb_vread and remembers the LAST object whose
// kmp_avlspt is the page_t. Returns that object, 0 when none matches, and 1 (the original's
// DCMD_ERR) when pfn2page fails. Must run inside a command of the current host session.
uint64_t original_page_header(uint64_t kvm, uint64_t hpa);

// An index built once (per command, in the dmod's terms): every node of kvm_avlmp read once
// through the `avl` walker, its key's p_pagenum read once, kept in a hash map frame ->
// kvm_mmu_page. Lookups then read nothing from the target.
class FrameIndex {
public:
    // Returns false (and stays empty) when the walk fails.
    bool build(uint64_t kvm);
    uint64_t find(uint64_t pfn) const {
        auto it = map_.find(pfn);
        return it == map_.end() ? 0 : it->second;
    }
    size_t size() const { return map_.size(); }

private:
    std::unordered_map<uint64_t, uint64_t> map_;
};

// A variant of our AVL search written for the benchmarks (NOT the dmod's code): the node's links
// and its key (offsets 0x0..0x78 of kvm_mmu_page) in ONE read per tree level instead of two, and
// the page_t's p_pagenum checked with one 8-byte read, memsegs loaded once. Shows what halving the
// reads per level buys.
class OneReadSearch {
public:
    // Inside a command: loads the memseg table and the tree root. False on failure.
    bool begin(uint64_t kvm);
    // Physical table address -> kvm_mmu_page, 0 when none (or on a read failure).
    uint64_t find(uint64_t hpa) const;

private:
    struct Seg {
        uint64_t pages, base, end;
    };
    std::vector<Seg> segs_;
    uint64_t root_ = 0;
};

}  // namespace mdbsim::bench
