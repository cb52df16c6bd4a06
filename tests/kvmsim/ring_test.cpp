// The ring model against a literal replay of the kernel's recording rule.
#include <gtest/gtest.h>

#include "mdbsim/sim/kvm/ring.hpp"

namespace {

using namespace mdbsim::sim::kvm;

// Records entries one by one exactly as the kernel does.
RingContents replay(const RingSpec& spec) {
    RingContents c;
    for (uint64_t n = 0; n < spec.recorded; ++n) {
        const RingEvent e = ring_event(spec, n);
        c.slots[c.ent & (kRingEntries - 1)] = e;
        c.ent++;
        c.taglast[e.tag] = e;
        c.tagcount[e.tag]++;
    }
    return c;
}

class RingReplay : public ::testing::TestWithParam<RingSpec> {};

TEST_P(RingReplay, ClosedFormEqualsReplay) {
    const RingSpec spec = GetParam();
    const RingContents model = ring_contents(spec);
    const RingContents literal = replay(spec);
    EXPECT_EQ(model.ent, literal.ent);
    EXPECT_EQ(model.tagcount, literal.tagcount);
    for (uint32_t t = 0; t <= kRingTagMax; ++t)
        EXPECT_EQ(model.taglast[t], literal.taglast[t]) << "tag " << t;
    for (uint32_t i = 0; i < kRingEntries; ++i)
        EXPECT_EQ(model.slots[i], literal.slots[i]) << "slot " << i;
}

INSTANTIATE_TEST_SUITE_P(Histories, RingReplay,
                         ::testing::Values(RingSpec{0, 0}, RingSpec{1, 0}, RingSpec{10, 3}, RingSpec{11, 4},
                                           RingSpec{511, 5}, RingSpec{512, 6}, RingSpec{513, 7},
                                           RingSpec{5000, 8}, RingSpec{100000, 21}));

TEST(Ring, EveryWindowOfElevenHoldsEveryTag) {
    const RingSpec spec{1000, 9};
    for (uint64_t start = 0; start + 11 <= 1000; start += 37) {
        std::array<bool, kRingTagMax + 1> seen{};
        for (uint64_t n = start; n < start + 11; ++n) {
            const uint32_t tag = ring_event(spec, n).tag;
            ASSERT_GE(tag, 1u);
            ASSERT_LE(tag, kRingTagMax);
            seen[tag] = true;
        }
        for (uint32_t t = 1; t <= kRingTagMax; ++t)
            EXPECT_TRUE(seen[t]) << "tag " << t << " missing from window at " << start;
    }
}

TEST(Ring, TimestampsIncreaseAndStayPositive) {
    const RingSpec spec{0, 31};
    uint64_t last = 0;
    for (uint64_t n : {0ULL, 1ULL, 2ULL, 511ULL, 512ULL, 1ULL << 32, (1ULL << 32) + 1, 1ULL << 40}) {
        const uint64_t tsc = ring_event(spec, n).tsc;
        EXPECT_GT(tsc, last);
        EXPECT_LT(tsc, 1ULL << 63);
        last = tsc;
    }
}

TEST(Ring, CounterWrapsAt2To32) {
    const RingSpec spec{(1ULL << 32) + 77, 31};
    const RingContents c = ring_contents(spec);
    EXPECT_EQ(c.ent, 77u);
    // The slots hold the last 512 entries, i.e. those numbered 2^32 + 77 - 512 and up.
    const uint64_t newest = (1ULL << 32) + 76;
    EXPECT_EQ(c.slots[newest & 511], ring_event(spec, newest));
    EXPECT_EQ(c.slots[(newest - 511) & 511], ring_event(spec, newest - 511));
    uint64_t total = 0;
    for (uint32_t t = 1; t <= kRingTagMax; ++t)
        total += c.tagcount[t];
    EXPECT_EQ(total % (1ULL << 32), 77u);  // the sum of the counts wraps like the counter
    for (uint32_t t = 1; t <= kRingTagMax; ++t)
        EXPECT_EQ(c.taglast[t].tag, t);
}

}  // namespace
