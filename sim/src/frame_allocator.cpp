#include <fmt/format.h>

#include <stdexcept>

#include "mdbsim/sim/builders.hpp"

namespace mdbsim::sim {
namespace {

constexpr uint64_t kPageShift = 12;
// Frames whose physical address fits in 64 bits.
constexpr uint64_t kMaxPfn = UINT64_MAX >> kPageShift;

}  // namespace

FrameAllocator::FrameAllocator(Target& t, uint64_t first_pfn, uint64_t chunk_pages)
    : t_(t), first_(first_pfn), next_(first_pfn), mapped_end_(first_pfn), chunk_(chunk_pages) {
    if (chunk_pages == 0)
        throw std::invalid_argument("frame allocator: chunk of zero pages");
    if (first_pfn >= kMaxPfn)
        throw std::invalid_argument(fmt::format("frame allocator: first pfn {:#x} is beyond physical memory", first_pfn));
}

uint64_t FrameAllocator::alloc() { return alloc_range(1); }

uint64_t FrameAllocator::alloc_range(uint64_t n) {
    if (n == 0)
        throw std::invalid_argument("frame allocator: cannot allocate zero frames");
    if (n > kMaxPfn - next_)
        throw std::runtime_error(fmt::format("frame allocator: no room for {} more frames after pfn {:#x}", n, next_));
    const uint64_t first = next_;
    const uint64_t end = next_ + n;
    if (end > mapped_end_) {
        const uint64_t need = end - mapped_end_;
        const uint64_t chunks = need / chunk_ + (need % chunk_ != 0);
        // Whole chunks, unless rounding up would pass the top of physical memory.
        const uint64_t grow = chunk_ <= (kMaxPfn - mapped_end_) / chunks ? chunks * chunk_ : need;
        t_.pmem().map(mapped_end_ << kPageShift, grow << kPageShift, kProtRW, "frames");
        mapped_end_ += grow;
    }
    next_ = end;
    return first;
}

}  // namespace mdbsim::sim
