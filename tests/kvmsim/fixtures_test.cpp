// The scenario registry: spec parsing, parameters, info() records, determinism, scale.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <set>

#include "mdbsim/fixtures/scenarios.hpp"
#include "mdbsim/sim/kvm/translate.hpp"

namespace {

using namespace mdbsim;

TEST(Scenarios, ListedWithDescriptions) {
    std::set<std::string> names;
    for (const fixtures::ScenarioDesc& d : fixtures::list_scenarios()) {
        EXPECT_FALSE(d.description.empty()) << d.name;
        names.insert(d.name);
    }
    for (const char* n : {"empty", "minimal", "typical", "spt", "spt-1g", "spt-4g", "noroot", "corrupt"})
        EXPECT_TRUE(names.count(n)) << n;
    EXPECT_EQ(fixtures::kDefaultScenario, "typical");
}

TEST(Scenarios, SpecParsing) {
    struct Good {
        const char* in;
        const char* canonical;
    };
    for (const Good& g : {Good{"typical", "typical"}, Good{"spt,size=1G,large=1", "spt,large=1,size=1G"},
                          Good{" spt , accessed=0 ", "spt,accessed=0"},
                          Good{"corrupt,kind=alias-count,seed=3", "corrupt,kind=alias-count,seed=3"}})
        EXPECT_EQ(fixtures::parse_spec(g.in).str(), g.canonical) << g.in;

    struct Bad {
        const char* in;
        const char* must_name;
    };
    for (const Bad& b : {Bad{"nosuch", "nosuch"}, Bad{"typical,size=1M", "size"}, Bad{"spt,size=1M,size=2M", "size"},
                         Bad{"spt,large", "large"}, Bad{"", "name"}, Bad{"empty,x=1", "x"}}) {
        try {
            fixtures::parse_spec(b.in);
            ADD_FAILURE() << b.in;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(b.must_name), std::string::npos) << e.what();
        }
    }
}

TEST(Scenarios, BadParameterValuesAreRefused) {
    for (const char* spec : {"spt,size=12345", "spt,large=2", "spt,size=3M,large=1", "corrupt", "corrupt,kind=nope",
                             "corrupt,kind=alias-count,base=empty", "spt,vcpus=0", "minimal,size=lots"}) {
        sim::Target t;
        EXPECT_THROW(fixtures::build_scenario(t, spec), std::invalid_argument) << spec;
    }
}

TEST(Scenarios, Sizes) {
    EXPECT_EQ(fixtures::parse_size("4096"), 4096u);
    EXPECT_EQ(fixtures::parse_size("64K"), 65536u);
    EXPECT_EQ(fixtures::parse_size("16M"), 16u << 20);
    EXPECT_EQ(fixtures::parse_size("4G"), 4ULL << 30);
    EXPECT_THROW(fixtures::parse_size("4T"), std::invalid_argument);
    EXPECT_THROW(fixtures::parse_size("M"), std::invalid_argument);
}

TEST(Scenarios, EmptyHasNothing) {
    fixtures::Scenario s = fixtures::make_scenario("empty");
    EXPECT_TRUE(s.target->vmem().regions().empty());
    EXPECT_TRUE(s.target->pmem().regions().empty());
    EXPECT_EQ(s.target->symbols().size(), 0u);
    EXPECT_FALSE(fixtures::has_kvm_state(*s.target));
    EXPECT_EQ(s.target->info().at("scenario"), "empty");
}

TEST(Scenarios, InfoRecordsNameParamsAndCorruptions) {
    fixtures::Scenario s = fixtures::make_scenario("corrupt,kind=alias-count+ring-ent,seed=3");
    const auto& info = s.target->info();
    EXPECT_EQ(info.at("scenario"), "corrupt");
    EXPECT_EQ(info.at("scenario.param.seed"), "3");
    EXPECT_EQ(info.at("scenario.param.base"), "typical");
    EXPECT_EQ(info.at("scenario.corruption.0").rfind("alias-count: ", 0), 0u);
    EXPECT_EQ(info.at("scenario.corruption.1").rfind("ring-ent: ", 0), 0u);
    EXPECT_TRUE(fixtures::has_kvm_state(*s.target));
    ASSERT_EQ(s.info.corruptions.size(), 2u);

    fixtures::Scenario typical = fixtures::make_scenario("typical");
    EXPECT_EQ(typical.target->info().at("scenario.param.accessed"), "1");
    EXPECT_TRUE(fixtures::has_kvm_state(*typical.target));
    // A target made some other way is recognised by its vm_list symbol.
    typical.target->info().erase("kvm");
    EXPECT_TRUE(fixtures::has_kvm_state(*typical.target));
}

