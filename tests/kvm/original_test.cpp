// Our kvm dmod against the original kvm_mdb.c of each illumos-kvm version, on targets of that
// version's layout profile: the pre-ept fork's (MDBSIM_ILLUMOS_KVM) on layout=pre-ept, upstream's
// (MDBSIM_ILLUMOS_KVM_UPSTREAM) on layout=upstream. The same standard output, byte for byte, on
// every well-formed scenario of at most 64 MiB of guest memory per VM. One build of our dmod
// serves both.
#include <gtest/gtest.h>

#include <algorithm>

#include "kvm_harness.hpp"
#include "kvm_scenarios.hpp"
#include "mdbsim/fixtures/scenarios.hpp"
#include "original_compare.hpp"
#include "mdbsim/sim/kvm/layout.hpp"

#include <fmt/format.h>

namespace kvmtest {
namespace {

void expect_same(mdbsim::sim::Target& t, const mdbsim::sim::kvm::BuiltKvm& kvm,
                 const std::string& original = original_dmod()) {
    {
        // Guard against comparing two empty outputs: the original must really run.
        Harness h(t, original);
        Result r = h.run(original == upstream_dmod() ? "::walk kvm | ::kvm_gsiroutes" : "::walk kvm | ::kvm_mmuinfo");
        EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n') > 0, !kvm.vms.empty()) << r.err;
        EXPECT_EQ(r.err, "");
    }
    std::vector<std::string> commands = original_suite_commands(kvm);
    if (original == upstream_dmod()) {
        // Upstream has no ::kvm_mmuinfo; ours still has it (tested on every profile elsewhere).
        std::erase_if(commands, [](const std::string& c) { return c.find("kvm_mmuinfo") != std::string::npos; });
    }
    auto bad = compare_with_original(t, commands, original);
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

// Upstream's kvm_mdb.c on the same scenarios with layout=upstream.
class KvmUpstreamScenario : public ::testing::TestWithParam<const char*> {
protected:
    void SetUp() override {
        if (upstream_dmod().empty())
            GTEST_SKIP() << "MDBSIM_ILLUMOS_KVM_UPSTREAM is not set: no upstream kvm dmod to compare with";
    }
};

TEST_P(KvmUpstreamScenario, SameStandardOutput) {
    mdbsim::fixtures::Scenario s = mdbsim::fixtures::make_scenario(std::string(GetParam()) + ",layout=upstream");
    ASSERT_EQ(s.info.kvm.layout, "upstream");
    expect_same(*s.target, s.info.kvm, upstream_dmod());
}

TEST(KvmUpstream, BuiltScenarios) {
    if (upstream_dmod().empty())
        GTEST_SKIP() << "MDBSIM_ILLUMOS_KVM_UPSTREAM is not set";
    mdbsim::sim::Target t;
    mdbsim::sim::kvm::Layout::get("upstream").apply(t);
    mdbsim::sim::kvm::KvmBuilder b(t);
    for (const auto& vm : {rich_vm(1), tiny_vm(2), rich_vm(3)})
        b.add_vm(vm);
    mdbsim::sim::kvm::BuiltKvm k = b.finish();
    expect_same(t, k, upstream_dmod());
}

// The pre-ept original reads upstream targets at its own offsets: the comparison must see that
// (a test of the comparison, and the reason layouts are profiles).
TEST(KvmUpstream, PreEptOriginalDiffersOnUpstreamLayout) {
    if (original_dmod().empty())
        GTEST_SKIP() << "MDBSIM_ILLUMOS_KVM is not set";
    mdbsim::fixtures::Scenario s = mdbsim::fixtures::make_scenario("typical,layout=upstream");
    auto bad = compare_with_original(*s.target, {"::walk kvm | ::kvm_gsiroutes"}, original_dmod());
    EXPECT_EQ(bad.size(), 1u);
}

// ::load warns when a dmod's own CTF (the originals are built with -gctf) disagrees with the
// target's profile, naming the type, the member and both offsets; the dmod still loads and runs.
// On its own profile each original loads without a word. The offsets expected are the profiles'.
void expect_layout_warning(const std::string& dmod, const std::string& built_for, const std::string& other) {
    using mdbsim::sim::kvm::Layout;
    {
        auto s = mdbsim::fixtures::make_scenario("typical,layout=" + built_for);
        Harness h(*s.target, dmod);
        EXPECT_EQ(h.load_errors(), "") << built_for;
    }
    auto s = mdbsim::fixtures::make_scenario("typical,layout=" + other);
    Harness h(*s.target, dmod);
    const Layout& mine = Layout::get(built_for);
    const Layout& theirs = Layout::get(other);
    const std::string& err = h.load_errors();
    // struct kvm: arch is where it is in both, but of another size (kvm_arch differs).
    EXPECT_NE(err.find(fmt::format("mdb: kvm: struct kvm differs from the target's: member arch at offset {:#x} is {} "
                                   "bytes in kvm, {} in the target's (layout {})",
                                   mine.offset("struct kvm", "arch"), mine.field("struct kvm", "arch").size,
                                   theirs.field("struct kvm", "arch").size, other)),
              std::string::npos)
        << err;
    EXPECT_NE(err.find(fmt::format("; size {:#x}, {:#x}\n", mine.size("struct kvm"), theirs.size("struct kvm"))),
              std::string::npos)
        << err;
    // kvm_arch: a member at another offset.
    EXPECT_NE(err.find(fmt::format("mdb: kvm: struct kvm_arch differs from the target's: member xen_hvm_config at offset "
                                   "{:#x} in kvm, {:#x} in the target's (layout {})",
                                   mine.offset("struct kvm_arch", "xen_hvm_config"),
                                   theirs.offset("struct kvm_arch", "xen_hvm_config"), other)),
              std::string::npos)
        << err;
    EXPECT_NE(err.find("mdb: kvm was compiled for other structure layouts than the target's"), std::string::npos) << err;
    // Loaded all the same (what it then prints on this profile is wrong, which is the point).
    EXPECT_NE(h.session().registry().find_module("kvm"), nullptr);
    EXPECT_EQ(h.run("::help kvm_gsiroutes").status, 0);
}

TEST(KvmLayoutWarning, PreEptOriginalOnUpstream) {
    if (original_dmod().empty())
        GTEST_SKIP() << "MDBSIM_ILLUMOS_KVM is not set: no pre-ept original to load";
    expect_layout_warning(original_dmod(), "pre-ept", "upstream");
}

TEST(KvmLayoutWarning, UpstreamOriginalOnPreEpt) {
    if (upstream_dmod().empty())
        GTEST_SKIP() << "MDBSIM_ILLUMOS_KVM_UPSTREAM is not set: no upstream original to load";
    expect_layout_warning(upstream_dmod(), "upstream", "pre-ept");
}

INSTANTIATE_TEST_SUITE_P(
    Named, KvmUpstreamScenario,
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
