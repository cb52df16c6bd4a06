// Region-map semantics, run identically on every backend.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <numeric>
#include <vector>

#include "backends.hpp"

namespace mdbsim::sim::test {
namespace {

constexpr uint64_t kBase = 0xfffffe0000000000ULL;  // where the kernel heap lives

template <class B> class MemoryTest : public ::testing::Test {
protected:
    std::unique_ptr<Memory> mem = B::make();

    std::vector<uint8_t> pattern(size_t n, uint8_t seed = 1) {
        std::vector<uint8_t> v(n);
        for (size_t i = 0; i < n; ++i)
            v[i] = static_cast<uint8_t>(seed + i * 7);
        return v;
    }
};
TYPED_TEST_SUITE(MemoryTest, Backends, BackendNames);

TYPED_TEST(MemoryTest, NewMemoryReadsZero) {
    this->mem->map(kBase, 4 * P, kProtRW, "heap");
    std::vector<uint8_t> buf(4 * P, 0xaa);
    EXPECT_FALSE(this->mem->read(kBase, buf.data(), buf.size()));
    EXPECT_TRUE(std::all_of(buf.begin(), buf.end(), [](uint8_t b) { return b == 0; }));
}

TYPED_TEST(MemoryTest, WriteThenReadRoundTrips) {
    this->mem->map(kBase, 2 * P, kProtRW, "heap");
    auto data = this->pattern(3000);
    ASSERT_FALSE(this->mem->write(kBase + 1000, data.data(), data.size()));
    std::vector<uint8_t> back(data.size());
    ASSERT_FALSE(this->mem->read(kBase + 1000, back.data(), back.size()));
    EXPECT_EQ(back, data);
    EXPECT_EQ(this->mem->backend(), to_string(TypeParam::kind));
}

TYPED_TEST(MemoryTest, ReadsAndWritesCrossContiguousRegions) {
    this->mem->map(kBase, P, kProtRW, "a");
    this->mem->map(kBase + P, P, kProtRW, "b");
    this->mem->map(kBase + 2 * P, P, kProtRW, "c");
    auto data = this->pattern(2 * P + 8);  // up to the very end of c
    ASSERT_FALSE(this->mem->write(kBase + P - 8, data.data(), data.size()));
    std::vector<uint8_t> back(data.size());
    ASSERT_FALSE(this->mem->read(kBase + P - 8, back.data(), back.size()));
    EXPECT_EQ(back, data);
}

TYPED_TEST(MemoryTest, ReadStraddlingRegionEndFaultsAtTheEnd) {
    this->mem->map(kBase, P, kProtRW, "a");
    auto data = this->pattern(64);
    ASSERT_FALSE(this->mem->write(kBase + P - 64, data.data(), 64));
    std::vector<uint8_t> buf(100, 0xee);
    Fault f = this->mem->read(kBase + P - 64, buf.data(), buf.size());
    EXPECT_EQ(f, (Fault{FaultKind::unmapped, kBase + P}));
    // The bytes before the fault were transferred, the rest left alone.
    EXPECT_TRUE(std::equal(data.begin(), data.end(), buf.begin()));
    EXPECT_TRUE(std::all_of(buf.begin() + 64, buf.end(), [](uint8_t b) { return b == 0xee; }));
}

TYPED_TEST(MemoryTest, WriteStraddlingRegionEndWritesTheMappedPart) {
    this->mem->map(kBase, P, kProtRW, "a");
    auto data = this->pattern(32);
    EXPECT_EQ(this->mem->write(kBase + P - 16, data.data(), 32), (Fault{FaultKind::unmapped, kBase + P}));
    std::array<uint8_t, 16> back{};
    ASSERT_FALSE(this->mem->read(kBase + P - 16, back.data(), 16));
    EXPECT_TRUE(std::equal(back.begin(), back.end(), data.begin()));
}

// One fixed layout, many accesses: expected fault kind and first refused address.
struct FaultCase {
    const char* what;
    uint64_t addr;
    size_t len;
    FaultKind kind;
    uint64_t fault_addr;
};

TYPED_TEST(MemoryTest, FaultTable) {
    // [A, A+2P) rw | [A+2P, A+3P) read-only | [A+3P, A+4P) no access | hole | [A+5P, A+6P) rw
    const uint64_t A = kBase;
    this->mem->map(A, 2 * P, kProtRW, "rw");
    this->mem->map(A + 2 * P, P, kProtRead, "ro");
    this->mem->map(A + 3 * P, P, kProtNone, "none");
    this->mem->map(A + 5 * P, P, kProtRW, "rw2");
    const FaultCase reads[] = {
        {"inside rw", A + 8, 64, FaultKind::none, 0},
        {"rw into ro", A + 2 * P - 8, 16, FaultKind::none, 0},
        {"ro into none", A + 3 * P - 8, 16, FaultKind::protection, A + 3 * P},
        {"none start", A + 3 * P, 1, FaultKind::protection, A + 3 * P},
        {"hole start", A + 4 * P + 100, 8, FaultKind::unmapped, A + 4 * P + 100},
        {"below everything", A - 8, 16, FaultKind::unmapped, A - 8},
        {"end of last", A + 6 * P - 4, 8, FaultKind::unmapped, A + 6 * P},
        {"whole first run", A, 3 * P, FaultKind::none, 0},
        {"address zero", 0, 8, FaultKind::unmapped, 0},
        {"top of space", 0xfffffffffffffff8ULL, 16, FaultKind::unmapped, 0xfffffffffffffff8ULL},
    };
    std::vector<uint8_t> buf(4 * P);
    for (const auto& c : reads) {
        SCOPED_TRACE(c.what);
        Fault f = this->mem->read(c.addr, buf.data(), c.len);
        EXPECT_EQ(f.kind, c.kind) << to_string(f.kind);
        if (c.kind != FaultKind::none) {
            EXPECT_EQ(f.addr, c.fault_addr);
        }
    }
    const FaultCase writes[] = {
        {"inside rw", A, 8, FaultKind::none, 0},
        {"rw into ro", A + 2 * P - 8, 16, FaultKind::protection, A + 2 * P},
        {"ro", A + 2 * P + 8, 8, FaultKind::protection, A + 2 * P + 8},
        {"hole", A + 4 * P, 8, FaultKind::unmapped, A + 4 * P},
    };
    for (const auto& c : writes) {
        SCOPED_TRACE(c.what);
        Fault f = this->mem->write(c.addr, buf.data(), c.len);
        EXPECT_EQ(f.kind, c.kind) << to_string(f.kind);
        if (c.kind != FaultKind::none) {
            EXPECT_EQ(f.addr, c.fault_addr);
        }
    }
}

TYPED_TEST(MemoryTest, PokeIgnoresProtectionButNeedsAMapping) {
    this->mem->map(kBase, P, kProtNone, "none");
    uint64_t v = 0x1122334455667788ULL;
    EXPECT_FALSE(this->mem->poke(kBase + 8, &v, sizeof v));
    EXPECT_EQ(this->mem->poke(kBase + P - 4, &v, sizeof v), (Fault{FaultKind::unmapped, kBase + P}));
    this->mem->protect(kBase, P, kProtRead);
    uint64_t back = 0;
    ASSERT_FALSE(this->mem->read(kBase + 8, &back, sizeof back));
    EXPECT_EQ(back, v);
}

TYPED_TEST(MemoryTest, ZeroLengthAccessNeverFaults) {
    uint8_t b = 0;
    EXPECT_FALSE(this->mem->read(0x1234, &b, 0));
    EXPECT_FALSE(this->mem->write(0x1234, &b, 0));
    EXPECT_FALSE(this->mem->poke(0x1234, &b, 0));
}

TYPED_TEST(MemoryTest, ProtectSplitsRegions) {
    this->mem->map(kBase, 4 * P, kProtRW, "heap");
    this->mem->protect(kBase + P, 2 * P, kProtRead);
    auto r = this->mem->regions();
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].base, kBase);
    EXPECT_EQ(r[0].size, P);
    EXPECT_EQ(r[0].prot, kProtRW);
    EXPECT_EQ(r[1].base, kBase + P);
    EXPECT_EQ(r[1].size, 2 * P);
    EXPECT_EQ(r[1].prot, kProtRead);
    EXPECT_EQ(r[2].base, kBase + 3 * P);
    EXPECT_EQ(r[2].prot, kProtRW);
    for (const auto& reg : r)
        EXPECT_EQ(reg.name, "heap");
    uint8_t b = 1;
    EXPECT_EQ(this->mem->write(kBase + P, &b, 1), (Fault{FaultKind::protection, kBase + P}));
    EXPECT_FALSE(this->mem->write(kBase + 3 * P, &b, 1));
}

