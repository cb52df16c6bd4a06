// A Memory whose semantics (mapping, protection, faults, transfers across contiguous regions) come
// from the shared RegionMap; a backend only says where a region's bytes are kept.
#pragma once

#include "region_map.hpp"

namespace mdbsim::sim {

class RegionMemory : public Memory {
public:
    Fault read(uint64_t addr, void* dst, size_t len) override;
    Fault write(uint64_t addr, const void* src, size_t len) override;
    Fault poke(uint64_t addr, const void* src, size_t len) override;

    void map(uint64_t base, uint64_t size, uint32_t prot, std::string name) override;
    void protect(uint64_t base, uint64_t size, uint32_t prot) override;
    void unmap(uint64_t base, uint64_t size) override;

    std::vector<Region> regions() const override { return map_.regions(); }
    // Valid until the next map, protect or unmap.
    const Region* find_region(uint64_t addr) const override;

protected:
    // Give a new region zeroed bytes (may set host/owner); throw MapError if the store refuses.
    virtual void back(MappedRegion& r) = 0;
    // A piece removed from the map: its bytes may go.
    virtual void release(const MappedRegion& piece) = 0;
    // Move n bytes at addr, all inside r. False only if the store lost bytes the map says exist.
    virtual bool copy_out(const MappedRegion& r, uint64_t addr, void* dst, size_t n) = 0;
    virtual bool copy_in(const MappedRegion& r, uint64_t addr, const void* src, size_t n) = 0;

    // Releases every region; a derived destructor calls it while its store still exists.
    void release_all();

    RegionMap map_;

private:
    template <class Step>
    Fault transfer(uint64_t addr, size_t len, uint32_t need, Step&& step);
};

}  // namespace mdbsim::sim