TEST(Scenarios, TypicalHasWhatItPromises) {
    fixtures::Scenario s = fixtures::make_scenario("typical");
    const auto& vms = s.info.kvm.vms;
    ASSERT_EQ(vms.size(), 3u);
    std::vector<size_t> vcpus;
    bool invalid_alias = false, wrapped = false, empty_ring = false, no_root = false;
    std::array<bool, 12> tags{};
    for (const auto& vm : vms) {
        vcpus.push_back(vm.vcpus.size());
        uint64_t guest = 0;
        for (const auto& e : vm.guest_map)
            guest += e.npages * 4096;
        EXPECT_LE(guest, 64ULL << 20);
        for (const auto& a : vm.alias_entries)
            invalid_alias = invalid_alias || (a.flags & sim::kvm::kAliasInvalid);
        for (const auto& v : vm.vcpus) {
            wrapped = wrapped || v.ring.recorded > 512;
            empty_ring = empty_ring || v.ring.recorded == 0;
            no_root = no_root || v.root_hpa == sim::kvm::kInvalidPage;
            const auto c = sim::kvm::ring_contents(v.ring);
            for (uint32_t t = 1; t <= 11; ++t)
                tags[t] = tags[t] || c.tagcount[t] > 0;
        }
        EXPECT_NE(vm.vcpus[0].root_hpa, sim::kvm::kInvalidPage) << "vCPU 0 of a well-formed VM has a root";
    }
    EXPECT_EQ(vcpus, (std::vector<size_t>{1, 2, 4}));
    EXPECT_TRUE(invalid_alias && wrapped && empty_ring && no_root);
    for (uint32_t t = 1; t <= 11; ++t)
        EXPECT_TRUE(tags[t]) << "tag " << t;
}

// typical,small=1 (the fuzzer's): the same VMs, vCPUs, rings, aliases and routes, every guest
// region in the same place with the same page size and a table at every level it had, with a
// sixteenth of the 4 KiB-page memory.
TEST(Scenarios, TypicalSmallKeepsTheLayout) {
    fixtures::Scenario full = fixtures::make_scenario("typical");
    fixtures::Scenario small = fixtures::make_scenario("typical,small=1");
    EXPECT_EQ(small.target->info().at("scenario.param.small"), "1");
    ASSERT_EQ(full.info.kvm.vms.size(), small.info.kvm.vms.size());
    uint64_t full_4k = 0, small_4k = 0;
    for (size_t i = 0; i < full.info.kvm.vms.size(); ++i) {
        const auto& f = full.info.kvm.vms[i];
        const auto& s = small.info.kvm.vms[i];
        EXPECT_EQ(f.kvmid, s.kvmid);
        ASSERT_EQ(f.vcpus.size(), s.vcpus.size());
        for (size_t v = 0; v < f.vcpus.size(); ++v) {
            EXPECT_EQ(f.vcpus[v].ring.recorded, s.vcpus[v].ring.recorded);
            EXPECT_EQ(f.vcpus[v].root_hpa == sim::kvm::kInvalidPage, s.vcpus[v].root_hpa == sim::kvm::kInvalidPage);
        }
        EXPECT_EQ(f.alias_entries.size(), s.alias_entries.size());
        EXPECT_EQ(f.memslots_used.size(), s.memslots_used.size());
        EXPECT_EQ(f.irq_routes.size(), s.irq_routes.size());
        // Each level's table count shrinks or stays, and no level loses all its tables.
        std::array<int, 5> ftables{}, stables{};
        for (const auto& p : f.shadow_pages) ++ftables.at(size_t(p.level));
        for (const auto& p : s.shadow_pages) ++stables.at(size_t(p.level));
        for (size_t l = 1; l <= 4; ++l) {
            EXPECT_LE(stables[l], ftables[l]) << "VM " << i << " level " << l;
            EXPECT_EQ(stables[l] > 0, ftables[l] > 0) << "VM " << i << " level " << l;
        }
        // 2 MiB pages unchanged.
        uint64_t flarge = 0, slarge = 0;
        for (const auto& e : f.guest_map) (e.large ? flarge : full_4k) += e.npages;
        for (const auto& e : s.guest_map) (e.large ? slarge : small_4k) += e.npages;
        EXPECT_EQ(flarge, slarge) << "VM " << i;
    }
    EXPECT_EQ(small_4k * 16, full_4k);
}