TYPED_TEST(MemoryTest, ProtectKeepsContents) {
    this->mem->map(kBase, 3 * P, kProtRW, "heap");
    auto data = this->pattern(3 * P);
    ASSERT_FALSE(this->mem->write(kBase, data.data(), data.size()));
    this->mem->protect(kBase + P, P, kProtRead);
    std::vector<uint8_t> back(data.size());
    ASSERT_FALSE(this->mem->read(kBase, back.data(), back.size()));
    EXPECT_EQ(back, data);
}

TYPED_TEST(MemoryTest, ProtectOfUnmappedRangeIsAMapError) {
    this->mem->map(kBase, P, kProtRW, "a");
    EXPECT_THROW(this->mem->protect(kBase, 2 * P, kProtRead), MapError);
    EXPECT_EQ(this->mem->regions().size(), 1u);
    EXPECT_EQ(this->mem->regions()[0].prot, kProtRW);
}

TYPED_TEST(MemoryTest, UnmapSplitsAndForgets) {
    this->mem->map(kBase, 3 * P, kProtRW, "heap");
    auto data = this->pattern(3 * P);
    ASSERT_FALSE(this->mem->write(kBase, data.data(), data.size()));
    this->mem->unmap(kBase + P, P);
    auto r = this->mem->regions();
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].end(), kBase + P);
    EXPECT_EQ(r[1].base, kBase + 2 * P);
    std::vector<uint8_t> buf(3 * P);
    EXPECT_EQ(this->mem->read(kBase, buf.data(), buf.size()), (Fault{FaultKind::unmapped, kBase + P}));
    // The surviving pieces keep their bytes; a new mapping of the hole reads zero.
    ASSERT_FALSE(this->mem->read(kBase + 2 * P, buf.data(), P));
    EXPECT_TRUE(std::equal(buf.begin(), buf.begin() + P, data.begin() + 2 * P));
    this->mem->map(kBase + P, P, kProtRW, "again");
    ASSERT_FALSE(this->mem->read(kBase + P, buf.data(), P));
    EXPECT_TRUE(std::all_of(buf.begin(), buf.begin() + P, [](uint8_t b) { return b == 0; }));
    ASSERT_FALSE(this->mem->read(kBase, buf.data(), P));
    EXPECT_TRUE(std::equal(buf.begin(), buf.begin() + P, data.begin()));
}

