// The image backend: an address space whose regions are mapped from an ELF file. Each region is
// host memory reserved at its full size; the file's pages are mapped over it privately (no copy),
// partial pages are copied, and everything else reads zero. Region semantics and faults come from
// RegionMemory, exactly as for the live backends.
#pragma once

#include <span>

#include "region_memory.hpp"

namespace mdbsim::sim {

class ImageMemory final : public RegionMemory {
public:
    // writable: writes and pokes change a private copy-on-write copy. Otherwise they fault
    // (protection, or unmapped where nothing is mapped) at the first address, changing nothing.
    explicit ImageMemory(bool writable) : writable_(writable) {}
    ~ImageMemory() override { release_all(); }

    std::string_view backend() const override { return "image"; }
    bool writable() const { return writable_; }

    Fault read(uint64_t addr, void* dst, size_t len) override;
    Fault write(uint64_t addr, const void* src, size_t len) override;
    Fault poke(uint64_t addr, const void* src, size_t len) override;
    const uint8_t* direct(uint64_t addr, size_t len) override;

    // len bytes of the file at offset belong at address addr.
    struct Piece {
        uint64_t addr = 0;
        uint64_t offset = 0;
        uint64_t len = 0;
    };
    // Adds a region (page aligned, overlapping nothing: MapError otherwise) filled from pieces that
    // lie inside it. file/file_size: a read-only mapping of the whole file, for partial pages.
    void add_file_region(Region r, std::span<const Piece> pieces, int fd, const uint8_t* file,
                         uint64_t file_size);

protected:
    void back(MappedRegion& r) override;
    void release(const MappedRegion& piece) override;
    bool copy_out(const MappedRegion& r, uint64_t addr, void* dst, size_t n) override;
    bool copy_in(const MappedRegion& r, uint64_t addr, const void* src, size_t n) override;

private:
    Fault refuse(uint64_t addr, size_t len) const;
    bool writable_;
};

}  // namespace mdbsim::sim
