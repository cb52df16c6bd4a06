#include <gtest/gtest.h>

#include "backends.hpp"
#include "mdbsim/sim/builders.hpp"

namespace mdbsim::sim::test {
namespace {


template <class B> class HeapTest : public ::testing::Test {
protected:
    Target t{B::kind};
};
TYPED_TEST_SUITE(HeapTest, Backends, BackendNames);

TYPED_TEST(HeapTest, AllocationsAreAlignedContiguousAndZeroed) {
    KernelHeap h(this->t, KernelHeap::kDefaultBase, 4 * P);
    const uint64_t a = h.alloc(24);
    const uint64_t b = h.alloc(24);
    const uint64_t c = h.alloc(100, 64);
    EXPECT_EQ(a, KernelHeap::kDefaultBase);
    EXPECT_EQ(b, a + 24);
    EXPECT_EQ(c % 64, 0u);
    EXPECT_GE(c, b + 24);
    EXPECT_EQ(this->t.template peek<uint64_t>(c + 92), 0u);
    const uint64_t pg = h.alloc_pages(3);
    EXPECT_EQ(pg % P, 0u);
    // One object bigger than a chunk is readable over its whole length.
    const uint64_t big = h.alloc(10 * P + 8);
    std::vector<uint8_t> buf(10 * P + 8);
    EXPECT_NO_THROW(this->t.get_bytes(big, buf.data(), buf.size()));
    EXPECT_NE(h.alloc(0), h.alloc(0)) << "empty objects still get distinct addresses";
}

TYPED_TEST(HeapTest, HolesAreUnmappedAndStartFreshMappings) {
    KernelHeap h(this->t, KernelHeap::kDefaultBase, 4 * P);
    const uint64_t a = h.alloc(16);
    h.skip_hole();
    const uint64_t b = h.alloc(16);
    // The hole lies between the end of a's chunk and b.
    EXPECT_EQ(b, KernelHeap::kDefaultBase + 4 * P + P);
    EXPECT_EQ(this->t.vmem().find_region(b - 1), nullptr);
    EXPECT_NE(this->t.vmem().find_region(b - P - 1), nullptr);
    EXPECT_NE(this->t.vmem().find_region(a), nullptr);
    uint64_t v;
    EXPECT_EQ(this->t.vmem().read(b - 8, &v, 16), (Fault{FaultKind::unmapped, b - 8}));
    h.skip_hole(3 * P + 1);
    const uint64_t c = h.alloc(8);
    EXPECT_EQ(this->t.vmem().find_region(c - 4 * P), nullptr);
    EXPECT_EQ(c % P, 0u);
}

TYPED_TEST(HeapTest, BadArgumentsAreRefused) {
    EXPECT_THROW(KernelHeap(this->t, 0x1001), std::invalid_argument);
    EXPECT_THROW(KernelHeap(this->t, 0x1000, 100), std::invalid_argument);
    KernelHeap h(this->t, 0xfffffffffff00000ULL, P);
    EXPECT_THROW(h.alloc(8, 3), std::invalid_argument);
    EXPECT_THROW(h.alloc(1ULL << 40), std::runtime_error) << "past the top of the address space";
    EXPECT_THROW(h.alloc_pages(0), std::invalid_argument);
}

TYPED_TEST(HeapTest, FramesComeFromPhysicalMemory) {
    FrameAllocator f(this->t, 0x100, 4);
    EXPECT_EQ(f.alloc(), 0x100u);
    EXPECT_EQ(f.alloc(), 0x101u);
    EXPECT_EQ(f.alloc_range(10), 0x102u);
    EXPECT_EQ(f.next_pfn(), 0x10cu);
    EXPECT_EQ(f.first_pfn(), 0x100u);
    // Every handed-out frame is mapped, zeroed and writable in pmem, not vmem.
    for (uint64_t pfn = 0x100; pfn < 0x10c; ++pfn) {
        EXPECT_EQ(this->t.template ppeek<uint64_t>(pfn * P + P - 8), 0u);
        this->t.template pput<uint64_t>(pfn * P, pfn);
    }
    EXPECT_EQ(this->t.template ppeek<uint64_t>(0x105 * P), 0x105u);
    EXPECT_EQ(this->t.pmem().find_region(0xff * P), nullptr);
    EXPECT_TRUE(this->t.vmem().regions().empty());
    EXPECT_THROW(f.alloc_range(0), std::invalid_argument);
    EXPECT_THROW(FrameAllocator(this->t, 1, 0), std::invalid_argument);
}

}  // namespace
}  // namespace mdbsim::sim::test
