// ::kvm_gpa2qva, ::kvm_gsiroutes, ::kvm_ringbuf_entry and ::kvm against what the builder wrote.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "kvm_harness.hpp"
#include "kvm_scenarios.hpp"
#include "mdbsim/sim/kvm/ring.hpp"

namespace kvmtest {
namespace {

using namespace mdbsim::sim::kvm;

class KvmDcmds : public ::testing::Test {
protected:
    void SetUp() override {
        scen_ = build({rich_vm(1), tiny_vm(2)});
        h_ = std::make_unique<Harness>(*scen_.target);
    }
    const BuiltVm& vm(size_t i) const { return scen_.kvm.vms[i]; }
    uint64_t qva_of(size_t v, unsigned slot_index, uint64_t gfn, uint64_t off) const {
        for (const MemslotSpec& m : vm(v).memslots_used)
            if (m.index == slot_index) return m.userspace_addr + ((gfn - m.base_gfn) << 12) + off;
        ADD_FAILURE() << "no slot " << slot_index;
        return 0;
    }
    BuiltScenario scen_;
    std::unique_ptr<Harness> h_;
};

TEST_F(KvmDcmds, Gpa2qvaTranslatesThroughSlots) {
    std::string k = hex(vm(0).kvm);
    auto r = h_->run("1234::kvm_gpa2qva " + k);
    EXPECT_EQ(r.out, hex(qva_of(0, 0, 0x1, 0x234)) + "\n");
    EXPECT_EQ(r.status, DCMD_OK);
    r = h_->run("100000abc::kvm_gpa2qva " + k);
    EXPECT_EQ(r.out, hex(qva_of(0, 7, 0x100000, 0xabc)) + "\n");
    r = h_->run("0::kvm_gpa2qva " + k);
    EXPECT_EQ(r.out, hex(qva_of(0, 0, 0, 0)) + "\n");
}

TEST_F(KvmDcmds, Gpa2qvaAppliesTheFirstValidAlias) {
    std::string k = hex(vm(0).kvm);
    // gfn 0xc3 is aliased to 0x203 (slot 1); gfn 0xa5 only matches the invalid alias (slot 0).
    auto r = h_->run("c3010::kvm_gpa2qva " + k);
    EXPECT_EQ(r.out, hex(qva_of(0, 1, 0x203, 0x10)) + "\n");
    r = h_->run("a5000::kvm_gpa2qva " + k);
    EXPECT_EQ(r.out, "");  // 0xa5 is past slot 0 (0xa0 pages) and before slot 1
    EXPECT_EQ(r.status, DCMD_ERR);
    EXPECT_NE(r.err.find("mdb: 0xa5000 is unknown for kvm 0x" + k), std::string::npos) << r.err;
}

TEST_F(KvmDcmds, Gpa2qvaTakesAnImmediateKvm) {
    auto r = h_->run(fmt::format("1000::kvm_gpa2qva $[0x{:x}]", vm(1).kvm));
    EXPECT_EQ(r.out, hex(qva_of(1, 0, 1, 0)) + "\n");
}

TEST_F(KvmDcmds, Gpa2qvaUsage) {
    auto r = h_->run("::kvm_gpa2qva " + hex(vm(0).kvm));
    EXPECT_NE(r.err.find("Usage: [address]::kvm_gpa2qva [address of kvm]"), std::string::npos) << r.err;
    EXPECT_EQ(r.status, DCMD_USAGE);
    r = h_->run("1000::kvm_gpa2qva");
    EXPECT_EQ(r.status, DCMD_USAGE);
}

TEST_F(KvmDcmds, Gpa2qvaUnreadableKvm) {
    auto r = h_->run("1000::kvm_gpa2qva 1234");
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("mdb: couldn't read kvm at 1234: "), std::string::npos) << r.err;
    EXPECT_EQ(r.status, DCMD_ERR);
}

TEST_F(KvmDcmds, GsiroutesPrints72Lines) {
    auto r = h_->run(hex(vm(0).kvm) + "::kvm_gsiroutes");
    auto ls = lines(r.out);
    ASSERT_EQ(ls.size(), 73u);
    EXPECT_EQ(ls[0], "CHIP    PORT   GSI");
    EXPECT_EQ(ls[1], "  0       0    0x0");
    EXPECT_EQ(ls[2], "  0       1    0x1");
    EXPECT_EQ(ls[3], "  0       2    0xffffffff");
    EXPECT_EQ(ls[25], "  1       0    0x8");
    EXPECT_EQ(ls[49], "  2       0    0x2");
    EXPECT_EQ(ls[72], "  2      23    0x17");
    EXPECT_EQ(r.status, DCMD_OK);
}

TEST_F(KvmDcmds, GsiroutesWithoutATable) {
    BuiltScenario s;
    VmSpec spec = tiny_vm(5);
    spec.has_irq_routing = false;
    s = build({spec});
    Harness h(*s.target);
    auto r = h.run(hex(s.kvm.vms[0].kvm) + "::kvm_gsiroutes");
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("mdb: couldn't read kvm irq routing table at 0: "), std::string::npos) << r.err;
    EXPECT_EQ(r.status, DCMD_ERR);
}

