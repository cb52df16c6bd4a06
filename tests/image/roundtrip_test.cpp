// Save a built target, reopen it on the image backend, and compare everything.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <tuple>

#include "mdbsim/sim/image.hpp"
#include "sample_target.hpp"

namespace mdbsim::sim::test {
namespace {

void expect_same_regions(Memory& live, Memory& img, const char* space) {
    const auto a = live.regions();
    const auto b = img.regions();
    ASSERT_EQ(a.size(), b.size()) << space;
    for (size_t i = 0; i < a.size(); ++i) {
        SCOPED_TRACE(std::string(space) + " region " + a[i].name);
        EXPECT_EQ(a[i].base, b[i].base);
        EXPECT_EQ(a[i].size, b[i].size);
        EXPECT_EQ(a[i].prot, b[i].prot);
        EXPECT_EQ(a[i].name, b[i].name);
        EXPECT_TRUE(region_bytes(live, a[i]) == region_bytes(img, b[i])) << "bytes differ";
    }
}

using SymKey = std::tuple<std::string, std::string, uint64_t, uint64_t, unsigned>;
std::vector<SymKey> symbol_keys(const SymbolTable& t) {
    std::vector<SymKey> out;
    for (const auto& s : t.all())
        out.emplace_back(s.object, s.name, s.value(), s.size(), s.sym.st_info);
    std::sort(out.begin(), out.end());
    return out;
}

// Addresses around every region edge, for reads and writes of several lengths.
std::vector<std::pair<uint64_t, size_t>> probes(Memory& m) {
    std::vector<std::pair<uint64_t, size_t>> out;
    for (const Region& r : m.regions())
        for (uint64_t a : {r.base - 8, r.base, r.base + 0x18, r.end() - 8, r.end() - 4, r.end()})
            for (size_t len : {size_t(1), size_t(8), size_t(16), size_t(kPageSize + 8)})
                out.emplace_back(a, len);
    out.emplace_back(0, 8);
    out.emplace_back(UINT64_MAX - 3, 8);
    return out;
}

class ImageRoundTrip : public ::testing::TestWithParam<Backend> {};

TEST_P(ImageRoundTrip, EverythingComesBack) {
    Sample s = make_sample(GetParam());
    TempDir dir;
    const std::string path = dir.file("sample.core");
    const SaveStats st = save_image(*s.target, path);
    EXPECT_EQ(st.virtual_segments, s.target->vmem().regions().size());
    EXPECT_EQ(st.physical_segments, s.target->pmem().regions().size());
    EXPECT_EQ(st.symbols, s.target->symbols().size());

    ImageFacts facts;
    auto img = open_image(path, {}, &facts);
    EXPECT_EQ(facts.kind, ImageKind::mdbsim);
    EXPECT_TRUE(facts.saved_writable);
    EXPECT_EQ(img->backend(), Backend::image);
    EXPECT_EQ(img->vmem().backend(), "image");
    EXPECT_FALSE(img->writable());

    expect_same_regions(s.target->vmem(), img->vmem(), "virtual");
    expect_same_regions(s.target->pmem(), img->pmem(), "physical");
    EXPECT_EQ(symbol_keys(s.target->symbols()), symbol_keys(img->symbols()));
    EXPECT_EQ(s.target->symbols().objects(), img->symbols().objects());
    EXPECT_EQ(s.target->info(), img->info());

    EXPECT_EQ(img->peek<uint64_t>(s.var), s.var_value);
    EXPECT_EQ(img->ppeek<uint64_t>(s.frame_pa + 8), s.phys_value);
    const Symbol* v = img->symbols().lookup("sample_var");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->object, "unix");
    EXPECT_EQ(v->value(), s.var);
    const Symbol* f = img->symbols().lookup_by_addr(s.text + 1, false);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->name, "sample_function");
}

TEST_P(ImageRoundTrip, ReadFaultsMatchTheLiveTarget) {
    Sample s = make_sample(GetParam(), 1);
    TempDir dir;
    save_image(*s.target, dir.file("t.core"));
    auto img = open_image(dir.file("t.core"));
    for (auto [space, live, image] : {std::tuple{"virtual", &s.target->vmem(), &img->vmem()},
                                      std::tuple{"physical", &s.target->pmem(), &img->pmem()}}) {
        for (auto [addr, len] : probes(*live)) {
            std::vector<uint8_t> a(len, 0xaa), b(len, 0xaa);
            const Fault fa = live->read(addr, a.data(), len);
            const Fault fb = image->read(addr, b.data(), len);
            EXPECT_EQ(fa, fb) << space << " read " << len << " at " << std::hex << addr;
            const size_t done = fa ? static_cast<size_t>(fa.addr - addr) : len;
            EXPECT_TRUE(std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(done), b.begin()))
                << space << " transferred prefix differs at " << std::hex << addr;
        }
    }
}

