// The kvm dmod's walkers against what the builder wrote.
#include <gtest/gtest.h>

#include <algorithm>

#include "kvm_harness.hpp"
#include "kvm_scenarios.hpp"
#include "mdbsim/sim/kvm/ring.hpp"
#include <mdbsim/kvm/kvm_state.h>

namespace kvmtest {
namespace {

using namespace mdbsim::sim::kvm;

class KvmWalkers : public ::testing::Test {
protected:
    void SetUp() override {
        scen_ = build({rich_vm(1), tiny_vm(2), rich_vm(3)});
        h_ = std::make_unique<Harness>(*scen_.target);
    }
    BuiltScenario scen_;
    std::unique_ptr<Harness> h_;
};

TEST_F(KvmWalkers, KvmVisitsEveryVmInListOrder) {
    int rc = 0;
    auto seen = h_->walk("kvm", 0, &rc);
    ASSERT_EQ(rc, 0);
    ASSERT_EQ(seen.size(), 3u);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(seen[i], scen_.kvm.vms[i].kvm);
}

TEST_F(KvmWalkers, KvmRefusesALocalWalk) {
    auto r = h_->run(hex(scen_.kvm.vms[0].kvm) + "::walk kvm");
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("mdb: kvm does not support non-global walks\n"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("failed to perform walk: failed to initialize walk"), std::string::npos) << r.err;
    EXPECT_EQ(r.status, DCMD_ERR);
}

TEST_F(KvmWalkers, MemorySlotVisitsThe32UserSlots) {
    const BuiltVm& vm = scen_.kvm.vms[0];
    int rc = 0;
    auto seen = h_->walk("kvm_memory_slot", vm.kvm, &rc);
    ASSERT_EQ(rc, 0);
    ASSERT_EQ(seen.size(), 32u);
    for (size_t i = 0; i < 32; ++i) EXPECT_EQ(seen[i], vm.memslots + 8 + i * 112);
}

TEST_F(KvmWalkers, MemorySlotDataIsTheSlot) {
    const BuiltVm& vm = scen_.kvm.vms[0];
    struct Seen {
        std::vector<std::pair<uint64_t, uint64_t>> base_npages;
    } seen;
    h_->session().begin_command();
    int rc = h_->session().walk(
        "kvm_memory_slot",
        [](uintptr_t, const void* data, void* arg) {
            auto* s = static_cast<const struct kvm_memory_slot*>(data);
            static_cast<Seen*>(arg)->base_npages.emplace_back(s->base_gfn, s->npages);
            return WALK_NEXT;
        },
        &seen, vm.kvm);
    h_->session().end_command();
    ASSERT_EQ(rc, 0);
    ASSERT_EQ(seen.base_npages.size(), 32u);
    for (const MemslotSpec& m : vm.memslots_used) {
        EXPECT_EQ(seen.base_npages[m.index].first, m.base_gfn);
        EXPECT_EQ(seen.base_npages[m.index].second, m.npages);
    }
    EXPECT_EQ(seen.base_npages[2].second, 0u);
}

TEST_F(KvmWalkers, MemAliasVisitsNaliasesEntries) {
    const BuiltVm& vm = scen_.kvm.vms[0];
    int rc = 0;
    auto seen = h_->walk("kvm_mem_alias", vm.kvm, &rc);
    ASSERT_EQ(rc, 0);
    ASSERT_EQ(seen.size(), vm.alias_entries.size());
    for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], vm.aliases + i * 32);
    EXPECT_TRUE(h_->walk("kvm_mem_alias", scen_.kvm.vms[1].kvm, &rc).empty());
    EXPECT_EQ(rc, 0);
}

TEST_F(KvmWalkers, PerKvmWalkersRefuseGlobalWalks) {
    for (const char* w : {"kvm_memory_slot", "kvm_mem_alias", "kvm_ringbuf_entry", "kvm_vcpu",
                          "kvm_mmu_page"}) {
        auto r = h_->run(std::string("::walk ") + w);
        EXPECT_EQ(r.out, "") << w;
        EXPECT_NE(r.err.find(std::string("mdb: ") + w + " does not support global walks"),
                  std::string::npos)
            << w << ": " << r.err;
        EXPECT_EQ(r.status, DCMD_ERR) << w;
    }
}

TEST_F(KvmWalkers, RingbufWalksOldestToNewest) {
    for (const BuiltVm& vm : scen_.kvm.vms) {
        for (const BuiltVcpu& v : vm.vcpus) {
            int rc = 0;
            auto seen = h_->walk("kvm_ringbuf_entry", v.ringbuf, &rc);
            ASSERT_EQ(rc, 0);
            uint64_t n = v.ring.recorded;
            uint64_t first = n > 512 ? n - 512 : 0;
            ASSERT_EQ(seen.size(), n - first);
            for (uint64_t k = first; k < n; ++k)
                EXPECT_EQ(seen[k - first], v.ringbuf + (k & 511) * 32) << k;
        }
    }
}

TEST_F(KvmWalkers, VcpuVisitsOnlineVcpus) {
    for (const BuiltVm& vm : scen_.kvm.vms) {
        int rc = 0;
        auto seen = h_->walk("kvm_vcpu", vm.kvm, &rc);
        ASSERT_EQ(rc, 0);
        ASSERT_EQ(seen.size(), vm.vcpus.size());
        for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], vm.vcpus[i].addr);
    }
}

TEST_F(KvmWalkers, MmuPageVisitsTheTreeInPageOrder) {
    for (const BuiltVm& vm : scen_.kvm.vms) {
        int rc = 0;
        auto seen = h_->walk("kvm_mmu_page", vm.kvm, &rc);
        ASSERT_EQ(rc, 0);
        std::vector<BuiltShadowPage> pages = vm.shadow_pages;
        std::sort(pages.begin(), pages.end(),
                  [](const auto& a, const auto& b) { return a.page_t < b.page_t; });
        ASSERT_EQ(seen.size(), pages.size());
        for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], pages[i].mmu_page);
    }
}

TEST_F(KvmWalkers, WalkersAreListed) {
    auto r = h_->run("::walkers");
    for (const char* line : {"kvm                      - walk all the kvm structures\n",
                             "kvm_mem_alias            - walk kvm_mem_alias structures for a given kvm\n",
                             "kvm_memory_slot          - walk kvm_memory_slot structures for a given kvm\n",
                             "kvm_ringbuf_entry        - given a kvm_ringbuf_t, walk its entries\n"})
        EXPECT_NE(r.out.find(line), std::string::npos) << line;
}

}  // namespace
}  // namespace kvmtest
