// A memory decorator that records every change made while recording is on (byte writes, maps,
// unmaps, protection changes) and undoes them all on request. The fuzzing host builds each
// scenario once, then per input applies the edits under the journal, runs the commands and
// rolls the target back to the pristine build: no rebuild, no fresh page faults per input.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mdbsim/sim/memory.hpp"

namespace mdbsim::fuzz {

class JournalMemory final : public sim::Memory {
public:
    explicit JournalMemory(std::unique_ptr<sim::Memory> inner) : inner_(std::move(inner)) {}

    void record(bool on) { recording_ = on; }
    // Undoes every recorded change, newest first, and clears the journal.
    void rollback();
    size_t entries() const { return log_.size(); }

    std::string_view backend() const override { return inner_->backend(); }
    sim::Fault read(uint64_t addr, void* dst, size_t len) override { return inner_->read(addr, dst, len); }
    sim::Fault write(uint64_t addr, const void* src, size_t len) override;
    sim::Fault poke(uint64_t addr, const void* src, size_t len) override;
    void map(uint64_t base, uint64_t size, uint32_t prot, std::string name) override;
    void protect(uint64_t base, uint64_t size, uint32_t prot) override;
    void unmap(uint64_t base, uint64_t size) override;
    std::vector<sim::Region> regions() const override { return inner_->regions(); }
    const sim::Region* find_region(uint64_t addr) const override { return inner_->find_region(addr); }
    const uint8_t* direct(uint64_t addr, size_t len) override { return inner_->direct(addr, len); }

private:
    struct Entry {
        enum class Kind { bytes, mapped, unmapped, prot } kind;
        uint64_t addr = 0, size = 0;
        uint32_t prot = 0;
        std::string name;
        std::vector<uint8_t> data;
    };
    void save_bytes(uint64_t addr, size_t len);
    // The pieces of existing regions that [base, base + size) covers.
    std::vector<sim::Region> pieces(uint64_t base, uint64_t size) const;

    std::unique_ptr<sim::Memory> inner_;
    bool recording_ = false;
    std::vector<Entry> log_;
};

}  // namespace mdbsim::fuzz
