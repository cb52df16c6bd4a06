// Every corruption the sim can apply, under every walker and dcmd: each run must end (no hang,
// no crash) and the damage must show as a clear error where the dmod can see it.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "kvm_harness.hpp"
#include "kvm_scenarios.hpp"
#include "mdbsim/sim/kvm/corrupt.hpp"

namespace kvmtest {
namespace {

using namespace mdbsim::sim::kvm;

struct Damaged {
    BuiltScenario scen;
    AppliedCorruption applied;
};

Damaged damaged(Corruption kind, uint64_t seed, std::optional<int64_t> value = std::nullopt) {
    Damaged d{build({rich_vm(1), rich_vm(2)}), {}};
    d.applied = apply_corruption(*d.scen.target, d.scen.kvm, {kind, seed, value});
    return d;
}

// Everything a user would run on a VM.
std::string all_commands(const BuiltVm& vm) {
    std::string k = hex(vm.kvm);
    std::string s = "::walk kvm\n::kvm\n" + k + "::kvm\n" + k + "::walk kvm_memory_slot\n" + k +
                    "::walk kvm_mem_alias\n" + k + "::walk kvm_vcpu\n" + k + "::walk kvm_mmu_page\n" +
                    "1000::kvm_gpa2qva " + k + "\n" + k + "::kvm_gsiroutes\n" + k +
                    "::kvm_mmuinfo\n" + k + "::kvm_mmuinfo -v\n" + k + "::kvm_mmuinfo -l\n" +
                    "::walk kvm | ::kvm_mmuinfo\n";
    for (const BuiltVcpu& v : vm.vcpus)
        s += hex(v.ringbuf) + "::walk kvm_ringbuf_entry | ::kvm_ringbuf_entry\n";
    return s;
}

class KvmCorrupt : public ::testing::TestWithParam<Corruption> {};

TEST_P(KvmCorrupt, EveryCommandEnds) {
    for (uint64_t seed : {0, 1, 2}) {
        Damaged d;
        try {
            d = damaged(GetParam(), seed);
        } catch (const std::invalid_argument& e) {
            GTEST_SKIP() << e.what();
        }
        SCOPED_TRACE(d.applied.description);
        Harness h(*d.scen.target);
        std::string out, err;
        // One command at a time, so that an aborted command does not hide the ones after it.
        for (const BuiltVm& vm : d.scen.kvm.vms) {
            for (const std::string& c : lines(all_commands(vm))) {
                Result r = h.run(c);
                out += r.out;
                err += r.err;
            }
        }
        // Damage the dmod reads must be visible, in the listing or on standard error. (A changed
        // ring count or an unused pae_root page is legitimately invisible.)
        if (GetParam() != Corruption::ring_ent && GetParam() != Corruption::unmap_pae_root) {
            EXPECT_TRUE(!err.empty() || out.find("ERROR") != std::string::npos ||
                        out.find("VIOLATION") != std::string::npos);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(AllKinds, KvmCorrupt, ::testing::ValuesIn(all_corruptions()),
                         [](const auto& info) {
                             std::string n(to_string(info.param));
                             for (char& c : n)
                                 if (c == '-') c = '_';
                             return n;
                         });

// Specific damage, specific message.

TEST(KvmCorruptMessages, NaliasesOutOfRangeIsClampedWithAWarning) {
    for (int64_t v : {5, 1000, -1}) {
        Damaged d = damaged(Corruption::alias_count, 0, v);
        const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
        Harness h(*d.scen.target);
        int rc = 0;
        auto seen = h.walk("kvm_mem_alias", vm.kvm, &rc);
        EXPECT_EQ(rc, 0);
        EXPECT_EQ(seen.size(), v < 0 ? 0u : 4u) << v;
        auto r = h.run(hex(vm.kvm) + "::walk kvm_mem_alias");
        EXPECT_NE(r.err.find(fmt::format("claim {} aliases, but only 0 to 4 (KVM_ALIAS_SLOTS) exist", v)),
                  std::string::npos)
            << r.err;
    }
}

TEST(KvmCorruptMessages, UnreadableMemslotsFailTheWalk) {
    Damaged d = damaged(Corruption::memslots_wild, 0);
    const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
    Harness h(*d.scen.target);
    auto r = h.run(hex(vm.kvm) + "::walk kvm_memory_slot");
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("mdb: couldn't read memslots at " + hex(d.applied.new_value)), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("failed to perform walk"), std::string::npos) << r.err;
    EXPECT_EQ(r.status, DCMD_ERR);
    r = h.run("1000::kvm_gpa2qva " + hex(vm.kvm));
    EXPECT_NE(r.err.find("failed to walk 'kvm_memory_slot' for " + hex(vm.kvm)), std::string::npos) << r.err;
    EXPECT_EQ(r.status, DCMD_ERR);
}

TEST(KvmCorruptMessages, UnreadableAliasesFailGpa2qvaNamingTheAliasWalker) {
    Damaged d = damaged(Corruption::aliases_wild, 0);
    const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
    Harness h(*d.scen.target);
    auto r = h.run("1000::kvm_gpa2qva " + hex(vm.kvm));
    EXPECT_NE(r.err.find("couldn't read aliases at"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("failed to walk 'kvm_mem_alias' for " + hex(vm.kvm)), std::string::npos) << r.err;
    EXPECT_EQ(r.status, DCMD_ERR);
}

TEST(KvmCorruptMessages, ShadowCyclesAreReportedNotFollowed) {
    for (Corruption kind : {Corruption::spt_ancestor, Corruption::spt_self}) {
        Damaged d = damaged(kind, 0);
        const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
        Harness h(*d.scen.target);
        auto r = h.run(hex(vm.kvm) + "::kvm_mmuinfo");
        EXPECT_EQ(r.status, DCMD_ERR) << d.applied.description;
        EXPECT_NE(r.out.find("^^-- ERROR: cycle: kvm_mmu_page 0x"), std::string::npos)
            << d.applied.description << "\n" << r.out.substr(0, 4000);
    }
}

TEST(KvmCorruptMessages, FrameWithoutPageTIsReported) {
    Damaged d = damaged(Corruption::pte_no_page, 0);
    const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
    Harness h(*d.scen.target);
    auto r = h.run(hex(vm.kvm) + "::kvm_mmuinfo -v");
    EXPECT_EQ(r.status, DCMD_ERR);
    EXPECT_NE(r.out.find("has no page_t: no memseg covers it"), std::string::npos)
        << d.applied.description;
}

TEST(KvmCorruptMessages, AvlCycleEndsWithAnError) {
    Damaged d = damaged(Corruption::avl_cycle, 0);
    const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
    Harness h(*d.scen.target);
    auto r = h.run(hex(vm.kvm) + "::walk kvm_mmu_page");
    EXPECT_FALSE(r.err.empty());
    // Searches for existing keys never take the bad link, so the listing itself still works;
    // -v walks the whole tree and must fail on the cycle.
    r = h.run(hex(vm.kvm) + "::kvm_mmuinfo");
    EXPECT_EQ(r.status, DCMD_OK) << d.applied.description;
    r = h.run(hex(vm.kvm) + "::kvm_mmuinfo -v");
    EXPECT_EQ(r.status, DCMD_ERR) << d.applied.description;
    EXPECT_FALSE(r.err.empty());
}

TEST(KvmCorruptMessages, VmListCycleEnds) {
    Damaged d = damaged(Corruption::vm_list_cycle, 0);
    Harness h(*d.scen.target);
    auto r = h.run("::walk kvm");
    EXPECT_FALSE(r.err.empty());
    EXPECT_EQ(r.status, DCMD_ERR);
}

TEST(KvmCorruptMessages, RootGarbage) {
    Damaged d = damaged(Corruption::root_garbage, 0);
    const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
    Harness h(*d.scen.target);
    auto r = h.run(hex(vm.kvm) + "::kvm_mmuinfo");
    EXPECT_EQ(r.status, DCMD_ERR);
    EXPECT_NE(r.out.find("ERROR: could not find page private for MMU Root\n\n"), std::string::npos);
}

TEST(KvmCorruptMessages, VerifyReportsAvlOrderAndPagenum) {
    for (Corruption kind : {Corruption::avl_order, Corruption::memseg_pagenum}) {
        Damaged d = damaged(kind, 0);
        const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
        Harness h(*d.scen.target);
        auto r = h.run(hex(vm.kvm) + "::kvm_mmuinfo -v");
        EXPECT_EQ(r.status, DCMD_ERR) << d.applied.description;
        EXPECT_TRUE(r.out.find("VIOLATION") != std::string::npos ||
                    r.out.find("ERROR") != std::string::npos)
            << d.applied.description;
    }
}

}  // namespace
}  // namespace kvmtest
