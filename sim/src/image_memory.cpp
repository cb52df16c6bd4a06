#include "image_memory.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace mdbsim::sim {
namespace {

// Unmaps the whole host reservation (and the file pages mapped into it) once every region piece
// split from it is gone.
struct HostMapping {
    HostMapping(void* b, size_t s) : base(b), size(s) {}
    ~HostMapping() { ::munmap(base, size); }
    HostMapping(const HostMapping&) = delete;
    HostMapping& operator=(const HostMapping&) = delete;
    void* base;
    size_t size;
};

uint64_t host_page() {
    static const uint64_t p = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
    return p;
}

std::shared_ptr<HostMapping> reserve(const Region& r) {
    void* p = ::mmap(nullptr, r.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                     -1, 0);
    if (p == MAP_FAILED)
        throw MapError(fmt::format("map [{:#x}, {:#x}) '{}': host mmap of {:#x} bytes failed: {}", r.base,
                                   r.end(), r.name, r.size, std::strerror(errno)));
    return std::make_shared<HostMapping>(p, r.size);
}

void copy(uint8_t* dst, const uint8_t* src, uint64_t n) {
    if (n > 0)
        std::memcpy(dst, src, static_cast<size_t>(n));
}

}  // namespace

Fault ImageMemory::read(uint64_t addr, void* dst, size_t len) {
    const MappedRegion* r = map_.find(addr);
    if (r && (r->region.prot & kProtRead) && len <= r->region.end() - addr) {
        std::memcpy(dst, r->host + (addr - r->region.base), len);
        return {};
    }
    return RegionMemory::read(addr, dst, len);
}

Fault ImageMemory::refuse(uint64_t addr, size_t len) const {
    if (len == 0)
        return {};
    return {map_.find(addr) ? FaultKind::protection : FaultKind::unmapped, addr};
}

Fault ImageMemory::write(uint64_t addr, const void* src, size_t len) {
    return writable_ ? RegionMemory::write(addr, src, len) : refuse(addr, len);
}

Fault ImageMemory::poke(uint64_t addr, const void* src, size_t len) {
    return writable_ ? RegionMemory::poke(addr, src, len) : refuse(addr, len);
}

const uint8_t* ImageMemory::direct(uint64_t addr, size_t len) {
    const MappedRegion* r = map_.find(addr);
    if (!r || !(r->region.prot & kProtRead) || len > r->region.end() - addr)
        return nullptr;
    return r->host + (addr - r->region.base);
}

void ImageMemory::add_file_region(Region r, std::span<const Piece> pieces, int fd, const uint8_t* file,
                                  uint64_t file_size) {
    RegionMap::check_range(r.base, r.size, "map");
    if (map_.overlaps(r.base, r.size))
        throw MapError(fmt::format("map [{:#x}, {:#x}) '{}': overlaps an existing region", r.base, r.end(),
                                   r.name));
    for (const Piece& p : pieces)
        if (p.addr < r.base || p.len > r.end() - p.addr || p.offset > file_size || p.len > file_size - p.offset)
            throw MapError(fmt::format("map [{:#x}, {:#x}) '{}': file bytes [{:#x}, +{:#x}) for {:#x} do not fit",
                                       r.base, r.end(), r.name, p.offset, p.len, p.addr));
    auto owner = reserve(r);
    auto* host = static_cast<uint8_t*>(owner->base);
    const uint64_t hp = host_page();
    for (const Piece& p : pieces) {
        // Region-relative offsets: the host reservation is page aligned, the region may not be
        // aligned to a host page larger than the target's.
        const uint64_t start = p.addr - r.base;
        const uint64_t end = start + p.len;
        const uint64_t full_start = (start + hp - 1) / hp * hp;
        const uint64_t full_end = end / hp * hp;
        const uint64_t file_at = p.offset + (full_start - start);
        if (full_end > full_start && file_at % hp == 0) {
            void* q = ::mmap(host + full_start, full_end - full_start, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_FIXED, fd, static_cast<off_t>(file_at));
            if (q == MAP_FAILED)
                throw MapError(fmt::format("map [{:#x}, {:#x}) '{}': mapping file bytes at {:#x} failed: {}",
                                           r.base, r.end(), r.name, file_at, std::strerror(errno)));
            copy(host + start, file + p.offset, full_start - start);
            copy(host + full_end, file + p.offset + (full_end - start), end - full_end);
        } else {
            copy(host + start, file + p.offset, p.len);
        }
    }
    if (!writable_ && ::mprotect(host, r.size, PROT_READ) != 0)
        throw MapError(fmt::format("map [{:#x}, {:#x}) '{}': mprotect failed: {}", r.base, r.end(), r.name,
                                   std::strerror(errno)));
    MappedRegion m;
    m.region = std::move(r);
    m.host = host;
    m.owner = std::move(owner);
    map_.insert(std::move(m));
}

void ImageMemory::back(MappedRegion& r) {
    auto owner = reserve(r.region);
    r.host = static_cast<uint8_t*>(owner->base);
    r.owner = std::move(owner);
}

void ImageMemory::release(const MappedRegion& piece) {
    // As in the flat backend: the reservation stays until its last piece goes; drop this piece's
    // pages now so the memory is returned.
    if (piece.owner.use_count() > 1)
        ::madvise(piece.host, piece.region.size, MADV_DONTNEED);
}

bool ImageMemory::copy_out(const MappedRegion& r, uint64_t addr, void* dst, size_t n) {
    std::memcpy(dst, r.host + (addr - r.region.base), n);
    return true;
}

bool ImageMemory::copy_in(const MappedRegion& r, uint64_t addr, const void* src, size_t n) {
    std::memcpy(r.host + (addr - r.region.base), src, n);
    return true;
}

}  // namespace mdbsim::sim
