// A read cache in front of a backend: direct-mapped, whole 4 KiB pages. Built for the backend
// comparison, to see whether a backend with a costly per-call read path (Unicorn) gets close to
// flat when the dmod's many small reads are served from host memory.
//
// Semantics are the wrapped memory's: a page is cached only after a whole-page read of it
// succeeded (regions are page granular, so a page is wholly readable or not); reads that touch an
// uncacheable page are passed through unchanged, so fault addresses stay exact. Any write, poke,
// map, protect or unmap empties the cache.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "mdbsim/sim/decorators.hpp"

namespace mdbsim::bench {

struct CacheStats {
    uint64_t hits = 0;    // page pieces served from the cache
    uint64_t misses = 0;  // page fills
    uint64_t passes = 0;  // reads passed through (a page that cannot be read whole)
};

class CachedMemory final : public sim::ForwardingMemory {
public:
    // pages: number of cache slots (a power of two).
    explicit CachedMemory(std::unique_ptr<sim::Memory> inner, size_t pages = 1024);

    sim::Fault read(uint64_t addr, void* dst, size_t len) override;
    sim::Fault write(uint64_t addr, const void* src, size_t len) override;
    sim::Fault poke(uint64_t addr, const void* src, size_t len) override;
    void map(uint64_t base, uint64_t size, uint32_t prot, std::string name) override;
    void protect(uint64_t base, uint64_t size, uint32_t prot) override;
    void unmap(uint64_t base, uint64_t size) override;
    const uint8_t* direct(uint64_t addr, size_t len) override;

    void invalidate();
    CacheStats stats() const { return stats_; }
    void reset_stats() { stats_ = {}; }

private:
    // The cached bytes of the page holding addr, filling the slot on a miss; null if the page
    // cannot be read whole.
    const uint8_t* page(uint64_t page_addr);

    size_t mask_;
    std::vector<uint64_t> tags_;  // page address + 1 (0 = empty)
    std::vector<uint8_t> data_;
    CacheStats stats_;
};

}  // namespace mdbsim::bench
