// Our kvm dmod against the original kvm_mdb.c (built from MDBSIM_ILLUMOS_KVM): the same standard
// output, byte for byte, on well-formed scenarios of at most 64 MiB of guest memory per VM.
#include <gtest/gtest.h>

#include <algorithm>

#include "kvm_harness.hpp"
#include "kvm_scenarios.hpp"
#include "mdbsim/fixtures/scenarios.hpp"
#include "original_compare.hpp"

namespace kvmtest {
namespace {

void expect_same(mdbsim::sim::Target& t, const mdbsim::sim::kvm::BuiltKvm& kvm) {
    {
        // Guard against comparing two empty outputs: the original must really run.
        Harness h(t, original_dmod());
        Result r = h.run("::walk kvm | ::kvm_mmuinfo");
        EXPECT_EQ(std::count(r.out.begin(), r.out.end(), 'M') > 0, !kvm.vms.empty()) << r.err;
    }
    auto bad = compare_with_original(t, original_suite_commands(kvm));
    for (const Mismatch& m : bad) {
        ADD_FAILURE() << "command: " << m.command << "\n--- ours (" << m.ours.size()
                      << " bytes)\n" << m.ours.substr(0, 3000) << "\n--- original ("
                      << m.original.size() << " bytes)\n" << m.original.substr(0, 3000);
    }
}

class KvmOriginal : public ::testing::Test {
protected:
    void SetUp() override {
        if (original_dmod().empty())
            GTEST_SKIP() << "MDBSIM_ILLUMOS_KVM is not set: no original kvm dmod to compare with";
    }
};

TEST_F(KvmOriginal, BuiltScenarios) {
    BuiltScenario s = build({rich_vm(1), tiny_vm(2), rich_vm(3)});
    expect_same(*s.target, s.kvm);
}

// Every well-formed named scenario with at most 64 MiB of guest memory per VM, with its variants.
class KvmOriginalScenario : public ::testing::TestWithParam<const char*> {
protected:
    void SetUp() override {
        if (original_dmod().empty())
            GTEST_SKIP() << "MDBSIM_ILLUMOS_KVM is not set: no original kvm dmod to compare with";
    }
};

TEST_P(KvmOriginalScenario, SameStandardOutput) {
    mdbsim::fixtures::Scenario s = mdbsim::fixtures::make_scenario(GetParam());
    expect_same(*s.target, s.info.kvm);
}

INSTANTIATE_TEST_SUITE_P(
    Named, KvmOriginalScenario,
    ::testing::Values("minimal", "minimal,accessed=0", "minimal,size=1M", "typical",
                      "typical,accessed=0", "spt", "spt,accessed=0", "spt,large=1",
                      "spt,scatter=1", "spt,vcpus=2", "spt,size=64M"),
    [](const auto& info) {
        std::string n = info.param;
        for (char& c : n)
            if (!isalnum(static_cast<unsigned char>(c))) c = '_';
        return n;
    });

}  // namespace
}  // namespace kvmtest
