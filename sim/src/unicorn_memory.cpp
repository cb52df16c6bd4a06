// Unicorn backend: the engine's memory holds the bytes, at window + address. Unicorn 2.0.1 reports
// neither protection nor the failing address on uc_mem_read, so the region map decides both and
// Unicorn is only asked for ranges the map knows are there.
#include <fmt/format.h>

#include "region_memory.hpp"
#include "unicorn_engine.hpp"

namespace mdbsim::sim {
namespace {

class UnicornMemory final : public RegionMemory {
public:
    UnicornMemory(std::shared_ptr<UnicornEngine> engine, uint64_t window)
        : engine_(std::move(engine)), window_(window) {
        engine_->claim_window(window_);
    }

    ~UnicornMemory() override {
        release_all();
        engine_->release_window(window_);
    }

    std::string_view backend() const override { return "unicorn"; }

protected:
    void back(MappedRegion& r) override {
        const uint64_t at = window_ + r.region.base;
        if (at + (r.region.size - 1) < at)
            throw MapError(fmt::format("map [{:#x}, {:#x}) '{}': does not fit the Unicorn window at {:#x}",
                                       r.region.base, r.region.end(), r.region.name, window_));
        // Unicorn's own permissions stay open: the region map enforces ours, and uc_mem_read would
        // not tell which address it refused anyway.
        uc_err err = uc_mem_map(engine_->handle(), at, r.region.size, UC_PROT_ALL);
        if (err != UC_ERR_OK)
            throw MapError(fmt::format(
                "map [{:#x}, {:#x}) '{}': Unicorn refused engine range [{:#x}, +{:#x}): {}{}", r.region.base,
                r.region.end(), r.region.name, at, r.region.size, uc_strerror(err),
                err == UC_ERR_MAP ? " (another address space on this engine uses it?)" : ""));
    }

    void release(const MappedRegion& piece) override {
        // Cannot fail for a range we mapped; Unicorn splits its own blocks for partial unmaps.
        uc_mem_unmap(engine_->handle(), window_ + piece.region.base, piece.region.size);
    }

    bool copy_out(const MappedRegion&, uint64_t addr, void* dst, size_t n) override {
        return uc_mem_read(engine_->handle(), window_ + addr, dst, n) == UC_ERR_OK;
    }

    bool copy_in(const MappedRegion&, uint64_t addr, const void* src, size_t n) override {
        return uc_mem_write(engine_->handle(), window_ + addr, src, n) == UC_ERR_OK;
    }

private:
    std::shared_ptr<UnicornEngine> engine_;
    uint64_t window_;
};

}  // namespace

std::unique_ptr<Memory> make_unicorn_memory(std::shared_ptr<UnicornEngine> engine, uint64_t window) {
    if (!engine)
        throw std::invalid_argument("make_unicorn_memory: no engine");
    return std::make_unique<UnicornMemory>(std::move(engine), window);
}

}  // namespace mdbsim::sim
