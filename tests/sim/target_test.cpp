#include <gtest/gtest.h>

#include "backends.hpp"
#include "mdbsim/sim/decorators.hpp"

namespace mdbsim::sim::test {
namespace {

TEST(BackendNames, RoundTrip) {
    for (Backend b : {Backend::flat, Backend::unicorn, Backend::image})
        EXPECT_EQ(backend_from_string(to_string(b)), b);
    EXPECT_THROW(backend_from_string("qemu"), std::invalid_argument);
    EXPECT_THROW(backend_from_string(""), std::invalid_argument);
    EXPECT_STREQ(to_string(FaultKind::injected), "injected");
}

TEST(TargetBackends, ImageNeedsAFile) {
    try {
        Target t(Backend::image);
        FAIL() << "image backend accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("image"), std::string::npos);
    }
}

TEST(TargetBackends, ExplicitSpaces) {
    EXPECT_THROW(Target(make_flat_memory(), nullptr), std::invalid_argument);
    Target t(make_flat_memory(), make_flat_memory());
    EXPECT_EQ(t.backend(), Backend::flat);
}

template <class B> class TargetTest : public ::testing::Test {
protected:
    Target t{B::kind};
};
TYPED_TEST_SUITE(TargetTest, Backends, BackendNames);

TYPED_TEST(TargetTest, PutAndPeek) {
    EXPECT_EQ(this->t.backend(), TypeParam::kind);
    this->t.vmem().map(0xfffffe0000000000ULL, kPageSize, kProtRead, "ro text");
    this->t.template put<uint64_t>(0xfffffe0000000010ULL, 0xdeadbeef);  // builders ignore protection
    EXPECT_EQ(this->t.template peek<uint64_t>(0xfffffe0000000010ULL), 0xdeadbeefu);
    this->t.pmem().map(0x100000, kPageSize, kProtRW, "frame");
    this->t.template pput<uint32_t>(0x100008, 77);
    EXPECT_EQ(this->t.template ppeek<uint32_t>(0x100008), 77u);
    EXPECT_THROW(this->t.template peek<uint64_t>(0x100008), std::runtime_error) << "not in vmem";
}

TYPED_TEST(TargetTest, FaultMessagesNameTheAddress) {
    this->t.vmem().map(0x10000, kPageSize, kProtRW, "a");
    try {
        this->t.template peek<uint64_t>(0x10ffc);
        FAIL() << "read past the end succeeded";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("0x11000"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("unmapped"), std::string::npos) << e.what();
    }
    try {
        this->t.template put<uint64_t>(0x5000, 1);
        FAIL() << "write to nothing succeeded";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("0x5000"), std::string::npos) << e.what();
    }
}

TYPED_TEST(TargetTest, WrapVmemWithACounter) {
    this->t.vmem().map(0x10000, kPageSize, kProtRW, "a");
    this->t.template put<uint64_t>(0x10000, 5);
    CountingMemory* counter = nullptr;
    this->t.wrap_vmem([&](std::unique_ptr<Memory> inner) {
        auto c = std::make_unique<CountingMemory>(std::move(inner));
        counter = c.get();
        return c;
    });
    EXPECT_EQ(this->t.template peek<uint64_t>(0x10000), 5u);
    EXPECT_EQ(counter->counts().reads, 1u);
    EXPECT_EQ(counter->counts().bytes, 8u);
}

}  // namespace
}  // namespace mdbsim::sim::test
