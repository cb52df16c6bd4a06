// What only the Unicorn backend has: address spaces sharing one engine through windows.
#include <gtest/gtest.h>

#include "mdbsim/sim/memory.hpp"
#include "mdbsim/sim/target.hpp"

#include "backends.hpp"

namespace mdbsim::sim::test {
namespace {


TEST(UnicornWindows, SpacesOnOneEngineAreIndependent) {
    auto engine = make_unicorn_engine();
    auto vmem = make_unicorn_memory(engine, unicorn_vmem_window(0));
    auto pmem = make_unicorn_memory(engine, unicorn_pmem_window(0));
    vmem->map(0x100000, P, kProtRW, "v");
    pmem->map(0x100000, P, kProtRW, "p");
    uint64_t a = 1, b = 2, back = 0;
    ASSERT_FALSE(vmem->write(0x100000, &a, 8));
    ASSERT_FALSE(pmem->write(0x100000, &b, 8));
    ASSERT_FALSE(vmem->read(0x100000, &back, 8));
    EXPECT_EQ(back, 1u);
    ASSERT_FALSE(pmem->read(0x100000, &back, 8));
    EXPECT_EQ(back, 2u);
}

TEST(UnicornWindows, SlotsKeepCanonicalAndPhysicalRangesApart) {
    auto engine = make_unicorn_engine();
    std::vector<std::unique_ptr<Memory>> spaces;
    for (unsigned slot = 0; slot < 3; ++slot) {
        auto v = make_unicorn_memory(engine, unicorn_vmem_window(slot));
        auto p = make_unicorn_memory(engine, unicorn_pmem_window(slot));
        // Extremes of both canonical halves and of physical memory.
        v->map(0, P, kProtRW, "low");
        v->map(0x00007ffffffff000ULL, P, kProtRW, "top of low half");
        v->map(0xffff800000000000ULL, P, kProtRW, "bottom of high half");
        v->map(0xfffffffffffff000ULL - P, P, kProtRW, "near the top");
        p->map(0, P, kProtRW, "pfn 0");
        p->map(kUnicornPhysLimit - P, P, kProtRW, "last frame");
        spaces.push_back(std::move(v));
        spaces.push_back(std::move(p));
    }
    EXPECT_EQ(free_unicorn_slot(*engine), 3u);
}

TEST(UnicornWindows, AWindowHasOneOwnerAtATime) {
    auto engine = make_unicorn_engine();
    auto first = make_unicorn_memory(engine, 0);
    EXPECT_THROW(make_unicorn_memory(engine, 0), std::invalid_argument);
    first.reset();
    EXPECT_NO_THROW(make_unicorn_memory(engine, 0));
    EXPECT_THROW(make_unicorn_memory(nullptr, 0), std::invalid_argument);
}

TEST(UnicornWindows, CollisionInTheEngineIsAMapError) {
    auto engine = make_unicorn_engine();
    auto a = make_unicorn_memory(engine, 0);
    auto b = make_unicorn_memory(engine, 0x10000);
    a->map(0x10000, P, kProtRW, "a");
    EXPECT_THROW(b->map(0, P, kProtRW, "b lands on a"), MapError);
    EXPECT_TRUE(b->regions().empty());
    // Engine addresses are window + address mod 2^64; only a range that wraps inside is refused.
    EXPECT_NO_THROW(b->map(0xffffffffffff0000ULL, P, kProtRW, "lands on engine address 0"));
    EXPECT_THROW(b->map(0xfffffffffffe0000ULL, 0x20000, kProtRW, "wraps the engine"), MapError);
}

TEST(UnicornWindows, DestroyedSpacesGiveTheirMemoryBack) {
    auto engine = make_unicorn_engine();
    for (int round = 0; round < 3; ++round) {
        auto v = make_unicorn_memory(engine, 0);
        v->map(0x200000, 16 * P, kProtRW, "again");
        v->unmap(0x200000 + 4 * P, 4 * P);
        uint64_t back = 1;
        ASSERT_FALSE(v->read(0x200000, &back, 8));
        EXPECT_EQ(back, 0u) << "round " << round;
        back = 7;
        ASSERT_FALSE(v->write(0x200000, &back, 8));
    }
}

TEST(UnicornWindows, TargetsShareTheThreadEngineInDistinctSlots) {
    Target a(Backend::unicorn), b(Backend::unicorn);
    a.vmem().map(0x1000, P, kProtRW, "a");
    b.vmem().map(0x1000, P, kProtRW, "b");
    a.put<uint32_t>(0x1000, 11);
    b.put<uint32_t>(0x1000, 22);
    EXPECT_EQ(a.peek<uint32_t>(0x1000), 11u);
    EXPECT_EQ(b.peek<uint32_t>(0x1000), 22u);
    EXPECT_EQ(a.backend(), Backend::unicorn);
}

}  // namespace
}  // namespace mdbsim::sim::test
