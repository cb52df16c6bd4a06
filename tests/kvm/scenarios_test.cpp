// The named scenarios of the fixture registry under our kvm dmod: contents against ScenarioInfo
// and the reference translator, and spt-4g in seconds.
#include <gtest/gtest.h>

#include <chrono>
#include <fmt/format.h>

#include "kvm_harness.hpp"
#include "mdbsim/fixtures/scenarios.hpp"
#include "mdbsim/sim/kvm/translate.hpp"
#include "mmuinfo_parse.hpp"

namespace kvmtest {
namespace {

using namespace mdbsim::sim::kvm;
namespace fx = mdbsim::fixtures;

class KvmScenario : public ::testing::TestWithParam<const char*> {};

TEST_P(KvmScenario, WalkersAndMmuinfoMatchTheScenario) {
    fx::Scenario s = fx::make_scenario(GetParam());
    Harness h(*s.target);
    int rc = 0;
    auto vms = h.walk("kvm", 0, &rc);
    ASSERT_EQ(rc, 0);
    ASSERT_EQ(vms.size(), s.info.kvm.vms.size());
    for (size_t i = 0; i < vms.size(); ++i) {
        const BuiltVm& vm = s.info.kvm.vms[i];
        SCOPED_TRACE(fmt::format("{} VM {}", GetParam(), i));
        EXPECT_EQ(vms[i], vm.kvm);
        EXPECT_EQ(h.walk("kvm_vcpu", vm.kvm).size(), vm.vcpus.size());
        EXPECT_EQ(h.walk("kvm_mmu_page", vm.kvm).size(), vm.shadow_pages.size());
        EXPECT_EQ(h.walk("kvm_mem_alias", vm.kvm).size(), vm.alias_entries.size());
        EXPECT_EQ(h.walk("kvm_memory_slot", vm.kvm).size(), 32u);
        for (const BuiltVcpu& v : vm.vcpus)
            // kvmr_ent is 32 bits: a ring that recorded 2^32 + n entries shows min(n, 512).
            EXPECT_EQ(h.walk("kvm_ringbuf_entry", v.ringbuf).size(),
                      std::min<uint64_t>(static_cast<uint32_t>(v.ring.recorded), 512));

        auto r = h.run(hex(vm.kvm) + "::kvm_mmuinfo -l");
        ASSERT_EQ(r.status, DCMD_OK) << r.err;
        MmuListing m = parse_mmuinfo(r.out);
        // Without the accessed bit leaf entries lack 0x27 and are not listed at all.
        if (vm.leaf_accessed) EXPECT_EQ(m.leaves, enumerate_mappings(*s.target, vm.root_hpa));
        else EXPECT_TRUE(m.leaves.empty());
        EXPECT_EQ(m.tables, vm.shadow_pages.size());
        r = h.run(hex(vm.kvm) + "::kvm_mmuinfo -v");
        EXPECT_EQ(r.status, DCMD_OK) << r.out.substr(0, 2000);
        EXPECT_EQ(r.out.find("VIOLATION"), std::string::npos);
    }
}

INSTANTIATE_TEST_SUITE_P(Named, KvmScenario,
                         ::testing::Values("minimal", "typical", "typical,accessed=0", "spt",
                                           "spt,large=1", "spt,scatter=1,vcpus=3"),
                         [](const auto& info) {
                             std::string n = info.param;
                             for (char& c : n)
                                 if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

TEST(KvmScenarios, Spt4gListsTwoMillionLinesInSeconds) {
    fx::Scenario s = fx::make_scenario("spt-4g");
    Harness h(*s.target);
    const BuiltVm& vm = s.info.kvm.vms[0];
    auto t0 = std::chrono::steady_clock::now();
    auto r = h.run(hex(vm.kvm) + "::kvm_mmuinfo");
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_EQ(r.status, DCMD_OK) << r.err;
    size_t nlines = std::count(r.out.begin(), r.out.end(), '\n');
    EXPECT_GT(nlines, 2'000'000u);
#if defined(__has_feature)
#if __has_feature(address_sanitizer)  // clang's spelling; gcc's is __SANITIZE_ADDRESS__
#define MDBSIM_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(MDBSIM_TEST_ASAN)
    const double limit = 180.0;  // ASan + UBSan slow everything down several times
#else
    const double limit = 30.0;   // a few seconds alone; the limit leaves room for a busy machine
#endif
    EXPECT_LT(secs, limit) << nlines << " lines";
    RecordProperty("seconds", std::to_string(secs));
}

TEST(KvmScenarios, NorootReportsTheMissingRoot) {
    fx::Scenario s = fx::make_scenario("noroot");
    Harness h(*s.target);
    auto r = h.run(hex(s.info.kvm.vms[0].kvm) + "::kvm_mmuinfo");
    EXPECT_EQ(r.status, DCMD_ERR);
    EXPECT_NE(r.out.find("ERROR: could not find page private for MMU Root\n\n"), std::string::npos);
}

}  // namespace
}  // namespace kvmtest
