// Each corruption kind does what its description says: the reported word holds the new value
// (in both views for PTEs), the reported range is unreadable, and the damage shows up where the
// kind promises (walks that never end, lookups that fail, trees out of order).
#include <gtest/gtest.h>

#include <mdbsim/kvm/kvm_state.h>

#include <fmt/format.h>

#include <set>

#include "mdbsim/fixtures/scenarios.hpp"
#include "mdbsim/sim/kvm/corrupt.hpp"
#include "mdbsim/sim/kvm/translate.hpp"
#include "readback.hpp"

namespace {

using namespace mdbsim;
using namespace mdbsim::sim::kvm;
using kvmsim_test::readable;

struct KindCase {
    Corruption kind;
    uint64_t seed;
};

class EachKind : public ::testing::TestWithParam<KindCase> {};

uint64_t read_width(const sim::Target& t, uint64_t addr, unsigned width) {
    uint64_t v = 0;
    t.get_bytes(addr, &v, width);
    return v;
}

void check_semantics(sim::Target& t, const BuiltKvm& k, const AppliedCorruption& a) {
    const BuiltVm& vm = k.vms[a.vm];
    switch (a.kind) {
    case Corruption::vm_list_wild: case Corruption::vm_list_null: case Corruption::vm_list_self:
    case Corruption::vm_list_cycle: {
        const auto w = kvmsim_test::walk_list(t, k.vm_list, 1000);
        EXPECT_FALSE(w.reached_sentinel);
        if (a.kind == Corruption::vm_list_self || a.kind == Corruption::vm_list_cycle) {
            EXPECT_EQ(w.elements.size(), 1000u) << "a cycle avoiding the sentinel walks for ever";
        }
        break;
    }
    case Corruption::memslots_wild: case Corruption::aliases_wild: case Corruption::irq_routing_wild:
    case Corruption::vcpu0_wild:
        EXPECT_FALSE(readable(t, a.new_value, 1));
        break;
    case Corruption::memslots_self: case Corruption::aliases_self: case Corruption::irq_routing_self:
    case Corruption::vcpu0_self:
        EXPECT_EQ(a.new_value, vm.kvm);
        break;
    case Corruption::memslots_null: case Corruption::aliases_null: case Corruption::irq_routing_null:
    case Corruption::vcpu0_null:
        EXPECT_EQ(a.new_value, 0u);
        break;
    case Corruption::unmap_kvm:
        EXPECT_FALSE(readable(t, vm.kvm, 1));
        break;
    case Corruption::unmap_kvm_partial:
        EXPECT_TRUE(readable(t, vm.kvm, 32768));
        EXPECT_FALSE(readable(t, vm.kvm, sizeof(struct kvm)));
        break;
    case Corruption::unmap_memslots:
        EXPECT_FALSE(readable(t, vm.memslots, 1));
        break;
    case Corruption::unmap_memslots_partial: {
        const uint64_t p = t.peek<uint64_t>(vm.kvm + 0x18);
        EXPECT_EQ(p, a.new_value);
        EXPECT_TRUE(readable(t, p, 8));
        EXPECT_FALSE(readable(t, p, 4040));
        EXPECT_EQ(t.peek<int32_t>(p), t.peek<int32_t>(vm.memslots)) << "the readable head is a true copy";
        break;
    }
    case Corruption::unmap_aliases:
        EXPECT_FALSE(readable(t, vm.aliases, 136));
        break;
    case Corruption::unmap_irq_routing:
        EXPECT_FALSE(readable(t, vm.irq_routing, 1));
        break;
    case Corruption::unmap_irq_routing_partial:
        EXPECT_TRUE(readable(t, vm.irq_routing, 4096));
        EXPECT_FALSE(readable(t, vm.irq_routing, 33104));
        break;
    case Corruption::unmap_vcpu: case Corruption::unmap_vcpu_partial: {
        size_t hits = 0;
        for (const BuiltVcpu& v : vm.vcpus)
            if (!readable(t, v.addr, sizeof(struct kvm_vcpu))) {
                ++hits;
                EXPECT_EQ(readable(t, v.addr, 4096), a.kind == Corruption::unmap_vcpu_partial);
            }
        EXPECT_EQ(hits, 1u);
        break;
    }
    case Corruption::unmap_pae_root: {
        size_t hits = 0;
        for (const BuiltVcpu& v : vm.vcpus)
            hits += !readable(t, v.pae_root, 32);
        EXPECT_EQ(hits, 1u);
        break;
    }
    case Corruption::unmap_spt: {
        size_t hits = 0;
        for (const BuiltShadowPage& sp : vm.shadow_pages)
            if (!readable(t, sp.sptkma, 8)) {
                ++hits;
                EXPECT_NE(sp.parent, -1) << "the root table is never the one unmapped";
                uint64_t word = 0;
                t.pget_bytes(sp.pfn << 12, &word, 8);  // the frame is intact
            }
        EXPECT_EQ(hits, 1u);
        EXPECT_NO_THROW(enumerate_mappings(t, vm.root_hpa));
        break;
    }
    case Corruption::alias_count:
        EXPECT_TRUE(std::set<int32_t>({5, 1000, -1}).count(t.peek<int32_t>(vm.aliases + 0x80)));
        break;
    case Corruption::ring_ent:
        EXPECT_TRUE(std::set<uint64_t>({0, 511, 512, 513, 0xffffffff}).count(a.new_value));
        break;
    case Corruption::spt_ancestor: case Corruption::spt_self:
        EXPECT_THROW(enumerate_mappings(t, vm.root_hpa), TranslateError);
        EXPECT_EQ(a.new_value & 0x27, 0x27u);
        break;
    case Corruption::pte_no_page:
        EXPECT_FALSE(kvmsim_test::pfn2page(t, (a.new_value & MDBSIM_PT64_ADDR_MASK) >> 12).has_value());
        EXPECT_EQ(a.new_value & 0x27, 0x27u);
        break;
    case Corruption::avl_order: {
        const uint64_t tree = vm.kvm + 0x8638;
        const auto w = kvmsim_test::walk_avl(t, tree);
        ASSERT_TRUE(w.complete) << "order damage alone keeps the walk finite";
        bool ascending = true;
        for (size_t i = 1; i < w.objects.size(); ++i)
            ascending = ascending && t.peek<uint64_t>(w.objects[i - 1] + 0x70) < t.peek<uint64_t>(w.objects[i] + 0x70);
        EXPECT_FALSE(ascending);
        const auto problems = kvmsim_test::check_avl(t, tree, 0x70);
        ASSERT_FALSE(problems.empty());
        for (const std::string& p : problems)
            EXPECT_NE(p.find("key"), std::string::npos) << "only the order is wrong: " << p;
        break;
    }
    case Corruption::avl_parent:
        EXPECT_FALSE(kvmsim_test::check_avl(t, vm.kvm + 0x8638, 0x70).empty());
        break;
    case Corruption::avl_cycle:
        EXPECT_FALSE(kvmsim_test::walk_avl(t, vm.kvm + 0x8638, 100000).complete);
        break;
    case Corruption::memseg_loop:
        EXPECT_THROW(kvmsim_test::memseg_chain(t), std::runtime_error);
        break;
    case Corruption::memseg_pagenum:
        EXPECT_FALSE(kvmsim_test::pfn2page(t, a.old_value).has_value());
        break;
    case Corruption::root_invalid:
        EXPECT_EQ(a.new_value, INVALID_PAGE);
        EXPECT_TRUE(enumerate_mappings(t, a.new_value).empty());
        break;
    case Corruption::root_garbage:
        EXPECT_FALSE(kvmsim_test::pfn2page(t, a.new_value >> 12).has_value());
        EXPECT_THROW(enumerate_mappings(t, a.new_value), TranslateError);
        break;
    }
}

TEST_P(EachKind, DoesWhatItSays) {
    const KindCase c = GetParam();
    fixtures::Scenario s = fixtures::make_scenario("typical");
    sim::Target& t = *s.target;
    const AppliedCorruption a = apply_corruption(t, s.info.kvm, {c.kind, c.seed, std::nullopt});
    EXPECT_EQ(a.kind, c.kind);
    EXPECT_EQ(a.description.rfind(std::string(to_string(c.kind)) + ": ", 0), 0u) << a.description;
    EXPECT_LT(a.vm, s.info.kvm.vms.size());
    if (a.addr) {
        EXPECT_EQ(read_width(t, a.addr, a.width), a.new_value);
        EXPECT_NE(a.old_value, a.new_value) << a.description;
        EXPECT_NE(a.description.find(fmt::format("{:#x}", a.addr)), std::string::npos) << a.description;
    }
    if (a.physical_copy) {
        EXPECT_EQ(t.ppeek<uint64_t>(a.phys_addr), a.new_value);
    }
    if (a.unmapped_size) {
        EXPECT_FALSE(readable(t, a.unmapped_base, 1));
        EXPECT_FALSE(readable(t, a.unmapped_base + a.unmapped_size - 1, 1));
        EXPECT_NE(a.description.find(fmt::format("{:#x}", a.unmapped_base)), std::string::npos) << a.description;
    }
    check_semantics(t, s.info.kvm, a);
}

std::vector<KindCase> cases() {
    std::vector<KindCase> v;
    for (Corruption k : all_corruptions())
        for (uint64_t seed : {0, 1, 7})
            v.push_back({k, seed});
    return v;
}

INSTANTIATE_TEST_SUITE_P(Typical, EachKind, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<KindCase>& i) {
                             std::string n = fmt::format("{}_seed{}", to_string(i.param.kind), i.param.seed);
                             for (char& ch : n)
                                 if (ch == '-')
                                     ch = '_';
                             return n;
                         });

