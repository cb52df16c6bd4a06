#include "read_cache.hpp"

#include <cstring>
#include <stdexcept>

namespace mdbsim::bench {

using sim::Fault;
using sim::kPageSize;

CachedMemory::CachedMemory(std::unique_ptr<sim::Memory> inner, size_t pages)
    : ForwardingMemory(std::move(inner)), mask_(pages - 1), tags_(pages, 0), data_(pages * kPageSize) {
    if (pages == 0 || (pages & (pages - 1)) != 0)
        throw std::invalid_argument("CachedMemory: pages must be a power of two");
}

void CachedMemory::invalidate() { std::fill(tags_.begin(), tags_.end(), 0); }

const uint8_t* CachedMemory::page(uint64_t page_addr) {
    const size_t slot = (page_addr / kPageSize) & mask_;
    uint8_t* bytes = data_.data() + slot * kPageSize;
    if (tags_[slot] == page_addr + 1) {
        ++stats_.hits;
        return bytes;
    }
    if (inner_->read(page_addr, bytes, kPageSize)) {
        tags_[slot] = 0;
        return nullptr;
    }
    ++stats_.misses;
    tags_[slot] = page_addr + 1;
    return bytes;
}

Fault CachedMemory::read(uint64_t addr, void* dst, size_t len) {
    auto* out = static_cast<uint8_t*>(dst);
    uint64_t a = addr;
    size_t left = len;
    while (left > 0) {
        const uint64_t page_addr = a & ~(kPageSize - 1);
        const size_t off = static_cast<size_t>(a - page_addr);
        const size_t n = std::min<size_t>(left, kPageSize - off);
        const uint8_t* p = page(page_addr);
        if (!p) {
            // Not cacheable: the wrapped memory transfers the rest and reports the exact fault.
            ++stats_.passes;
            return inner_->read(a, out, left);
        }
        std::memcpy(out, p + off, n);
        out += n;
        a += n;
        left -= n;
    }
    return {};
}

Fault CachedMemory::write(uint64_t addr, const void* src, size_t len) {
    invalidate();
    return inner_->write(addr, src, len);
}

Fault CachedMemory::poke(uint64_t addr, const void* src, size_t len) {
    invalidate();
    return inner_->poke(addr, src, len);
}

void CachedMemory::map(uint64_t base, uint64_t size, uint32_t prot, std::string name) {
    invalidate();
    inner_->map(base, size, prot, std::move(name));
}

void CachedMemory::protect(uint64_t base, uint64_t size, uint32_t prot) {
    invalidate();
    inner_->protect(base, size, prot);
}

void CachedMemory::unmap(uint64_t base, uint64_t size) {
    invalidate();
    inner_->unmap(base, size);
}

const uint8_t* CachedMemory::direct(uint64_t, size_t) {
    // A slot can be refilled by the next read, so the cache cannot promise a stable pointer.
    return nullptr;
}

}  // namespace mdbsim::bench
