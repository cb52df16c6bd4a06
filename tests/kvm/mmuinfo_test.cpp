// ::kvm_mmuinfo held to the sim's reference translator and to the original's line formats.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <vm/page.h>

#include <cstddef>

#include "kvm_harness.hpp"
#include "kvm_scenarios.hpp"
#include "mdbsim/sim/kvm/translate.hpp"
#include "mmuinfo_parse.hpp"

namespace kvmtest {
namespace {

using namespace mdbsim::sim::kvm;

class KvmMmuinfo : public ::testing::Test {
protected:
    void SetUp() override {
        scen_ = build({rich_vm(1), tiny_vm(2)});
        h_ = std::make_unique<Harness>(*scen_.target);
    }
    const BuiltVm& vm(size_t i) const { return scen_.kvm.vms[i]; }
    BuiltScenario scen_;
    std::unique_ptr<Harness> h_;
};

TEST_F(KvmMmuinfo, HeaderLines) {
    const BuiltVm& v = vm(0);
    auto r = h_->run(hex(v.kvm) + "::kvm_mmuinfo");
    ASSERT_EQ(r.status, DCMD_OK) << r.err;
    auto ls = lines(r.out);
    ASSERT_GT(ls.size(), 13u);
    const BuiltShadowPage& root = v.shadow_pages[0];
    std::vector<std::string> want = {
        "",
        "MMU Info -- mmu: 0x" + hex(v.vcpus[0].mmu),
        "root_hpa: 0x" + hex(v.root_hpa) + " (valid)",
        "root_level: PT64_ROOT (0x4)",
        "pae_root... 0x" + hex(v.vcpus[0].pae_root),
        "  pae_root[0]: 0xffffffffff000 (INVALID)",
        "  pae_root[1]: 0xffffffffff000 (INVALID)",
        "  pae_root[2]: 0xffffffffff000 (INVALID)",
        "  pae_root[3]: 0xffffffffff000 (INVALID)",
        "",
        "",
        "Page Private for MMU Root:",
        "  page_private  0x" + hex(root.mmu_page) + "  sptkma 0x" + hex(root.sptkma),
    };
    for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(ls[i], want[i]) << i;
    EXPECT_EQ(r.err, "");
    // The listing ends with the last table's empty line and one more.
    ASSERT_GE(r.out.size(), 2u);
    EXPECT_EQ(r.out.substr(r.out.size() - 2), "\n\n");
}

TEST_F(KvmMmuinfo, LeavesAreExactlyTheReferenceMappings) {
    for (const BuiltVm& v : scen_.kvm.vms) {
        auto r = h_->run(hex(v.kvm) + "::kvm_mmuinfo");
        ASSERT_EQ(r.status, DCMD_OK) << r.err;
        MmuListing m = parse_mmuinfo(r.out);
        ASSERT_EQ(m.error, "");
        EXPECT_EQ(m.leaves, enumerate_mappings(*scen_.target, v.root_hpa));
        EXPECT_EQ(m.tables, v.shadow_pages.size());
        // Every note is the original's line under a leaf.
        for (const std::string& n : m.notes) EXPECT_EQ(n, "^^-- ERROR: no private data in avltree");
    }
}

TEST_F(KvmMmuinfo, EntryLinesUseTheOriginalFormat) {
    const BuiltVm& v = vm(1);  // one 4 KiB page: four entries, one per level
    auto r = h_->run(hex(v.kvm) + "::kvm_mmuinfo");
    auto ls = lines(r.out);
    ASSERT_EQ(v.shadow_pages.size(), 4u);
    // Indices for guest address 0x1000: 0, 0, 0, 1.
    std::vector<std::string> body(ls.begin() + 13, ls.end());
    ASSERT_EQ(body.size(), 10u) << r.out;
    auto pte_to = [&](int child) {
        return fmt::format("0x{:x}  (hpa 0x{:x})", (v.shadow_pages[child].pfn << 12) | 0x27,
                           v.shadow_pages[child].pfn);
    };
    EXPECT_EQ(body[0], "    [0]  " + pte_to(1));
    EXPECT_EQ(body[1], "        [0]  " + pte_to(2));
    EXPECT_EQ(body[2], "            [0]  " + pte_to(3));
    auto ext = enumerate_mappings(*scen_.target, v.root_hpa);
    ASSERT_EQ(ext.size(), 1u);
    uint64_t leaf = (ext[0].host_pfn << 12) | 0x27;
    auto leaf_pte = translate(*scen_.target, v.root_hpa, 0x1000);
    ASSERT_TRUE(leaf_pte);
    EXPECT_EQ(body[3], fmt::format("                [1]  0x{:x}  (hpa 0x{:x})", leaf_pte->pte,
                                   ext[0].host_pfn));
    EXPECT_EQ(leaf_pte->pte & ~0xfffULL, leaf & ~0xfffULL);
    EXPECT_EQ(body[4], "                          ^^-- ERROR: no private data in avltree");
    for (int i = 5; i < 9; ++i) EXPECT_EQ(body[i], "") << i;
    EXPECT_EQ(body[9], "");
}

TEST_F(KvmMmuinfo, LabelledLeaves) {
    const BuiltVm& v = vm(0);
    auto r = h_->run(hex(v.kvm) + "::kvm_mmuinfo -l");
    ASSERT_EQ(r.status, DCMD_OK) << r.err;
    MmuListing m = parse_mmuinfo(r.out);
    EXPECT_EQ(m.leaves, enumerate_mappings(*scen_.target, v.root_hpa));
    bool saw_2m = false;
    for (const std::string& n : m.notes) {
        EXPECT_TRUE(n == "^^-- leaf: 4K page" || n == "^^-- leaf: 2M page") << n;
        saw_2m |= n == "^^-- leaf: 2M page";
    }
    EXPECT_TRUE(saw_2m);
}

TEST_F(KvmMmuinfo, VerifyFindsNothingOnAWellFormedTable) {
    const BuiltVm& v = vm(0);
    auto r = h_->run(hex(v.kvm) + "::kvm_mmuinfo -v");
    EXPECT_EQ(r.status, DCMD_OK) << r.out << r.err;
    EXPECT_EQ(r.out.find("VIOLATION"), std::string::npos) << r.out;
    size_t nleaves = 0;
    for (const GuestExtent& e : enumerate_mappings(*scen_.target, v.root_hpa))
        nleaves += e.large ? e.npages / 512 : e.npages;
    EXPECT_NE(r.out.find(fmt::format("verified {} shadow tables and {} leaf entries: 0 violations, 0 errors\n",
                                     v.shadow_pages.size(), nleaves)),
              std::string::npos)
        << r.out;
}

TEST_F(KvmMmuinfo, OtherVcpu) {
    const BuiltVm& v = vm(0);
    auto r = h_->run(hex(v.kvm) + "::kvm_mmuinfo -c 1");
    ASSERT_EQ(r.status, DCMD_OK) << r.err;
    EXPECT_NE(r.out.find("MMU Info -- mmu: 0x" + hex(v.vcpus[1].mmu) + "\n"), std::string::npos);
    r = h_->run(hex(v.kvm) + "::kvm_mmuinfo -c 5");
    EXPECT_EQ(r.status, DCMD_ERR);
    EXPECT_NE(r.err.find("has no vCPU 5"), std::string::npos) << r.err;
    r = h_->run(hex(v.kvm) + "::kvm_mmuinfo -c 0t64");
    EXPECT_EQ(r.status, DCMD_ERR);
}

TEST_F(KvmMmuinfo, PositionalArgumentsAreUsageErrors) {
    auto r = h_->run(hex(vm(0).kvm) + "::kvm_mmuinfo foo");
    EXPECT_EQ(r.status, DCMD_USAGE);
    EXPECT_NE(r.err.find("Usage: kvm_mmuinfo"), std::string::npos) << r.err;
}

TEST_F(KvmMmuinfo, NoRootIsReported) {
    VmSpec spec = tiny_vm(1);
    spec.vcpus[0].root_loaded = false;
    BuiltScenario s = build({spec});
    Harness h(*s.target);
    auto r = h.run(hex(s.kvm.vms[0].kvm) + "::kvm_mmuinfo");
    EXPECT_EQ(r.status, DCMD_ERR);
    EXPECT_NE(r.out.find("root_hpa: 0xffffffffffffffff (INVALID)\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\nPage Private for MMU Root:\nERROR: could not find page private for MMU Root\n\n"),
              std::string::npos)
        << r.out;
}

TEST_F(KvmMmuinfo, PipelineOverEveryVm) {
    auto r = h_->run("::walk kvm | ::kvm_mmuinfo");
    EXPECT_EQ(r.status, DCMD_OK) << r.err;
    size_t n = 0;
    for (size_t p = r.out.find("MMU Info -- mmu:"); p != std::string::npos;
         p = r.out.find("MMU Info -- mmu:", p + 1))
        ++n;
    EXPECT_EQ(n, scen_.kvm.vms.size());
}

// The dmod reads the p_pagenum of consecutive frames in windows: a wrong p_pagenum anywhere in
// a run (first, middle, last of a window, just past it) is reported for exactly that frame, and
// every other leaf still prints as before.
TEST_F(KvmMmuinfo, PagenumCheckedForEveryLeafOfARun) {
    const BuiltVm& v = vm(0);
    const std::string cmd = hex(v.kvm) + "::kvm_mmuinfo";
    const auto clean = h_->run(cmd);
    ASSERT_EQ(clean.status, DCMD_OK) << clean.err;

    // Leaf frames in listing order: an entry line followed by a ^^-- line.
    std::vector<uint64_t> leaves;
    const auto ls = lines(clean.out);
    for (size_t i = 0; i + 1 < ls.size(); ++i) {
        const size_t at = ls[i].find("(hpa 0x");
        if (at != std::string::npos && ls[i + 1].find("^^--") != std::string::npos)
            leaves.push_back(std::stoull(ls[i].substr(at + 7), nullptr, 16));
    }
    size_t run_start = 0, run_len = 0;
    for (size_t i = 0, start = 0; i < leaves.size(); ++i) {
        if (i > 0 && leaves[i] != leaves[i - 1] + 1) start = i;
        if (i + 1 - start > run_len) {
            run_len = i + 1 - start;
            run_start = start;
        }
    }
    ASSERT_GE(run_len, 20u) << "the scenario has no run of consecutive leaf frames";

    // page_t of a frame, through the memseg chain as mdb_pfn2page finds it.
    mdbsim::sim::Target& t = *scen_.target;
    auto page_of = [&](uint64_t pfn) -> uint64_t {
        const auto* sym = t.symbols().lookup("memsegs");
        for (uint64_t m = t.peek<uint64_t>(sym->value()); m != 0; m = t.peek<uint64_t>(m + offsetof(struct memseg, next))) {
            const auto base = t.peek<uint64_t>(m + offsetof(struct memseg, pages_base));
            const auto end = t.peek<uint64_t>(m + offsetof(struct memseg, pages_end));
            if (pfn >= base && pfn < end)
                return t.peek<uint64_t>(m + offsetof(struct memseg, pages)) + (pfn - base) * sizeof(page_t);
        }
        return 0;
    };
    for (size_t k : {size_t{0}, size_t{1}, size_t{7}, size_t{15}, size_t{16}, size_t{17}, run_len - 1}) {
        const uint64_t pfn = leaves[run_start + k];
        const uint64_t page = page_of(pfn);
        ASSERT_NE(page, 0u);
        const uint64_t field = page + offsetof(page_t, p_pagenum);
        t.put<uint64_t>(field, pfn + 0x1000);
        const auto r = h_->run(cmd);
        t.put<uint64_t>(field, pfn);
        const std::string want = fmt::format("ERROR: leaf pfn {:#x} has no page_t: page_t {:#x} is that of pfn {:#x}",
                                             pfn, page, pfn + 0x1000);
        EXPECT_NE(r.out.find(want), std::string::npos) << "leaf " << k << " of the run:\n" << want;
        size_t errors = 0;
        for (const auto& l : lines(r.out)) errors += l.find("has no page_t") != std::string::npos;
        EXPECT_EQ(errors, 1u) << "leaf " << k;
        // Everything else is the clean listing.
        auto rl = lines(r.out);
        EXPECT_EQ(rl.size(), ls.size());
    }
}

}  // namespace
}  // namespace kvmtest