TEST(Scenarios, Deterministic) {
    fixtures::Scenario a = fixtures::make_scenario("typical");
    fixtures::Scenario b = fixtures::make_scenario("typical", sim::Backend::unicorn);
    ASSERT_EQ(a.info.kvm.vms.size(), b.info.kvm.vms.size());
    for (size_t i = 0; i < a.info.kvm.vms.size(); ++i) {
        const auto& va = a.info.kvm.vms[i];
        const auto& vb = b.info.kvm.vms[i];
        EXPECT_EQ(va.kvm, vb.kvm);
        EXPECT_EQ(va.guest_map, vb.guest_map);
        std::vector<uint8_t> ba(34400), bb(34400);
        a.target->get_bytes(va.kvm, ba.data(), ba.size());
        b.target->get_bytes(vb.kvm, bb.data(), bb.size());
        EXPECT_EQ(ba, bb);
        std::vector<uint8_t> ra(29280), rb(29280);
        a.target->get_bytes(va.vcpus[0].addr, ra.data(), ra.size());
        b.target->get_bytes(vb.vcpus[0].addr, rb.data(), rb.size());
        EXPECT_EQ(ra, rb);
    }
}

TEST(Scenarios, NorootKeepsTablesButNoRoot) {
    fixtures::Scenario s = fixtures::make_scenario("noroot");
    const auto& vm = s.info.kvm.vms.at(0);
    EXPECT_EQ(vm.vcpus[0].root_hpa, sim::kvm::kInvalidPage);
    EXPECT_EQ(s.target->peek<uint64_t>(vm.vcpus[0].addr + 0x4810), sim::kvm::kInvalidPage);
    EXPECT_FALSE(vm.shadow_pages.empty());
}

TEST(Scenarios, FourGiBGuestBuildsInSeconds) {
    const auto start = std::chrono::steady_clock::now();
    fixtures::Scenario s = fixtures::make_scenario("spt-4g");
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(secs, 30.0);
    const auto& vm = s.info.kvm.vms.at(0);
    EXPECT_EQ(vm.shadow_pages.size(), 1u + 1 + 4 + 2048);
    const auto map = sim::kvm::enumerate_mappings(*s.target, vm.root_hpa);
    ASSERT_EQ(map.size(), 1u);
    EXPECT_EQ(map[0].npages, 1ULL << 20);
    RecordProperty("build_seconds", std::to_string(secs));
}

}  // namespace

namespace {

TEST(Scenarios, EveryCorruptionAppliesToEveryBase) {
    for (const char* base : {"minimal", "spt"})
        for (auto kind : mdbsim::sim::kvm::all_corruptions()) {
            const std::string spec = fmt::format("corrupt,kind={},base={},seed=2", mdbsim::sim::kvm::to_string(kind), base);
            mdbsim::sim::Target t;
            try {
                const auto info = mdbsim::fixtures::build_scenario(t, spec);
                ASSERT_EQ(info.corruptions.size(), 1u);
                EXPECT_EQ(t.info().at("scenario.corruption.0"), info.corruptions[0].description);
            } catch (const std::exception& e) {
                ADD_FAILURE() << spec << ": " << e.what();
            }
        }
}

}  // namespace
