// Flat backend: each mapping is anonymous host memory, reserved without backing store so a large
// guest costs only the pages that are actually written.
#include <sys/mman.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "region_memory.hpp"

namespace mdbsim::sim {
namespace {

// Unmaps the whole host mapping once every region piece split from it is gone.
class HostMapping {
public:
    HostMapping(void* base, size_t size) : base_(base), size_(size) {}
    ~HostMapping() { ::munmap(base_, size_); }
    HostMapping(const HostMapping&) = delete;
    HostMapping& operator=(const HostMapping&) = delete;

private:
    void* base_;
    size_t size_;
};

class FlatMemory final : public RegionMemory {
public:
    std::string_view backend() const override { return "flat"; }

    // The common case, one region holding the whole block, is a lookup and a memcpy.
    Fault read(uint64_t addr, void* dst, size_t len) override {
        const MappedRegion* r = map_.find(addr);
        if (r && (r->region.prot & kProtRead) && len <= r->region.end() - addr) {
            std::memcpy(dst, r->host + (addr - r->region.base), len);
            return {};
        }
        return RegionMemory::read(addr, dst, len);
    }

    const uint8_t* direct(uint64_t addr, size_t len) override {
        const MappedRegion* r = map_.find(addr);
        if (!r || !(r->region.prot & kProtRead) || len > r->region.end() - addr)
            return nullptr;
        return r->host + (addr - r->region.base);
    }

protected:
    void back(MappedRegion& r) override {
        void* p = ::mmap(nullptr, r.region.size, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            throw MapError(fmt::format("map [{:#x}, {:#x}) '{}': host mmap of {:#x} bytes failed: {}",
                                       r.region.base, r.region.end(), r.region.name, r.region.size,
                                       std::strerror(errno)));
        r.owner = std::make_shared<HostMapping>(p, r.region.size);
        r.host = static_cast<uint8_t*>(p);
    }

    void release(const MappedRegion& piece) override {
        // The host range stays reserved until the last piece goes (munmapping it now would let the
        // host reuse addresses the owner later unmaps); dropping the pages frees the memory and
        // makes a later mapping of the same piece read zero.
        if (piece.owner.use_count() > 1)
            ::madvise(piece.host, piece.region.size, MADV_DONTNEED);
    }

    bool copy_out(const MappedRegion& r, uint64_t addr, void* dst, size_t n) override {
        std::memcpy(dst, r.host + (addr - r.region.base), n);
        return true;
    }

    bool copy_in(const MappedRegion& r, uint64_t addr, const void* src, size_t n) override {
        std::memcpy(r.host + (addr - r.region.base), src, n);
        return true;
    }
};

}  // namespace

std::unique_ptr<Memory> make_flat_memory() { return std::make_unique<FlatMemory>(); }

}  // namespace mdbsim::sim
