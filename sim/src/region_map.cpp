#include "region_map.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mdbsim::sim {

void RegionMap::check_range(uint64_t base, uint64_t size, const char* what) {
    if (size == 0)
        throw MapError(fmt::format("{} at {:#x}: size is zero", what, base));
    if (base % kPageSize != 0 || size % kPageSize != 0)
        throw MapError(fmt::format("{} [{:#x}, +{:#x}): base and size must be multiples of {:#x}",
                                   what, base, size, kPageSize));
    if (base + size < base || base + size == 0)
        throw MapError(fmt::format("{} [{:#x}, +{:#x}): range wraps past the top of the address space",
                                   what, base, size));
}

size_t RegionMap::first_ending_after(uint64_t addr) const {
    auto it = std::upper_bound(entries_.begin(), entries_.end(), addr,
                               [](uint64_t a, const MappedRegion& m) { return a < m.region.end(); });
    return static_cast<size_t>(it - entries_.begin());
}

bool RegionMap::overlaps(uint64_t base, uint64_t size) const {
    size_t i = first_ending_after(base);
    return i < entries_.size() && entries_[i].region.base < base + size;
}

bool RegionMap::fully_mapped(uint64_t base, uint64_t size) const {
    uint64_t at = base;
    const uint64_t end = base + size;
    for (size_t i = first_ending_after(base); at < end; ++i) {
        if (i >= entries_.size() || entries_[i].region.base > at)
            return false;
        at = entries_[i].region.end();
    }
    return true;
}

void RegionMap::require_free(uint64_t base, uint64_t size, const std::string& name) const {
    check_range(base, size, "map");
    if (overlaps(base, size))
        throw MapError(fmt::format("map [{:#x}, {:#x}) '{}': overlaps an existing region", base,
                                   base + size, name));
}

void RegionMap::insert(MappedRegion r) {
    require_free(r.region.base, r.region.size, r.region.name);
    auto pos = std::upper_bound(entries_.begin(), entries_.end(), r.region.base,
                                [](uint64_t a, const MappedRegion& m) { return a < m.region.base; });
    entries_.insert(pos, std::move(r));
    last_hit_.store(0, std::memory_order_relaxed);
}

void RegionMap::split_at(uint64_t addr) {
    size_t i = first_ending_after(addr);
    if (i >= entries_.size())
        return;
    MappedRegion& left = entries_[i];
    if (left.region.base >= addr)
        return;  // addr is already a boundary, or lies in a hole
    const uint64_t off = addr - left.region.base;
    MappedRegion right = left;
    right.region.base = addr;
    right.region.size = left.region.size - off;
    if (right.host)
        right.host += off;
    left.region.size = off;
    entries_.insert(entries_.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(right));
    last_hit_.store(0, std::memory_order_relaxed);
}

void RegionMap::set_prot(uint64_t base, uint64_t size, uint32_t prot) {
    check_range(base, size, "protect");
    if (!fully_mapped(base, size))
        throw MapError(fmt::format("protect [{:#x}, {:#x}): part of the range is not mapped", base,
                                   base + size));
    split_at(base);
    split_at(base + size);
    for (size_t i = first_ending_after(base); i < entries_.size() && entries_[i].region.base < base + size; ++i)
        entries_[i].region.prot = prot;
}

std::vector<MappedRegion> RegionMap::remove(uint64_t base, uint64_t size) {
    check_range(base, size, "unmap");
    split_at(base);
    split_at(base + size);
    const size_t first = first_ending_after(base);
    size_t last = first;
    while (last < entries_.size() && entries_[last].region.base < base + size)
        ++last;
    std::vector<MappedRegion> removed(std::make_move_iterator(entries_.begin() + static_cast<std::ptrdiff_t>(first)),
                                      std::make_move_iterator(entries_.begin() + static_cast<std::ptrdiff_t>(last)));
    entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(first),
                   entries_.begin() + static_cast<std::ptrdiff_t>(last));
    last_hit_.store(0, std::memory_order_relaxed);
    return removed;
}

const MappedRegion* RegionMap::find(uint64_t addr) const {
    const size_t hint = last_hit_.load(std::memory_order_relaxed);
    if (hint < entries_.size() && entries_[hint].region.contains(addr))
        return &entries_[hint];
    size_t i = first_ending_after(addr);
    if (i >= entries_.size() || !entries_[i].region.contains(addr))
        return nullptr;
    last_hit_.store(i, std::memory_order_relaxed);
    return &entries_[i];
}

void RegionMap::clear() {
    entries_.clear();
    last_hit_.store(0, std::memory_order_relaxed);
}

std::vector<Region> RegionMap::regions() const {
    std::vector<Region> out;
    out.reserve(entries_.size());
    for (const auto& m : entries_)
        out.push_back(m.region);
    return out;
}

}  // namespace mdbsim::sim
