#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "backends.hpp"
#include "mdbsim/sim/decorators.hpp"

namespace mdbsim::sim::test {
namespace {

constexpr uint64_t kDecoratedBase = 0x10000;

template <class B> class DecoratorTest : public ::testing::Test {
protected:
    std::unique_ptr<Memory> base() {
        auto m = B::make();
        m->map(kDecoratedBase, 8 * P, kProtRW, "rw");
        return m;
    }
};
TYPED_TEST_SUITE(DecoratorTest, Backends, BackendNames);

TYPED_TEST(DecoratorTest, CountingCountsReadsBytesWritesFaults) {
    CountingMemory mem(this->base());
    uint8_t buf[64] = {};
    EXPECT_FALSE(mem.read(kDecoratedBase, buf, 8));
    EXPECT_FALSE(mem.read(kDecoratedBase + 8, buf, 64));
    EXPECT_TRUE(mem.read(kDecoratedBase + 8 * P - 4, buf, 8));
    EXPECT_FALSE(mem.write(kDecoratedBase, buf, 16));
    EXPECT_TRUE(mem.write(0, buf, 1));
    EXPECT_FALSE(mem.poke(kDecoratedBase, buf, 4));  // builder access is not counted
    ReadCounts c = mem.counts();
    EXPECT_EQ(c.reads, 3u);
    EXPECT_EQ(c.bytes, 80u);
    EXPECT_EQ(c.writes, 2u);
    EXPECT_EQ(c.faults, 2u);
    mem.reset();
    c = mem.counts();
    EXPECT_EQ(c.reads + c.bytes + c.writes + c.faults, 0u);
    EXPECT_EQ(mem.backend(), to_string(TypeParam::kind));
}

TYPED_TEST(DecoratorTest, CountingCountsDirectAsARead) {
    CountingMemory mem(this->base());
    const uint8_t* p = mem.direct(kDecoratedBase, 32);
    EXPECT_EQ(p != nullptr, TypeParam::has_direct);
    EXPECT_EQ(mem.counts().reads, TypeParam::has_direct ? 1u : 0u);
    EXPECT_EQ(mem.counts().bytes, TypeParam::has_direct ? 32u : 0u);
}

TYPED_TEST(DecoratorTest, ForwardsMapping) {
    CountingMemory mem(this->base());
    mem.map(kDecoratedBase + 16 * P, P, kProtRead, "extra");
    mem.protect(kDecoratedBase, P, kProtRead);
    ASSERT_EQ(mem.regions().size(), 3u);
    ASSERT_NE(mem.find_region(kDecoratedBase + 16 * P), nullptr);
    EXPECT_EQ(mem.find_region(kDecoratedBase + 16 * P)->name, "extra");
    mem.unmap(kDecoratedBase + 16 * P, P);
    EXPECT_EQ(mem.inner().regions().size(), 2u);
}

std::vector<Fault> fault_pattern(Memory& mem, int n) {
    std::vector<Fault> out;
    uint8_t buf[16];
    for (int i = 0; i < n; ++i)
        out.push_back(mem.read(kDecoratedBase + (i * 24) % (7 * P), buf, 8 + i % 9));
    return out;
}

TYPED_TEST(DecoratorTest, ProbabilisticInjectionReplaysForASeed) {
    FaultInjection cfg;
    cfg.seed = 1234;
    cfg.probability = 0.25;
    FaultInjectingMemory a(this->base(), cfg), b(this->base(), cfg);
    auto pa = fault_pattern(a, 2000);
    EXPECT_EQ(pa, fault_pattern(b, 2000));
    EXPECT_EQ(pa, fault_pattern(a, 2000)) << "stateless: a second pass repeats the first";
    size_t faults = 0;
    for (const Fault& f : pa)
        if (f) {
            ++faults;
            EXPECT_EQ(f.kind, FaultKind::injected);
        }
    EXPECT_GT(faults, 400u);
    EXPECT_LT(faults, 600u);
    EXPECT_EQ(a.injected(), 2 * faults);

    cfg.seed = 99;
    FaultInjectingMemory c(this->base(), cfg);
    EXPECT_NE(pa, fault_pattern(c, 2000));
}

TYPED_TEST(DecoratorTest, ProbabilityExtremes) {
    FaultInjection cfg;
    cfg.probability = 1.0;
    FaultInjectingMemory always(this->base(), cfg);
    uint8_t buf[8];
    EXPECT_EQ(always.read(kDecoratedBase + 40, buf, 8), (Fault{FaultKind::injected, kDecoratedBase + 40}));
    EXPECT_FALSE(always.read(kDecoratedBase + 40, buf, 0));
    EXPECT_FALSE(always.write(kDecoratedBase, buf, 8)) << "writes are spared unless asked";
    EXPECT_EQ(always.direct(kDecoratedBase, 8), nullptr);
    cfg.probability = 0.0;
    FaultInjectingMemory never(this->base(), cfg);
    EXPECT_EQ(fault_pattern(never, 500), std::vector<Fault>(500));
    EXPECT_EQ(never.direct(kDecoratedBase, 8) != nullptr, TypeParam::has_direct);
}

TYPED_TEST(DecoratorTest, RangeInjectionRefusesTheFirstAddressInside) {
    FaultInjection cfg;
    cfg.ranges.push_back({kDecoratedBase + P + 100, kDecoratedBase + P + 200});
    cfg.ranges.push_back({kDecoratedBase + 3 * P, kDecoratedBase + 3 * P + 1});
    FaultInjectingMemory mem(this->base(), cfg);
    uint64_t marker = 0x0102030405060708ULL;
    ASSERT_FALSE(mem.poke(kDecoratedBase + P + 92, &marker, 8));
    std::vector<uint8_t> buf(64, 0);
    EXPECT_EQ(mem.read(kDecoratedBase + P + 92, buf.data(), 64), (Fault{FaultKind::injected, kDecoratedBase + P + 100}));
    uint64_t head;
    std::memcpy(&head, buf.data(), 8);
    EXPECT_EQ(head, marker) << "bytes before the refused address are transferred";
    EXPECT_EQ(mem.read(kDecoratedBase + P + 150, buf.data(), 8), (Fault{FaultKind::injected, kDecoratedBase + P + 150}));
    EXPECT_FALSE(mem.read(kDecoratedBase + P + 200, buf.data(), 8));
    EXPECT_FALSE(mem.read(kDecoratedBase + P + 36, buf.data(), 64)) << "ends right at the range";
    EXPECT_EQ(mem.read(kDecoratedBase + 2 * P, buf.data(), 64), Fault{}) << "range of 3P is further on";
    std::vector<uint8_t> big(2 * P);
    EXPECT_EQ(mem.read(kDecoratedBase + 2 * P, big.data(), big.size()), (Fault{FaultKind::injected, kDecoratedBase + 3 * P}));
    EXPECT_EQ(mem.direct(kDecoratedBase + P + 150, 8), nullptr);
    EXPECT_EQ(mem.injected(), 3u);
}

TYPED_TEST(DecoratorTest, RealFaultBeforeTheInjectedOneWins) {
    FaultInjection cfg;
    cfg.ranges.push_back({kDecoratedBase + 8 * P + 16, kDecoratedBase + 9 * P});  // past the mapping
    FaultInjectingMemory mem(this->base(), cfg);
    uint8_t buf[64];
    EXPECT_EQ(mem.read(kDecoratedBase + 8 * P - 8, buf, 64), (Fault{FaultKind::unmapped, kDecoratedBase + 8 * P}));
}

TYPED_TEST(DecoratorTest, WriteInjectionWhenAsked) {
    FaultInjection cfg;
    cfg.writes = true;
    cfg.ranges.push_back({kDecoratedBase + 8, kDecoratedBase + 16});
    FaultInjectingMemory mem(this->base(), cfg);
    uint64_t v[2] = {5, 6};
    EXPECT_EQ(mem.write(kDecoratedBase, v, 16), (Fault{FaultKind::injected, kDecoratedBase + 8}));
    EXPECT_FALSE(mem.poke(kDecoratedBase, v, 16));
    uint64_t back[2];
    ASSERT_FALSE(mem.inner().read(kDecoratedBase, back, 16));
    EXPECT_EQ(back[1], 6u);
}

TEST(FaultInjection, BadConfigurationIsRefused) {
    FaultInjection cfg;
    cfg.probability = 1.5;
    EXPECT_THROW(FaultInjectingMemory(make_flat_memory(), cfg), std::invalid_argument);
    cfg.probability = 0;
    cfg.ranges.push_back({10, 5});
    EXPECT_THROW(FaultInjectingMemory(make_flat_memory(), cfg), std::invalid_argument);
    EXPECT_THROW(CountingMemory(nullptr), std::invalid_argument);
}

TEST(FaultInjection, RangeAtTheTopOfTheAddressSpace) {
    FaultInjection cfg;
    cfg.ranges.push_back({0xfffffffffffffff0ULL, UINT64_MAX});
    FaultInjectingMemory mem(make_flat_memory(), cfg);
    EXPECT_EQ(mem.refused_at(0xffffffffffffffe0ULL, 32), std::optional<uint64_t>(0xfffffffffffffff0ULL));
    EXPECT_EQ(mem.refused_at(0xffffffffffffffe0ULL, 16), std::nullopt);
}

}  // namespace
}  // namespace mdbsim::sim::test