std::string tag_name(uint32_t tag) {
    static const char* names[] = {"????", "save", "restore", "vmptrld", "migrate", "clear", "load",
                                  "put", "reload", "efail-0", "efail-1", "efail-2"};
    return tag < 12 ? names[tag] : "????";
}

TEST_F(KvmDcmds, RingbufPipelinePrintsEveryEntryOldestFirst) {
    const BuiltVcpu& v = vm(0).vcpus[1];  // 1300 recorded: wrapped
    auto r = h_->run(hex(v.ringbuf) + "::walk kvm_ringbuf_entry | ::kvm_ringbuf_entry");
    auto ls = lines(r.out);
    ASSERT_EQ(ls.size(), 513u);
    EXPECT_EQ(ls[0], "            ADDR         TIMESTAMP CPU           THREAD TAG              PAYLOAD");
    for (uint64_t n = 1300 - 512; n < 1300; ++n) {
        RingEvent e = ring_event(v.ring, n);
        std::string want = fmt::format("{:>16x} {:>17} {:>3} {:>16x} {:<7} {:>16x}",
                                       v.ringbuf + (n & 511) * 32, static_cast<int64_t>(e.tsc),
                                       static_cast<int32_t>(e.cpuid), e.thread, tag_name(e.tag),
                                       e.payload);
        ASSERT_EQ(ls[1 + n - (1300 - 512)], want) << n;
    }
}

TEST_F(KvmDcmds, RingbufEntryNeedsAnAddress) {
    auto r = h_->run("::kvm_ringbuf_entry");
    EXPECT_EQ(r.status, DCMD_USAGE);
    r = h_->run("8::kvm_ringbuf_entry");
    EXPECT_NE(r.err.find("mdb: couldn't read entry at 8: "), std::string::npos) << r.err;
    EXPECT_EQ(r.status, DCMD_ERR);
}

TEST_F(KvmDcmds, SummaryListsEveryVm) {
    auto r = h_->run("::kvm");
    auto ls = lines(r.out);
    ASSERT_EQ(ls.size(), 3u) << r.out;
    EXPECT_EQ(ls[0], "            ADDR VCPUS MEMSLOTS ALIASES SHADOWPAGES");
    for (size_t i = 0; i < 2; ++i) {
        const BuiltVm& v = vm(i);
        EXPECT_EQ(ls[1 + i], fmt::format("{:>16x} {:>5} {:>8} {:>7} {:>11}", v.kvm, v.vcpus.size(),
                                          v.memslots_used.size(), v.alias_entries.size(),
                                          v.shadow_pages.size()));
    }
    EXPECT_EQ(r.status, DCMD_OK);
    r = h_->run(hex(vm(1).kvm) + "::kvm");
    EXPECT_EQ(lines(r.out).size(), 2u);
}

TEST_F(KvmDcmds, SummaryHelpDocumentsTheColumns) {
    auto r = h_->run("::help kvm");
    for (const char* col : {"ADDR", "VCPUS", "MEMSLOTS", "ALIASES", "SHADOWPAGES"})
        EXPECT_NE(r.out.find(std::string("  ") + col), std::string::npos) << col << r.out;
}

TEST_F(KvmDcmds, DcmdsAreListedWithTheOriginalsDescriptions) {
    auto r = h_->run("::dcmds");
    for (const char* d :
         {"kvm_gpa2qva              - translate a guest physical to a QEMU virtual address\n",
          "kvm_gsiroutes            - print out the global system interrupt (GSI) routing table\n",
          "kvm_mmuinfo              - print info about the mmu for a kvm\n",
          "kvm_ringbuf_entry        - print out a kvm ring buffer entry\n"})
        EXPECT_NE(r.out.find(d), std::string::npos) << d;
}

}  // namespace
}  // namespace kvmtest
