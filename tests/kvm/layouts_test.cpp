// Layout profiles: the builders write each profile's structures by member name, ::print shows the
// target's profile, images keep it, and our one kvm dmod reads every profile.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "kvm_harness.hpp"
#include "mdbsim/fixtures/scenarios.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/host/types.hpp"
#include "mdbsim/sim/image.hpp"
#include "mdbsim/sim/kvm/layout.hpp"

namespace kvmtest {
namespace {

using mdbsim::sim::kvm::Layout;

TEST(Layouts, ProfilesFromTheTable) {
    std::vector<std::string> names;
    for (const Layout* l : Layout::all())
        names.push_back(l->name());
    EXPECT_EQ(names, (std::vector<std::string>{"pre-ept", "upstream"}));
    EXPECT_EQ(&Layout::default_layout(), &Layout::get("pre-ept"));
}

// Offsets from each profile's CTF: the numbers of layouts.md (pre-ept) and of the upstream
// checkout's headers (tests/sdk/upstream_layout_check.c).
TEST(Layouts, OffsetsPerProfile) {
    const Layout& pre = Layout::get("pre-ept");
    const Layout& up = Layout::get("upstream");
    EXPECT_EQ(pre.size("struct kvm"), 34400u);
    EXPECT_EQ(up.size("struct kvm"), 34432u);
    EXPECT_EQ(pre.offset("struct kvm", "irq_routing"), 0x85d0u);
    EXPECT_EQ(up.offset("struct kvm", "irq_routing"), 0x85f0u);
    EXPECT_EQ(pre.offset("struct kvm", "arch.aliases"), up.offset("struct kvm", "arch.aliases"));
    EXPECT_EQ(pre.offset("struct kvm_vcpu", "arch.mmu.root_hpa"), 0x4810u);
    EXPECT_EQ(up.offset("struct kvm_vcpu", "arch.mmu"), 0x4690u + 0x138u);
    EXPECT_EQ(up.offset("kvm_ringbuf_t", "kvmr_ent"), 0x41d4u);
    EXPECT_EQ(up.field("struct kvm", "vcpus[3]").offset, 0x40u + 3 * 8);
    EXPECT_EQ(up.field("struct kvm", "vcpus[3]").size, 8u);
    // A member inside an anonymous union, at the union's offset plus its own.
    EXPECT_EQ(pre.offset("struct kvm_mmu_page", "parent_pte"), 0xa0u);
    EXPECT_EQ(up.members("kvm_vcpu_stats_t").size(), 22u);
    EXPECT_EQ(pre.members("kvm_vcpu_stats_t").size(), 23u);
}

TEST(Layouts, ClearErrors) {
    try {
        Layout::get("nope");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "unknown layout 'nope' (known: pre-ept, upstream)");
    }
    try {
        Layout::get("upstream").offset("struct kvm", "arch.vm_init_tsc");
        FAIL();
    } catch (const std::logic_error& e) {
        EXPECT_STREQ(e.what(), "layout 'upstream': struct kvm has no member arch.vm_init_tsc (at 'vm_init_tsc')");
    }
    EXPECT_THROW(mdbsim::fixtures::make_scenario("typical,layout=nope"), std::invalid_argument);
}

TEST(Layouts, PrintShowsTheProfile) {
    for (const char* layout : {"pre-ept", "upstream"}) {
        auto s = mdbsim::fixtures::make_scenario(std::string("minimal,layout=") + layout);
        EXPECT_EQ(s.info.kvm.layout, layout);
        EXPECT_EQ(s.target->info().at("layout"), layout);
        Harness h(*s.target);
        const Result r = h.run("::sizeof struct kvm");
        EXPECT_EQ(r.out, std::string("sizeof (struct kvm) = ") + (layout == std::string("upstream") ? "0x8680" : "0x8660") + "\n");
        const Result m = h.run("::offsetof struct kvm_arch host_xcr0");
        EXPECT_EQ(m.out.empty(), layout != std::string("upstream")) << m.out << m.err;
    }
}

// The same commands on both profiles print the same (only addresses inside the larger upstream
// structures move): our dmod reads each profile at that profile's offsets.
TEST(Layouts, OurDmodReadsEveryProfile) {
    // One session at a time: a session is the current one while it lives.
    auto run_on = [](const char* spec, const std::vector<std::string>& cmds) {
        auto s = mdbsim::fixtures::make_scenario(spec);
        Harness h(*s.target);
        std::vector<Result> out;
        for (const std::string& c : cmds)
            out.push_back(h.run(c));
        return out;
    };
    const std::vector<std::string> cmds = {
        "::walk kvm | ::kvm_gsiroutes", "::walk kvm | ::kvm",
        "::walk kvm | ::walk kvm_memory_slot | ::print struct kvm_memory_slot base_gfn npages",
        "::walk kvm | ::walk kvm_mem_alias | ::print struct kvm_mem_alias target_gfn",
        "::walk kvm | ::walk kvm_vcpu | ::print struct kvm_vcpu vcpu_id kvcpu_ringbuf.kvmr_ent",
        "::walk kvm | ::walk kvm_vcpu | ::print -a struct kvm_vcpu kvcpu_ringbuf ! wc -l",
        "::walk kvm | ::kvm_mmuinfo ! grep -c 'root_level: PT64_ROOT (0x4)'"};
    const std::vector<Result> pre = run_on("typical", cmds), up = run_on("typical,layout=upstream", cmds);
    for (size_t i = 0; i < cmds.size(); ++i) {
        EXPECT_EQ(pre[i].err, "") << cmds[i];
        EXPECT_EQ(up[i].err, "") << cmds[i];
        EXPECT_FALSE(up[i].out.empty()) << cmds[i];
    }
    // The values are the same in both profiles; only where they sit differs.
    EXPECT_EQ(pre[0].out, up[0].out);
    EXPECT_EQ(pre[2].out, up[2].out);
    EXPECT_EQ(pre[3].out, up[3].out);
    EXPECT_EQ(pre[4].out, up[4].out);
    // ::kvm_mmuinfo, which upstream's dmod lacks, on upstream targets: every VM's root.
    EXPECT_EQ(up[6].out, "3\n");
    EXPECT_EQ(pre[6].out, up[6].out);
}

TEST(Layouts, ImagesKeepTheirProfile) {
    auto s = mdbsim::fixtures::make_scenario("minimal,layout=upstream");
    char path[] = "/tmp/mdbsim-layout-XXXXXX";
    const int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    mdbsim::sim::save_image(*s.target, path);
    auto img = mdbsim::sim::open_image(path);
    std::remove(path);
    std::remove((std::string(path) + ".syms").c_str());
    EXPECT_EQ(&Layout::of(*img), &Layout::get("upstream"));
    const std::vector<const char*> cmds = {"::sizeof struct kvm", "::walk kvm | ::kvm_gsiroutes",
                                           "::walk kvm | ::kvm_mmuinfo"};
    std::vector<std::string> live, saved;
    {
        Harness h(*s.target);
        for (const char* c : cmds) live.push_back(h.run(c).out);
    }
    {
        Harness h(*img);
        for (const char* c : cmds) saved.push_back(h.run(c).out);
    }
    EXPECT_EQ(live, saved);
    EXPECT_EQ(saved[0], "sizeof (struct kvm) = 0x8680\n");
}

// ::load compares a dmod's own CTF with the target's profile. Our dmod is compiled with the pre-ept
// headers but reads the members that differ at the target's offsets, and says so
// (MDBSIM_TARGET_LAYOUT_TYPES in kvm_read.c): it loads without a warning on every profile. Without
// that list its CTF (which ld links from many units) does disagree with upstream's.
TEST(LayoutWarning, OurDmodLoadsQuietlyOnEveryProfile) {
    for (const Layout* l : Layout::all()) {
        auto s = mdbsim::fixtures::make_scenario("minimal,layout=" + l->name());
        Harness h(*s.target);
        EXPECT_EQ(h.load_errors(), "") << l->name();
        const mdbsim::host::Module* m = h.session().registry().find_module("kvm");
        ASSERT_NE(m, nullptr);
        auto& types = mdbsim::host::session_types(h.session());
        ASSERT_TRUE(types.dmod_has_ctf(*m)) << "our dmod's CTF cannot be read";
        const auto all = types.dmod_layout_mismatches(*m, {});
        std::vector<std::string> names;
        for (const auto& mm : all) names.push_back(mm.type);
        std::sort(names.begin(), names.end());
        if (l->name() == "pre-ept") {
            EXPECT_EQ(names, std::vector<std::string>{});
        } else {
            EXPECT_EQ(names, (std::vector<std::string>{"struct kvm", "struct kvm_arch", "struct kvm_ringbuf",
                                                       "struct kvm_vcpu", "struct kvm_vcpu_arch",
                                                       "struct kvm_vcpu_stats"}));
        }
    }
}

}  // namespace
}  // namespace kvmtest
