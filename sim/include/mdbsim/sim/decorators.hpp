// Decorators that sit in front of an address space (Target::wrap_vmem / wrap_pmem): counting for
// benchmarks and tests, and deterministic fault injection for robustness tests and fuzzing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "mdbsim/sim/memory.hpp"

namespace mdbsim::sim {

// Passes every call to the wrapped memory; decorators override what they change.
class ForwardingMemory : public Memory {
public:
    explicit ForwardingMemory(std::unique_ptr<Memory> inner);  // throws std::invalid_argument on null

    std::string_view backend() const override { return inner_->backend(); }
    Fault read(uint64_t addr, void* dst, size_t len) override { return inner_->read(addr, dst, len); }
    Fault write(uint64_t addr, const void* src, size_t len) override { return inner_->write(addr, src, len); }
    Fault poke(uint64_t addr, const void* src, size_t len) override { return inner_->poke(addr, src, len); }
    void map(uint64_t base, uint64_t size, uint32_t prot, std::string name) override {
        inner_->map(base, size, prot, std::move(name));
    }
    void protect(uint64_t base, uint64_t size, uint32_t prot) override { inner_->protect(base, size, prot); }
    void unmap(uint64_t base, uint64_t size) override { inner_->unmap(base, size); }
    std::vector<Region> regions() const override { return inner_->regions(); }
    const Region* find_region(uint64_t addr) const override { return inner_->find_region(addr); }
    const uint8_t* direct(uint64_t addr, size_t len) override { return inner_->direct(addr, len); }

    Memory& inner() { return *inner_; }
    const Memory& inner() const { return *inner_; }

protected:
    std::unique_ptr<Memory> inner_;
};

// Counts read calls and the bytes they ask for, write calls, and reads or writes that fault.
// poke (builder access) is not counted. A successful direct() counts as one read of len bytes, so
// fast paths stay visible in the counts.
class CountingMemory final : public ForwardingMemory {
public:
    using ForwardingMemory::ForwardingMemory;

    Fault read(uint64_t addr, void* dst, size_t len) override;
    Fault write(uint64_t addr, const void* src, size_t len) override;
    const uint8_t* direct(uint64_t addr, size_t len) override;

    ReadCounts counts() const { return counts_; }
    void reset() { counts_ = {}; }

private:
    ReadCounts counts_;
};

// What FaultInjectingMemory refuses. Decisions are pure functions of (seed, addr, len) and the
// ranges, so a run replays identically and a failing input can be reproduced from its seed.
struct FaultInjection {
    struct Range {
        uint64_t base = 0;
        uint64_t end = 0;  // exclusive
    };

    uint64_t seed = 0;
    // Chance that a read (and, with writes, a write) is refused outright at its first address.
    double probability = 0.0;
    // Accesses touching one of these are refused at the first address inside it; bytes before
    // that are transferred.
    std::vector<Range> ranges;
    bool writes = false;  // apply to write() as well as read(); poke() is never refused
};

class FaultInjectingMemory final : public ForwardingMemory {
public:
    FaultInjectingMemory(std::unique_ptr<Memory> inner, FaultInjection config);

    Fault read(uint64_t addr, void* dst, size_t len) override;
    Fault write(uint64_t addr, const void* src, size_t len) override;
    // Only when no injection could touch [addr, addr + len).
    const uint8_t* direct(uint64_t addr, size_t len) override;

    const FaultInjection& config() const { return config_; }
    void set_config(FaultInjection config);
    uint64_t injected() const { return injected_; }

    // The first address of [addr, addr + len) the configuration refuses, or nothing: what read()
    // and write() apply, exposed so tests and fuzzers can predict it.
    std::optional<uint64_t> refused_at(uint64_t addr, size_t len) const;

private:
    FaultInjection config_;
    uint64_t injected_ = 0;
};

}  // namespace mdbsim::sim
