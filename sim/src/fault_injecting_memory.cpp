#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "mdbsim/sim/decorators.hpp"

namespace mdbsim::sim {
namespace {

uint64_t mix(uint64_t x) {
    // splitmix64's finaliser: every input bit affects every output bit.
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// A uniform draw in [0, 1) that depends only on the seed and the access.
double draw(uint64_t seed, uint64_t addr, size_t len) {
    uint64_t h = mix(mix(mix(seed) ^ addr) ^ static_cast<uint64_t>(len));
    return static_cast<double>(h >> 11) * 0x1.0p-53;
}

void check(const FaultInjection& c) {
    if (!(c.probability >= 0.0 && c.probability <= 1.0))
        throw std::invalid_argument(
            fmt::format("fault injection probability {} is outside [0, 1]", c.probability));
    for (const auto& r : c.ranges)
        if (r.end < r.base)
            throw std::invalid_argument(
                fmt::format("fault injection range [{:#x}, {:#x}) ends before it starts", r.base, r.end));
}

}  // namespace

FaultInjectingMemory::FaultInjectingMemory(std::unique_ptr<Memory> inner, FaultInjection config)
    : ForwardingMemory(std::move(inner)) {
    set_config(std::move(config));
}

void FaultInjectingMemory::set_config(FaultInjection config) {
    check(config);
    config_ = std::move(config);
}

std::optional<uint64_t> FaultInjectingMemory::refused_at(uint64_t addr, size_t len) const {
    if (len == 0)
        return std::nullopt;
    if (config_.probability > 0.0 && draw(config_.seed, addr, len) < config_.probability)
        return addr;
    // Compare inclusive last addresses so an access ending at 2^64 cannot wrap.
    const uint64_t last = addr + (len - 1) < addr ? UINT64_MAX : addr + (len - 1);
    std::optional<uint64_t> first;
    for (const auto& r : config_.ranges) {
        if (r.end == r.base || r.base > last || r.end - 1 < addr)
            continue;
        const uint64_t at = std::max(addr, r.base);
        if (!first || at < *first)
            first = at;
    }
    return first;
}

Fault FaultInjectingMemory::read(uint64_t addr, void* dst, size_t len) {
    const auto refused = refused_at(addr, len);
    if (!refused)
        return inner_->read(addr, dst, len);
    // Bytes before the refused address transfer as they would have; a real fault there wins.
    if (Fault f = inner_->read(addr, dst, static_cast<size_t>(*refused - addr)))
        return f;
    ++injected_;
    return {FaultKind::injected, *refused};
}

Fault FaultInjectingMemory::write(uint64_t addr, const void* src, size_t len) {
    const auto refused = config_.writes ? refused_at(addr, len) : std::nullopt;
    if (!refused)
        return inner_->write(addr, src, len);
    if (Fault f = inner_->write(addr, src, static_cast<size_t>(*refused - addr)))
        return f;
    ++injected_;
    return {FaultKind::injected, *refused};
}

const uint8_t* FaultInjectingMemory::direct(uint64_t addr, size_t len) {
    if (refused_at(addr, len))
        return nullptr;
    return inner_->direct(addr, len);
}

}  // namespace mdbsim::sim
