// memsegs and page_t as the memseg walker and mdb_pfn2page (layouts.md §13.3, §13.4) see them.
#include <gtest/gtest.h>

#include "backends.hpp"
#include "mdbsim/sim/builders.hpp"

namespace mdbsim::sim::test {
namespace {

constexpr uint64_t kPageT = 120, kPagenum = 0x58;
constexpr uint64_t kNext = 0x20;

template <class B> class MemsegTest : public ::testing::Test {
protected:
    Target t{B::kind};
    KernelHeap heap{t};

    // pfn2page by the book: walk the chain from the memsegs variable.
    uint64_t pfn2page(uint64_t pfn) {
        const Symbol* s = t.symbols().lookup("memsegs");
        if (!s)
            return 0;
        for (uint64_t seg = t.template peek<uint64_t>(s->value()); seg; seg = t.template peek<uint64_t>(seg + kNext)) {
            const uint64_t base = t.template peek<uint64_t>(seg + 0x10), end = t.template peek<uint64_t>(seg + 0x18);
            if (pfn >= base && pfn < end) {
                const uint64_t p = t.template peek<uint64_t>(seg) + kPageT * (pfn - base);
                return t.template peek<uint64_t>(p + kPagenum) == pfn ? p : 0;
            }
        }
        return 0;
    }
};
TYPED_TEST_SUITE(MemsegTest, Backends, BackendNames);

TYPED_TEST(MemsegTest, ChainCoversEveryFrame) {
    MemsegBuilder mb(this->heap);
    const uint64_t ranges[][2] = {{0x100, 0x180}, {0x1000, 0x1001}, {0x200, 0x800}};
    std::vector<uint64_t> segs;
    for (auto& r : ranges)
        segs.push_back(mb.add(r[0], r[1]));
    mb.finish();

    const Symbol* sym = this->t.symbols().lookup("unix", "memsegs");
    ASSERT_NE(sym, nullptr);
    EXPECT_EQ(sym->size(), 8u);
    std::vector<uint64_t> chain;
    for (uint64_t s = this->t.template peek<uint64_t>(sym->value()); s && chain.size() < 10;
         s = this->t.template peek<uint64_t>(s + kNext))
        chain.push_back(s);
    EXPECT_EQ(chain, segs);

    for (size_t i = 0; i < segs.size(); ++i) {
        const auto& seg = mb.segments()[i];
        EXPECT_EQ(seg.addr, segs[i]);
        EXPECT_EQ(seg.base, ranges[i][0]);
        EXPECT_EQ(seg.end, ranges[i][1]);
        EXPECT_EQ(this->t.template peek<uint64_t>(segs[i] + 8), seg.pages + kPageT * (seg.end - seg.base)) << "epages";
        for (uint64_t pfn = seg.base; pfn < seg.end; pfn += 37) {
            EXPECT_EQ(mb.page_of(pfn), seg.pages + kPageT * (pfn - seg.base));
            EXPECT_EQ(this->pfn2page(pfn), mb.page_of(pfn)) << std::hex << pfn;
        }
        EXPECT_EQ(this->pfn2page(seg.end - 1), mb.page_of(seg.end - 1));
    }
    EXPECT_EQ(mb.page_of(0xff), 0u);
    EXPECT_EQ(mb.page_of(0x180), 0u);
    EXPECT_EQ(mb.page_of(0x2000), 0u);
}

TYPED_TEST(MemsegTest, EmptyChainAndRefinish) {
    MemsegBuilder mb(this->heap);
    mb.finish();
    const Symbol* sym = this->t.symbols().lookup("memsegs");
    ASSERT_NE(sym, nullptr);
    EXPECT_EQ(this->t.template peek<uint64_t>(sym->value()), 0u);
    const uint64_t seg = mb.add(5, 6);
    mb.finish();
    EXPECT_EQ(this->t.symbols().lookup("memsegs")->value(), sym->value()) << "one variable";
    EXPECT_EQ(this->t.template peek<uint64_t>(sym->value()), seg);
    EXPECT_EQ(this->t.template peek<uint64_t>(seg + kNext), 0u);
}

TYPED_TEST(MemsegTest, BadRangesAreRefused) {
    MemsegBuilder mb(this->heap);
    mb.add(0x100, 0x200);
    EXPECT_THROW(mb.add(0x1ff, 0x300), std::invalid_argument);
    EXPECT_THROW(mb.add(0x50, 0x101), std::invalid_argument);
    EXPECT_THROW(mb.add(0x300, 0x300), std::invalid_argument);
    EXPECT_THROW(mb.add(0x300, 0x2ff), std::invalid_argument);
    EXPECT_EQ(mb.segments().size(), 1u);
}

TEST(MemsegScale, FourGiBGuestIsQuickAndSparse) {
    Target t;
    KernelHeap heap(t);
    MemsegBuilder mb(heap);
    mb.add(0, (4ULL << 30) / kPageSize);  // 1 Mi frames, 120 MiB of page_t
    mb.finish();
    EXPECT_EQ(t.peek<uint64_t>(mb.page_of(0xfffff) + kPagenum), 0xfffffu);
}

}  // namespace
}  // namespace mdbsim::sim::test
