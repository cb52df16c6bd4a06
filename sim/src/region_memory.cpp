#include "region_memory.hpp"

#include <algorithm>

namespace mdbsim::sim {

template <class Step>
Fault RegionMemory::transfer(uint64_t addr, size_t len, uint32_t need, Step&& step) {
    size_t done = 0;
    while (done < len) {
        const MappedRegion* r = map_.find(addr);
        if (!r)
            return {FaultKind::unmapped, addr};
        if ((r->region.prot & need) != need)
            return {FaultKind::protection, addr};
        // No region ends at 2^64, so end() - addr is exact and addr + n never wraps.
        const size_t n = static_cast<size_t>(std::min<uint64_t>(len - done, r->region.end() - addr));
        if (!step(*r, addr, done, n))
            return {FaultKind::unmapped, addr};
        done += n;
        addr += n;
    }
    return {};
}

Fault RegionMemory::read(uint64_t addr, void* dst, size_t len) {
    auto* out = static_cast<uint8_t*>(dst);
    return transfer(addr, len, kProtRead, [&](const MappedRegion& r, uint64_t a, size_t done, size_t n) {
        return copy_out(r, a, out + done, n);
    });
}

Fault RegionMemory::write(uint64_t addr, const void* src, size_t len) {
    auto* in = static_cast<const uint8_t*>(src);
    return transfer(addr, len, kProtWrite, [&](const MappedRegion& r, uint64_t a, size_t done, size_t n) {
        return copy_in(r, a, in + done, n);
    });
}

Fault RegionMemory::poke(uint64_t addr, const void* src, size_t len) {
    auto* in = static_cast<const uint8_t*>(src);
    return transfer(addr, len, kProtNone, [&](const MappedRegion& r, uint64_t a, size_t done, size_t n) {
        return copy_in(r, a, in + done, n);
    });
}

void RegionMemory::map(uint64_t base, uint64_t size, uint32_t prot, std::string name) {
    // Checked before backing, so a refused map leaves the store untouched.
    map_.require_free(base, size, name);
    MappedRegion r;
    r.region = Region{base, size, prot, std::move(name)};
    back(r);
    map_.insert(std::move(r));
}

void RegionMemory::protect(uint64_t base, uint64_t size, uint32_t prot) {
    map_.set_prot(base, size, prot);
}

void RegionMemory::unmap(uint64_t base, uint64_t size) {
    for (const auto& piece : map_.remove(base, size))
        release(piece);
}

const Region* RegionMemory::find_region(uint64_t addr) const {
    const MappedRegion* r = map_.find(addr);
    return r ? &r->region : nullptr;
}

void RegionMemory::release_all() {
    for (const auto& piece : map_.entries())
        release(piece);
    map_.clear();  // so nothing is released twice
}

}  // namespace mdbsim::sim