TEST_P(ImageRoundTrip, WritableImageWritesLikeTheLiveTargetAndKeepsTheFile) {
    Sample s = make_sample(GetParam(), 1);
    TempDir dir;
    const std::string path = dir.file("w.core");
    save_image(*s.target, path);
    const auto before = read_file(path);
    auto img = open_image(path, OpenOptions{.writable = true});
    EXPECT_TRUE(img->writable());
    for (auto [addr, len] : probes(s.target->vmem())) {
        std::vector<uint8_t> data(len, 0x5a);
        EXPECT_EQ(s.target->vmem().write(addr, data.data(), len), img->vmem().write(addr, data.data(), len))
            << "write " << len << " at " << std::hex << addr;
    }
    expect_same_regions(s.target->vmem(), img->vmem(), "virtual after writes");
    const uint64_t v = 42;
    EXPECT_FALSE(img->pmem().write(s.frame_pa + 8, &v, sizeof v));
    EXPECT_EQ(img->ppeek<uint64_t>(s.frame_pa + 8), 42u);
    img.reset();
    EXPECT_TRUE(read_file(path) == before) << "writes reached the file";
    EXPECT_EQ(open_image(path)->ppeek<uint64_t>(s.frame_pa + 8), s.phys_value);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImageRoundTrip, ::testing::Values(Backend::flat, Backend::unicorn),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST(Image, ReadOnlyImageRefusesEveryWrite) {
    Sample s = make_sample(Backend::flat, 0);
    TempDir dir;
    save_image(*s.target, dir.file("ro.core"));
    auto img = open_image(dir.file("ro.core"));
    const uint64_t v = 1;
    EXPECT_EQ(img->vmem().write(s.var, &v, 8), (Fault{FaultKind::protection, s.var}));
    EXPECT_EQ(img->vmem().poke(s.var, &v, 8), (Fault{FaultKind::protection, s.var}));
    EXPECT_EQ(img->pmem().write(s.frame_pa, &v, 8), (Fault{FaultKind::protection, s.frame_pa}));
    EXPECT_EQ(img->vmem().write(0x1000, &v, 8), (Fault{FaultKind::unmapped, 0x1000}));
    EXPECT_FALSE(img->vmem().write(s.var, &v, 0));
    EXPECT_THROW(img->put<uint64_t>(s.var, 1), std::runtime_error);
    EXPECT_EQ(img->peek<uint64_t>(s.var), s.var_value);
}

TEST(Image, ZeroPagesAreNotStored) {
    Sample s = make_sample(Backend::flat, 256);
    TempDir dir;
    const std::string path = dir.file("big.core");
    const SaveStats st = save_image(*s.target, path);
    // Everything non-zero fits in a few MiB (page_t arrays, heap chunks, two big-region pages).
    EXPECT_LT(st.stored_bytes, 8u << 20);
    struct stat sb{};
    ASSERT_EQ(::stat(path.c_str(), &sb), 0);
    // The big region ends with zeros: they are not in the file at all.
    EXPECT_LT(static_cast<uint64_t>(sb.st_size), s.big_size / 2 + (16u << 20));
    // Pages of zeros inside stored segments are holes.
    EXPECT_LT(static_cast<uint64_t>(sb.st_blocks) * 512, 16u << 20);
    auto img = open_image(path);
    EXPECT_EQ(img->ppeek<uint64_t>(s.big_pa + 0x3000), 0x77u);
    EXPECT_EQ(img->ppeek<uint64_t>(s.big_pa + s.big_size / 2), 0x78u);
    EXPECT_EQ(img->ppeek<uint64_t>(s.big_pa + s.big_size - 8), 0u);
    EXPECT_EQ(img->ppeek<uint64_t>(s.big_pa + 0x100000), 0u);
}

TEST(Image, ReadsAreDirectFromTheMapping) {
    Sample s = make_sample(Backend::flat, 0);
    TempDir dir;
    save_image(*s.target, dir.file("d.core"));
    auto img = open_image(dir.file("d.core"));
    const uint8_t* p = img->vmem().direct(s.var, 8);
    ASSERT_NE(p, nullptr);
    uint64_t v;
    std::memcpy(&v, p, 8);
    EXPECT_EQ(v, s.var_value);
    EXPECT_EQ(img->vmem().direct(s.noaccess, 8), nullptr);
}

TEST(Image, EmptyTargetRoundTrips) {
    Target t;
    TempDir dir;
    save_image(t, dir.file("empty.core"));
    ImageFacts facts;
    auto img = open_image(dir.file("empty.core"), {}, &facts);
    EXPECT_EQ(facts.kind, ImageKind::mdbsim);
    EXPECT_TRUE(img->vmem().regions().empty());
    EXPECT_TRUE(img->pmem().regions().empty());
    EXPECT_EQ(img->symbols().size(), 0u);
    EXPECT_TRUE(img->info().empty());
}

TEST(Image, SavedWritableFlagAndImageOfAnImage) {
    Sample s = make_sample(Backend::flat, 1);
    s.target->set_writable(false);
    TempDir dir;
    save_image(*s.target, dir.file("a.core"));
    ImageFacts facts;
    auto a = open_image(dir.file("a.core"), {}, &facts);
    EXPECT_FALSE(facts.saved_writable);
    // An image target saves like any other target.
    save_image(*a, dir.file("b.core"));
    auto b = open_image(dir.file("b.core"));
    expect_same_regions(s.target->vmem(), b->vmem(), "virtual");
    expect_same_regions(s.target->pmem(), b->pmem(), "physical");
    EXPECT_EQ(s.target->info(), b->info());
}

TEST(Image, SaveFailsCleanlyAndLeavesNoFile) {
    Sample s = make_sample(Backend::flat, 0);
    EXPECT_THROW(save_image(*s.target, "/nonexistent-dir/x.core"), std::runtime_error);
    TempDir dir;
    s.target->info()["bad"] = std::string("a\0b", 3);
    EXPECT_THROW(save_image(*s.target, dir.file("bad.core")), std::runtime_error);
    struct stat sb{};
    EXPECT_NE(::stat(dir.file("bad.core").c_str(), &sb), 0);
}

}  // namespace
}  // namespace mdbsim::sim::test
