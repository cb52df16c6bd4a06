// Random map/protect/unmap/read/write sequences checked byte by byte against a page-level model,
// on every backend: splitting, fault addresses and contents must all agree.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <vector>

#include "backends.hpp"

namespace mdbsim::sim::test {
namespace {

constexpr uint64_t kPages = 24;
constexpr uint64_t kModelBase = 0xffffff0000000000ULL;

struct PageModel {
    std::array<bool, kPages> mapped{};
    std::array<uint32_t, kPages> prot{};
    std::vector<uint8_t> bytes = std::vector<uint8_t>(kPages * P);

    bool all(uint64_t first, uint64_t n, bool want) const {
        for (uint64_t p = first; p < first + n; ++p)
            if (mapped[p] != want)
                return false;
        return true;
    }
    // The fault an access of len bytes at offset off (from kModelBase) must give, and how many bytes
    // move before it.
    std::pair<Fault, uint64_t> expect(uint64_t off, uint64_t len, uint32_t need) const {
        for (uint64_t i = 0; i < len; ++i) {
            const uint64_t page = (off + i) / P;
            if (page >= kPages || !mapped[page])
                return {Fault{FaultKind::unmapped, kModelBase + off + i}, i};
            if ((prot[page] & need) != need)
                return {Fault{FaultKind::protection, kModelBase + off + i}, i};
        }
        return {Fault{}, len};
    }
};

template <class B> class ModelTest : public ::testing::Test {};
TYPED_TEST_SUITE(ModelTest, Backends, BackendNames);

TYPED_TEST(ModelTest, RandomOperationsAgreeWithThePageModel) {
    const uint32_t prots[] = {kProtNone, kProtRead, kProtWrite, kProtRW, kProtRW | kProtExec};
    for (uint64_t seed = 1; seed <= 6; ++seed) {
        SCOPED_TRACE(seed);
        std::mt19937_64 rng(seed);
        auto pick = [&](uint64_t n) { return rng() % n; };
        auto mem = TypeParam::make();
        PageModel model;
        std::vector<uint8_t> buf(4 * P), data(4 * P);
        for (int step = 0; step < 400 && !::testing::Test::HasFailure(); ++step) {
            const uint64_t first = pick(kPages), n = 1 + pick(std::min<uint64_t>(6, kPages - first));
            const uint32_t prot = prots[pick(5)];
            switch (pick(6)) {
            case 0:
                if (model.all(first, n, false)) {
                    mem->map(kModelBase + first * P, n * P, prot, "m");
                    for (uint64_t p = first; p < first + n; ++p)
                        model.mapped[p] = true, model.prot[p] = prot;
                } else {
                    EXPECT_THROW(mem->map(kModelBase + first * P, n * P, prot, "m"), MapError);
                }
                break;
            case 1:
                if (model.all(first, n, true)) {
                    mem->protect(kModelBase + first * P, n * P, prot);
                    for (uint64_t p = first; p < first + n; ++p)
                        model.prot[p] = prot;
                } else {
                    EXPECT_THROW(mem->protect(kModelBase + first * P, n * P, prot), MapError);
                }
                break;
            case 2:
                if (pick(3) == 0) {  // unmap less often, or the space stays empty
                    mem->unmap(kModelBase + first * P, n * P);
                    for (uint64_t p = first; p < first + n; ++p) {
                        model.mapped[p] = false;
                        std::fill_n(model.bytes.begin() + static_cast<std::ptrdiff_t>(p * P), P, 0);
                    }
                }
                break;
            default: {
                const uint64_t off = pick(kPages * P), len = pick(buf.size());
                const int kind = static_cast<int>(pick(3));  // read, write, poke
                const uint32_t need = kind == 0 ? kProtRead : kind == 1 ? kProtWrite : kProtNone;
                auto [want, moved] = model.expect(off, len, need);
                if (kind == 0) {
                    std::fill(buf.begin(), buf.end(), 0xcc);
                    EXPECT_EQ(mem->read(kModelBase + off, buf.data(), len), want);
                    EXPECT_TRUE(std::equal(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(moved),
                                           model.bytes.begin() + static_cast<std::ptrdiff_t>(off)));
                } else {
                    for (auto& b : data)
                        b = static_cast<uint8_t>(rng());
                    Fault got = kind == 1 ? mem->write(kModelBase + off, data.data(), len)
                                          : mem->poke(kModelBase + off, data.data(), len);
                    EXPECT_EQ(got, want);
                    std::copy_n(data.begin(), moved, model.bytes.begin() + static_cast<std::ptrdiff_t>(off));
                }
            }
            }
        }
        // The regions cover exactly the mapped pages, with their protections.
        for (uint64_t p = 0; p < kPages; ++p) {
            const Region* r = mem->find_region(kModelBase + p * P);
            ASSERT_EQ(r != nullptr, model.mapped[p]) << "page " << p;
            if (r) {
                EXPECT_EQ(r->prot, model.prot[p]) << "page " << p;
            }
        }
        auto regions = mem->regions();
        for (size_t i = 1; i < regions.size(); ++i)
            EXPECT_LE(regions[i - 1].end(), regions[i].base);
    }
}

}  // namespace
}  // namespace mdbsim::sim::test