TYPED_TEST(MemoryTest, UnmapAcrossRegionsAndHoles) {
    this->mem->map(kBase, P, kProtRW, "a");
    this->mem->map(kBase + 2 * P, 2 * P, kProtRW, "b");
    this->mem->unmap(kBase, 3 * P);
    auto r = this->mem->regions();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].base, kBase + 3 * P);
    EXPECT_EQ(r[0].name, "b");
    this->mem->unmap(0x1000, P);  // nothing there: not an error
    EXPECT_EQ(this->mem->regions().size(), 1u);
}

TYPED_TEST(MemoryTest, MapErrors) {
    this->mem->map(kBase, 2 * P, kProtRW, "a");
    EXPECT_THROW(this->mem->map(kBase + P, 2 * P, kProtRW, "overlap"), MapError);
    EXPECT_THROW(this->mem->map(kBase - P, 2 * P, kProtRW, "overlap below"), MapError);
    EXPECT_THROW(this->mem->map(kBase + 100, P, kProtRW, "misaligned"), MapError);
    EXPECT_THROW(this->mem->map(kBase + 4 * P, 100, kProtRW, "short"), MapError);
    EXPECT_THROW(this->mem->map(kBase + 4 * P, 0, kProtRW, "empty"), MapError);
    EXPECT_THROW(this->mem->map(0xfffffffffffff000ULL, P, kProtRW, "top page"), MapError);
    EXPECT_THROW(this->mem->unmap(kBase + 1, P), MapError);
    EXPECT_EQ(this->mem->regions().size(), 1u);
    this->mem->map(kBase + 2 * P, P, kProtRW, "adjacent");  // touching is fine
    EXPECT_EQ(this->mem->regions().size(), 2u);
}

