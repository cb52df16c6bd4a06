#include <fmt/format.h>

#include <stdexcept>

#include "mdbsim/sim/builders.hpp"

namespace mdbsim::sim {
namespace {

bool is_pow2(uint64_t x) { return x != 0 && (x & (x - 1)) == 0; }

// Rounds up to a power-of-two multiple; false if the result does not fit in 64 bits.
bool round_up(uint64_t x, uint64_t align, uint64_t& out) {
    const uint64_t r = (x + (align - 1)) & ~(align - 1);
    if (r < x)
        return false;
    out = r;
    return true;
}

}  // namespace

KernelHeap::KernelHeap(Target& t, uint64_t base, uint64_t chunk, std::string name)
    : t_(t), next_(base), mapped_end_(base), chunk_(chunk), name_(std::move(name)) {
    if (base % kPageSize != 0)
        throw std::invalid_argument(fmt::format("kernel heap base {:#x} is not page aligned", base));
    if (chunk == 0 || chunk % kPageSize != 0)
        throw std::invalid_argument(fmt::format("kernel heap chunk {:#x} is not a positive multiple of the page size", chunk));
}

uint64_t KernelHeap::alloc(uint64_t size, uint64_t align) {
    if (!is_pow2(align))
        throw std::invalid_argument(fmt::format("kernel heap alignment {} is not a power of two", align));
    if (size == 0)
        size = 1;  // distinct objects get distinct addresses
    uint64_t start = 0;
    if (!round_up(next_, align, start) || start + size < start)
        throw std::runtime_error(fmt::format("kernel heap '{}' exhausted allocating {:#x} bytes", name_, size));
    const uint64_t end = start + size;
    if (end > mapped_end_) {
        // Whole chunks from the current mapped end, so neighbours usually share one contiguous run.
        const uint64_t need = end - mapped_end_;
        const uint64_t chunks = need / chunk_ + (need % chunk_ != 0);
        if (chunks > (UINT64_MAX - mapped_end_) / chunk_)
            throw std::runtime_error(fmt::format("kernel heap '{}' exhausted allocating {:#x} bytes", name_, size));
        const uint64_t grow = chunks * chunk_;
        t_.vmem().map(mapped_end_, grow, kProtRW, name_);
        mapped_end_ += grow;
    }
    next_ = end;
    return start;
}

uint64_t KernelHeap::alloc_pages(uint64_t npages) {
    if (npages == 0 || npages > UINT64_MAX / kPageSize)
        throw std::invalid_argument(fmt::format("kernel heap: cannot allocate {} pages", npages));
    return alloc(npages * kPageSize, kPageSize);
}

void KernelHeap::skip_hole(uint64_t bytes) {
    uint64_t hole = 0;
    if (!round_up(bytes == 0 ? kPageSize : bytes, kPageSize, hole) || mapped_end_ + hole < mapped_end_)
        throw std::runtime_error(fmt::format("kernel heap '{}': hole of {:#x} bytes does not fit", name_, bytes));
    // The rest of the current chunk stays mapped (and unused); the hole starts where mapping ends.
    mapped_end_ += hole;
    next_ = mapped_end_;
}

}  // namespace mdbsim::sim
