#include "mdbsim/sim/kvm/ring.hpp"

#include "mix.hpp"

namespace mdbsim::sim::kvm {
namespace {

// Tags cycle through a permutation of 1..11 with period 11, so every window of 11 consecutive
// entries holds every tag and tag counts have a closed form however long the history.
constexpr uint64_t kTagStride = 7;   // coprime with 11
constexpr uint64_t kTagStrideInverse = 8;  // 7 * 8 = 56 = 1 (mod 11)

uint32_t tag_of(const RingSpec& spec, uint64_t n) {
    return static_cast<uint32_t>((n * kTagStride + spec.seed) % kRingTagMax) + 1;
}

// The residue r (mod 11) of the entries that carry tag t.
uint64_t residue_of_tag(const RingSpec& spec, uint32_t t) {
    const uint64_t want = (t - 1 + kRingTagMax - spec.seed % kRingTagMax) % kRingTagMax;
    return want * kTagStrideInverse % kRingTagMax;
}

}  // namespace

RingEvent ring_event(const RingSpec& spec, uint64_t n) {
    RingEvent e;
    e.tag = tag_of(spec, n);
    const uint64_t h = mix64(spec.seed, n);
    // A vCPU thread migrates between a few host CPUs now and then.
    e.cpuid = static_cast<uint32_t>((n / 97 + spec.seed) % 24);
    e.thread = 0xfffffe0c8a000000ULL + ((spec.seed % 61) << 16) + ((n / 4096) % 3) * 0x740 + 0x20;
    // Strictly increasing, below 2^63 for any history shorter than ~10^15 entries.
    e.tsc = 0x2d79883d2000ULL + (spec.seed % 1000) * 0x100000000ULL + n * 2500 + h % 1000;
    switch (e.tag) {
    case 1: case 2: case 3: case 5:  // VMCS operations: the VMCS physical address
        e.payload = 0x1f0000000ULL + ((spec.seed % 64) << 12);
        break;
    case 4: case 6: case 7:  // migrate/load/put: the CPU involved
        e.payload = e.cpuid;
        break;
    case 8:  // reload: request bits
        e.payload = 1ULL << (h % 8);
        break;
    default:  // emulation failures: the guest rip
        e.payload = 0xffffffff81000000ULL + (h % 0x800000);
        break;
    }
    return e;
}

RingContents ring_contents(const RingSpec& spec) {
    RingContents c;
    const uint64_t total = spec.recorded;
    c.ent = static_cast<uint32_t>(total);
    const uint64_t first = total > kRingEntries ? total - kRingEntries : 0;
    for (uint64_t n = first; n < total; ++n)
        c.slots[n & (kRingEntries - 1)] = ring_event(spec, n);
    for (uint32_t t = 1; t <= kRingTagMax; ++t) {
        const uint64_t r = residue_of_tag(spec, t);
        if (total <= r)
            continue;
        const uint64_t count = (total - 1 - r) / kRingTagMax + 1;
        c.tagcount[t] = static_cast<uint32_t>(count);
        c.taglast[t] = ring_event(spec, r + (count - 1) * kRingTagMax);
    }
    return c;
}

}  // namespace mdbsim::sim::kvm
