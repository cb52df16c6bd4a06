// Shadow table planning: table counts, entry bits, large pages, scatter, and refused maps.
#include <gtest/gtest.h>

#include <set>

#include "mdbsim/sim/kvm/shadow.hpp"

namespace {

using namespace mdbsim::sim::kvm;

constexpr uint64_t kMiB = 1ULL << 20;

struct CountCase {
    const char* name;
    GuestRegion region;
    size_t tables;  // 1 root + PDPT + PDs + PTs
};

class PlanCounts : public ::testing::TestWithParam<CountCase> {};

TEST_P(PlanCounts, TablesAndLeaves) {
    const CountCase& c = GetParam();
    GuestMapSpec spec;
    spec.regions = {c.region};
    const ShadowPlan plan = plan_shadow(spec, 0x1000);
    EXPECT_EQ(plan.tables.size(), c.tables);
    uint64_t leaf_frames = 0;
    for (const ShadowTable& t : plan.tables)
        for (unsigned i = 0; i < 512; ++i) {
            if (!t.pte[i] || t.child[i] >= 0)
                continue;
            const bool large = t.pte[i] & kPteLarge;
            EXPECT_EQ(t.level, large ? 2 : 1);
            EXPECT_EQ(t.pte[i] & 0x27, 0x27u);
            leaf_frames += large ? 512 : 1;
        }
    EXPECT_EQ(leaf_frames, c.region.bytes / 4096);
}

INSTANTIATE_TEST_SUITE_P(
    Sizes, PlanCounts,
    ::testing::Values(CountCase{"one_page", {0, 4096, false, false}, 4},
                      CountCase{"two_mib", {0, 2 * kMiB, false, false}, 4},
                      CountCase{"two_mib_plus_one", {0, 2 * kMiB + 4096, false, false}, 5},
                      CountCase{"one_gib", {0, 1024 * kMiB, false, false}, 3 + 512},
                      CountCase{"one_gib_large", {0, 1024 * kMiB, true, false}, 3},
                      CountCase{"straddles_1g", {1024 * kMiB - 4096, 8192, false, false}, 6},
                      CountCase{"top_of_space", {0xffffffffffe00000ULL, 2 * kMiB, false, false}, 4}),
    [](const ::testing::TestParamInfo<CountCase>& i) { return std::string(i.param.name); });

TEST(Plan, LinkPointsParentsAtChildFramesWith0x27) {
    GuestMapSpec spec;
    spec.regions = {{0, 4 * kMiB, false, false}};
    ShadowPlan plan = plan_shadow(spec, 0x2000);
    std::vector<uint64_t> pfns;
    for (size_t i = 0; i < plan.tables.size(); ++i)
        pfns.push_back(0x9000 + i);
    link_plan(plan, pfns);
    for (size_t i = 1; i < plan.tables.size(); ++i) {
        const ShadowTable& t = plan.tables[i];
        EXPECT_EQ(plan.tables[size_t(t.parent)].pte[size_t(t.parent_index)], (pfns[i] << 12) | 0x27);
        EXPECT_EQ(plan.tables[size_t(t.parent)].level, t.level + 1);
    }
}

TEST(Plan, AccessedBitClearedOnLeavesOnly) {
    GuestMapSpec spec;
    spec.regions = {{0, 8192, false, false}};
    spec.leaf_accessed = false;
    ShadowPlan plan = plan_shadow(spec, 0x2000);
    link_plan(plan, {1, 2, 3, 4});
    EXPECT_EQ(plan.tables[3].pte[0], (0x2000ULL << 12) | 0x07);
    EXPECT_EQ(plan.tables[0].pte[0], (2ULL << 12) | 0x27);
}

TEST(Plan, ScatterPermutesFramesWithinTheRegion) {
    GuestMapSpec spec;
    spec.regions = {{0, 256 * 4096, false, true}};
    spec.seed = 5;
    const ShadowPlan plan = plan_shadow(spec, 0x4000);
    std::set<uint64_t> frames;
    uint64_t in_order = 0;
    for (const GuestExtent& e : plan.map)
        for (uint64_t i = 0; i < e.npages; ++i) {
            frames.insert(e.host_pfn + i);
            in_order += (e.host_pfn + i == 0x4000 + (e.guest_addr >> 12) + i);
        }
    EXPECT_EQ(frames.size(), 256u);
    EXPECT_EQ(*frames.begin(), 0x4000u);
    EXPECT_EQ(*frames.rbegin(), 0x4000u + 255);
    EXPECT_LT(in_order, 32u);
    EXPECT_GT(plan.map.size(), 128u);
}

TEST(Plan, RefusesBadMaps) {
    const std::vector<std::pair<const char*, GuestMapSpec>> bad = {
        {"overlap", {{{0, 8192, false, false}, {4096, 4096, false, false}}, true, 0}},
        {"unaligned", {{{100, 4096, false, false}}, true, 0}},
        {"large_unaligned", {{{4096, 2 * kMiB, true, false}}, true, 0}},
        {"non_canonical", {{{0x0000900000000000ULL, 4096, false, false}}, true, 0}},
        {"crosses_hole", {{{0x00007ffffffff000ULL, 8192, false, false}}, true, 0}},
        {"empty_region", {{{0, 0, false, false}}, true, 0}},
    };
    for (const auto& [name, spec] : bad)
        EXPECT_THROW(plan_shadow(spec, 0x200000), std::invalid_argument) << name;
    GuestMapSpec large;
    large.regions = {{0, 2 * kMiB, true, false}};
    EXPECT_THROW(plan_shadow(large, 0x201), std::invalid_argument) << "frame run not 2 MiB aligned";
}

TEST(Plan, CoalesceMergesOnlyContiguousRuns) {
    const std::vector<GuestExtent> in = {{0x3000, 0x13, 1, false}, {0x1000, 0x11, 1, false}, {0x2000, 0x12, 1, false},
                                         {0x4000, 0x20, 1, false}};
    const std::vector<GuestExtent> out = coalesce(in);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0], (GuestExtent{0x1000, 0x11, 3, false}));
    EXPECT_EQ(out[1], (GuestExtent{0x4000, 0x20, 1, false}));
}

}  // namespace