TYPED_TEST(MemoryTest, RegionsAreSortedAndFindable) {
    const uint64_t bases[] = {0x7000, 0x1000, 0xffffff0000000000ULL, 0x3000};
    for (uint64_t b : bases)
        this->mem->map(b, P, kProtRead, fmt::format("r{:x}", b));
    auto r = this->mem->regions();
    ASSERT_EQ(r.size(), 4u);
    EXPECT_TRUE(std::is_sorted(r.begin(), r.end(), [](const Region& a, const Region& b) { return a.base < b.base; }));
    const Region* found = this->mem->find_region(0x3000 + 123);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->base, 0x3000u);
    EXPECT_EQ(this->mem->find_region(0x2fff), nullptr);
    EXPECT_EQ(this->mem->find_region(0x4000), nullptr);
}

TYPED_TEST(MemoryTest, DirectPointsAtTheBytesOrRefuses) {
    this->mem->map(kBase, P, kProtRW, "a");
    this->mem->map(kBase + P, P, kProtRW, "b");
    this->mem->map(kBase + 2 * P, P, kProtWrite, "write-only");
    uint64_t v = 0xfeedfacecafebeefULL;
    ASSERT_FALSE(this->mem->write(kBase + 16, &v, sizeof v));
    const uint8_t* p = this->mem->direct(kBase + 16, 8);
    if (!TypeParam::has_direct) {
        EXPECT_EQ(p, nullptr);
        return;
    }
    ASSERT_NE(p, nullptr);
    uint64_t seen;
    std::memcpy(&seen, p, sizeof seen);
    EXPECT_EQ(seen, v);
    EXPECT_EQ(this->mem->direct(kBase + P - 4, 8), nullptr) << "spans two regions";
    EXPECT_EQ(this->mem->direct(kBase + 2 * P, 8), nullptr) << "not readable";
    EXPECT_EQ(this->mem->direct(kBase + 3 * P, 8), nullptr) << "unmapped";
}

TYPED_TEST(MemoryTest, LargeMapIsCheapAndUsable) {
    const uint64_t size = 4ULL << 30;
    this->mem->map(0x100000000ULL, size, kProtRW, "4 GiB");
    uint64_t v = 42, back = 0;
    ASSERT_FALSE(this->mem->write(0x100000000ULL + size - 8, &v, 8));
    ASSERT_FALSE(this->mem->read(0x100000000ULL + size - 8, &back, 8));
    EXPECT_EQ(back, 42u);
    ASSERT_FALSE(this->mem->read(0x100000000ULL + size / 2, &back, 8));
    EXPECT_EQ(back, 0u);
}

}  // namespace
}  // namespace mdbsim::sim::test