TEST(Corruption, NamesRoundTripAndUnknownNamesAreRefused) {
    std::set<std::string_view> names;
    for (Corruption k : all_corruptions()) {
        EXPECT_EQ(corruption_from_string(to_string(k)), k);
        EXPECT_FALSE(summary(k).empty()) << to_string(k);
        EXPECT_TRUE(names.insert(to_string(k)).second) << to_string(k);
    }
    EXPECT_EQ(names.size(), 39u);
    try {
        corruption_from_string("alias-cuont");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("alias-cuont"), std::string::npos);
    }
}

TEST(Corruption, ForcedValuesAndSeedVariants) {
    struct ValueCase {
        Corruption kind;
        int64_t value;
        unsigned width;
        uint64_t stored;
    };
    for (const ValueCase& c : {ValueCase{Corruption::alias_count, 5, 4, 5}, ValueCase{Corruption::alias_count, 1000, 4, 1000},
                               ValueCase{Corruption::alias_count, -1, 4, 0xffffffff},
                               ValueCase{Corruption::ring_ent, 513, 4, 513},
                               ValueCase{Corruption::ring_ent, 0xffffffff, 4, 0xffffffff}}) {
        fixtures::Scenario s = fixtures::make_scenario("typical");
        const AppliedCorruption a = apply_corruption(*s.target, s.info.kvm, {c.kind, 4, c.value});
        EXPECT_EQ(a.width, c.width);
        EXPECT_EQ(read_width(*s.target, a.addr, a.width), c.stored);
    }
    // Unforced, the seed walks through every documented value.
    std::set<uint64_t> ring_values;
    for (uint64_t seed = 0; seed < 5; ++seed) {
        fixtures::Scenario s = fixtures::make_scenario("minimal");
        ring_values.insert(apply_corruption(*s.target, s.info.kvm, {Corruption::ring_ent, seed, std::nullopt}).new_value);
    }
    EXPECT_EQ(ring_values, (std::set<uint64_t>{0, 511, 512, 513, 0xffffffff}));
}

TEST(Corruption, NotApplicableIsAnError) {
    sim::Target empty;
    BuiltKvm none;
    EXPECT_THROW(apply_corruption(empty, none, {Corruption::alias_count, 0, std::nullopt}), std::invalid_argument);
    fixtures::Scenario s = fixtures::make_scenario("minimal,size=4K");  // 4 tables: no 3-node AVL order to break? it has 4
    EXPECT_NO_THROW(apply_corruption(*s.target, s.info.kvm, {Corruption::avl_order, 0, std::nullopt}));
}

}  // namespace
