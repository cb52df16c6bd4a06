// The content model of a synthesized kvm_ringbuf_t: entry n of a vCPU's history is a pure
// function of (seed, n), so a ring that has recorded billions of entries is written in O(512)
// and tests can recompute any entry, tag count or "last of tag" without replaying history.
#pragma once

#include <array>
#include <cstdint>

namespace mdbsim::sim::kvm {

inline constexpr uint32_t kRingEntries = 512;
inline constexpr uint32_t kRingTagMax = 11;

struct RingSpec {
    uint64_t recorded = 0;  // entries ever recorded; kvmr_ent holds this modulo 2^32
    uint64_t seed = 0;      // varies tags, threads, payloads between vCPUs
};

struct RingEvent {
    uint32_t tag = 0;
    uint32_t cpuid = 0;
    uint64_t thread = 0;
    uint64_t tsc = 0;
    uint64_t payload = 0;
    bool operator==(const RingEvent&) const = default;
};

// The n-th entry ever recorded (n counts from 0 and does not wrap).
RingEvent ring_event(const RingSpec& spec, uint64_t n);

// What the kernel's recording rule leaves behind after spec.recorded entries.
struct RingContents {
    std::array<RingEvent, kRingEntries> slots{};            // slot i holds entry n with n & 511 == i
    std::array<RingEvent, kRingTagMax + 1> taglast{};       // index = tag; zero if never recorded
    std::array<uint32_t, kRingTagMax + 1> tagcount{};       // modulo 2^32, like the kernel's
    uint32_t ent = 0;                                       // kvmr_ent
};
RingContents ring_contents(const RingSpec& spec);

}  // namespace mdbsim::sim::kvm
