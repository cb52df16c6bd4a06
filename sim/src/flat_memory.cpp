// Flat backend: each mapping is anonymous host memory, reserved without backing store so a large
// guest costs only the pages that are actually written.
#include <sys/mman.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>

#include "region_memory.hpp"

namespace mdbsim::sim {
namespace {

// Host mappings of small regions whose last piece went, kept for the next map() of the same
// size. The fuzzing journal unmaps an object (a typed corruption) and maps it back on every
// input; munmap (a TLB flush, costly in a VM) and the page faults of the fresh mapping cost more
// than zeroing a few pages of one already faulted in. Bounded, so a target that maps and unmaps
// many sizes keeps at most kMaxBytes.
struct MappingPool {
    static constexpr size_t kMaxSize = 256 * 1024;
    static constexpr size_t kMaxBytes = 4 * 1024 * 1024;
    std::multimap<size_t, void*> free;
    size_t bytes = 0;

    MappingPool() = default;
    MappingPool(const MappingPool&) = delete;
    MappingPool& operator=(const MappingPool&) = delete;
    ~MappingPool() {
        for (auto& [size, p] : free) ::munmap(p, size);
    }
    // A zeroed mapping of exactly size bytes, or nullptr.
    void* take(size_t size) {
        auto it = free.find(size);
        if (it == free.end()) return nullptr;
        void* p = it->second;
        free.erase(it);
        bytes -= size;
        std::memset(p, 0, size);
        return p;
    }
    bool keep(void* p, size_t size) {
        if (size > kMaxSize || bytes + size > kMaxBytes) return false;
        free.emplace(size, p);
        bytes += size;
        return true;
    }
};

// Unmaps (or pools) the whole host mapping once every region piece split from it is gone.
class HostMapping {
public:
    HostMapping(void* base, size_t size, std::shared_ptr<MappingPool> pool)
        : base_(base), size_(size), pool_(std::move(pool)) {}
    ~HostMapping() {
        if (!pool_ || !pool_->keep(base_, size_)) ::munmap(base_, size_);
    }
    HostMapping(const HostMapping&) = delete;
    HostMapping& operator=(const HostMapping&) = delete;

private:
    void* base_;
    size_t size_;
    std::shared_ptr<MappingPool> pool_;
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
        void* p = pool_->take(r.region.size);
        if (p == nullptr)
            p = ::mmap(nullptr, r.region.size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            throw MapError(fmt::format("map [{:#x}, {:#x}) '{}': host mmap of {:#x} bytes failed: {}",
                                       r.region.base, r.region.end(), r.region.name, r.region.size,
                                       std::strerror(errno)));
        r.owner = std::make_shared<HostMapping>(p, r.region.size, pool_);
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

private:
    // Shared with every HostMapping: the base class releases the regions after this is gone.
    std::shared_ptr<MappingPool> pool_ = std::make_shared<MappingPool>();
};

}  // namespace

std::unique_ptr<Memory> make_flat_memory() { return std::make_unique<FlatMemory>(); }

}  // namespace mdbsim::sim
