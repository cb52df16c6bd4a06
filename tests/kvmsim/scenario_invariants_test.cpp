// Every well-formed scenario satisfies layouts.md section 12, read back through the target on
// both backends: vm_list, memsegs and page_t, memslots, aliases, IRQ routing, vCPUs, rings, MMU
// roots, shadow tables (both views, page_t coverage), the AVL tree and the reference translator.
#include <gtest/gtest.h>

#include <mdbsim/kvm/kvm_state.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "mdbsim/fixtures/scenarios.hpp"
#include "mdbsim/sim/kvm/translate.hpp"
#include "readback.hpp"

namespace {

using namespace mdbsim;
using namespace mdbsim::sim::kvm;
using kvmsim_test::pfn2page;
using kvmsim_test::readable;

struct Case {
    std::string spec;
    sim::Backend backend;
    bool per_entry_checks = true;  // resolve every 0x27 entry's frame (skip for the largest)
};

std::string case_name(const ::testing::TestParamInfo<Case>& i) {
    std::string n = i.param.spec + "_" + sim::to_string(i.param.backend);
    for (char& c : n)
        if (!std::isalnum(static_cast<unsigned char>(c)))
            c = '_';
    return n;
}

class WellFormed : public ::testing::TestWithParam<Case> {
protected:
    void SetUp() override {
        s_ = fixtures::make_scenario(GetParam().spec, GetParam().backend);
        ASSERT_TRUE(s_.info.has_kvm);
    }
    sim::Target& t() { return *s_.target; }
    const BuiltKvm& k() { return s_.info.kvm; }
    fixtures::Scenario s_;
};

TEST_P(WellFormed, VmListIsCircularThroughTheSentinel) {
    const sim::Symbol* sym = t().symbols().lookup("vm_list");
    ASSERT_NE(sym, nullptr);
    EXPECT_EQ(sym->value(), k().vm_list);
    EXPECT_EQ(t().peek<uint64_t>(k().vm_list), 34400u);
    EXPECT_EQ(t().peek<uint64_t>(k().vm_list + 8), 584u);
    const auto walk = kvmsim_test::walk_list(t(), k().vm_list);
    ASSERT_TRUE(walk.reached_sentinel) << walk.error;
    std::vector<uint64_t> expected;
    for (const BuiltVm& vm : k().vms)
        expected.push_back(vm.kvm);
    EXPECT_EQ(walk.elements, expected);
    // list_prev mirrors list_next.
    const uint64_t sentinel = k().vm_list + 16;
    uint64_t pos = t().peek<uint64_t>(sentinel + 8);
    for (auto it = expected.rbegin(); it != expected.rend(); ++it) {
        EXPECT_EQ(pos, *it + 0x248);
        pos = t().peek<uint64_t>(pos + 8);
    }
    EXPECT_EQ(pos, sentinel);
}

TEST_P(WellFormed, MemsegsCoverFramesWithMatchingPageT) {
    const sim::Symbol* sym = t().symbols().lookup("memsegs");
    ASSERT_NE(sym, nullptr);
    EXPECT_EQ(sym->size(), 8u);
    const std::vector<uint64_t> chain = kvmsim_test::memseg_chain(t());
    ASSERT_EQ(chain.size(), k().frame_ranges.size());
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (size_t i = 0; i < chain.size(); ++i) {
        const uint64_t m = chain[i];
        const uint64_t pages = t().peek<uint64_t>(m), epages = t().peek<uint64_t>(m + 8);
        const uint64_t base = t().peek<uint64_t>(m + 0x10), end = t().peek<uint64_t>(m + 0x18);
        EXPECT_EQ(base, k().frame_ranges[i].base_pfn);
        EXPECT_EQ(end, k().frame_ranges[i].end_pfn);
        EXPECT_EQ(epages, pages + 120 * (end - base));
        for (uint64_t pfn : {base, base + (end - base) / 2, end - 1})
            EXPECT_EQ(t().peek<uint64_t>(pages + 120 * (pfn - base) + 0x58), pfn);
        for (const auto& [b, e] : ranges)
            EXPECT_TRUE(end <= b || e <= base) << "memsegs overlap";
        ranges.emplace_back(base, end);
    }
}

TEST_P(WellFormed, MemslotsAliasesAndIrqRouting) {
    for (const BuiltVm& vm : k().vms) {
        ASSERT_TRUE(readable(t(), vm.kvm, sizeof(struct kvm)));
        EXPECT_EQ(t().peek<uint64_t>(vm.kvm + offsetof(struct kvm, memslots)), vm.memslots);
        ASSERT_TRUE(readable(t(), vm.memslots, sizeof(struct kvm_memslots)));
        auto slots = std::make_unique<struct kvm_memslots>();
        t().get_bytes(vm.memslots, slots.get(), sizeof *slots);
        std::map<unsigned, MemslotSpec> used;
        for (const MemslotSpec& m : vm.memslots_used)
            used[m.index] = m;
        for (unsigned i = 0; i < KVM_MEMORY_SLOTS + KVM_PRIVATE_MEM_SLOTS; ++i) {
            const struct kvm_memory_slot& s = slots->memslots[i];
            if (!used.count(i)) {
                EXPECT_EQ(s.npages, 0u) << "slot " << i;
                continue;
            }
            EXPECT_EQ(s.base_gfn, used[i].base_gfn);
            EXPECT_EQ(s.npages, used[i].npages);
            EXPECT_EQ(s.userspace_addr % 4096, 0u);
            EXPECT_NE(s.userspace_addr, 0u);
            for (const auto& [j, o] : used)
                if (j != i) {
                    EXPECT_TRUE(s.base_gfn + s.npages <= o.base_gfn || o.base_gfn + o.npages <= s.base_gfn)
                        << "slots " << i << " and " << j << " overlap";
                }
        }

        EXPECT_EQ(t().peek<uint64_t>(vm.kvm + offsetof(struct kvm, arch.aliases)), vm.aliases);
        struct kvm_mem_aliases al;
        ASSERT_TRUE(readable(t(), vm.aliases, sizeof al));
        t().get_bytes(vm.aliases, &al, sizeof al);
        EXPECT_GE(al.naliases, 0);
        EXPECT_LE(al.naliases, KVM_ALIAS_SLOTS);
        ASSERT_EQ(size_t(al.naliases), vm.alias_entries.size());
        for (int i = 0; i < al.naliases; ++i) {
            EXPECT_EQ(al.aliases[i].base_gfn, vm.alias_entries[size_t(i)].base_gfn);
            EXPECT_EQ(al.aliases[i].target_gfn, vm.alias_entries[size_t(i)].target_gfn);
            EXPECT_EQ(al.aliases[i].flags, vm.alias_entries[size_t(i)].flags);
        }

        const uint64_t irq = t().peek<uint64_t>(vm.kvm + offsetof(struct kvm, irq_routing));
        EXPECT_EQ(irq, vm.irq_routing);
        ASSERT_TRUE(readable(t(), irq, sizeof(struct kvm_irq_routing_table)));
        int expect[3][24];
        std::fill(&expect[0][0], &expect[0][0] + 72, -1);
        for (const IrqRoute& r : vm.irq_routes)
            expect[r.chip][r.pin] = r.gsi;
        for (unsigned c = 0; c < 3; ++c)
            for (unsigned p = 0; p < 24; ++p)
                EXPECT_EQ(t().peek<int32_t>(irq + 4 * (24 * c + p)), expect[c][p]) << "chip " << c << " pin " << p;
        // Each routed GSI's map list holds its routing entries.
        for (const IrqRoute& r : vm.irq_routes) {
            const auto w = kvmsim_test::walk_list(t(), irq + 0x130 + 32 * uint64_t(r.gsi));
            ASSERT_TRUE(w.reached_sentinel) << w.error;
            bool found = false;
            for (uint64_t e : w.elements)
                found = found || (t().peek<uint32_t>(e + 16) == r.chip && t().peek<uint32_t>(e + 20) == r.pin);
            EXPECT_TRUE(found) << "route chip " << r.chip << " pin " << r.pin;
        }
    }
}

TEST_P(WellFormed, VcpusRingsAndMmuRoots) {
    for (const BuiltVm& vm : k().vms) {
        EXPECT_EQ(t().peek<int32_t>(vm.kvm + offsetof(struct kvm, online_vcpus)), int(vm.vcpus.size()));
        for (size_t i = 0; i < vm.vcpus.size(); ++i) {
            const BuiltVcpu& v = vm.vcpus[i];
            EXPECT_EQ(t().peek<uint64_t>(vm.kvm + offsetof(struct kvm, vcpus) + 8 * i), v.addr);
            EXPECT_EQ(v.addr % 16, 0u);
            ASSERT_TRUE(readable(t(), v.addr, sizeof(struct kvm_vcpu)));
            EXPECT_EQ(t().peek<uint64_t>(v.addr), vm.kvm);

            auto ring = std::make_unique<kvm_ringbuf_t>();
            t().get_bytes(v.ringbuf, ring.get(), sizeof *ring);
            const RingContents c = ring_contents(v.ring);
            EXPECT_EQ(ring->kvmr_ent, c.ent);
            const uint64_t present = std::min<uint64_t>(v.ring.recorded, 512);
            const uint32_t ent = ring->kvmr_ent;
            // Whatever the walker visits (n from ent-512 or 0 up to ent) is a recorded entry.
            for (uint32_t n = ent > 512 ? ent - 512 : 0; n < ent; ++n) {
                const kvm_ringbuf_entry_t& e = ring->kvmr_buf[n & 511];
                EXPECT_GE(e.kvmre_tag, 1u);
                EXPECT_LE(e.kvmre_tag, 11u);
            }
            uint64_t total = 0;
            for (uint32_t tag = 0; tag <= 11; ++tag) {
                EXPECT_EQ(ring->kvmr_tagcount[tag], c.tagcount[tag]);
                total += ring->kvmr_tagcount[tag];
                if (ring->kvmr_tagcount[tag]) {
                    EXPECT_EQ(ring->kvmr_taglast[tag].kvmre_tag, tag);
                }
            }
            EXPECT_EQ(uint32_t(total), ent);
            EXPECT_EQ(ring->kvmr_tagcount[0], 0u);
            // The newest entry is also the last of its tag.
            if (present) {
                const kvm_ringbuf_entry_t& newest = ring->kvmr_buf[(v.ring.recorded - 1) & 511];
                EXPECT_EQ(std::memcmp(&newest, &ring->kvmr_taglast[newest.kvmre_tag], sizeof newest), 0);
            }

            const uint64_t mmu = v.addr + offsetof(struct kvm_vcpu, arch.mmu);
            EXPECT_EQ(mmu, v.mmu);
            EXPECT_EQ(t().peek<uint64_t>(mmu + 0x38), v.root_hpa);
            EXPECT_EQ(t().peek<int32_t>(mmu + 0x40), 4);
            EXPECT_EQ(t().peek<int32_t>(mmu + 0x44), 4);
            const uint64_t pae = t().peek<uint64_t>(mmu + 0x50);
            EXPECT_EQ(pae, v.pae_root);
            EXPECT_EQ(pae % 4096, 0u);
            EXPECT_LT(v.pae_root_pfn, 1ULL << 20) << "pae_root must be below 4 GiB";
            for (int e = 0; e < 4; ++e) {
                EXPECT_EQ(t().peek<uint64_t>(pae + 8 * e), INVALID_PAGE);
                EXPECT_EQ(t().ppeek<uint64_t>((v.pae_root_pfn << 12) + 8 * e), INVALID_PAGE);
            }
        }
    }
}

TEST_P(WellFormed, ShadowPagesAvlAndPageT) {
    for (const BuiltVm& vm : k().vms) {
        const uint64_t tree = vm.kvm + offsetof(struct kvm, kvm_avlmp);
        EXPECT_EQ(t().peek<uint64_t>(tree + 16), 0u);    // avl_offset
        EXPECT_EQ(t().peek<uint64_t>(tree + 32), 264u);  // avl_size
        EXPECT_EQ(t().peek<uint64_t>(tree + 24), vm.shadow_pages.size());
        const auto problems = kvmsim_test::check_avl(t(), tree, offsetof(kvm_mmu_page_t, kmp_avlspt));
        EXPECT_TRUE(problems.empty()) << problems.front();
        const auto walk = kvmsim_test::walk_avl(t(), tree);
        ASSERT_TRUE(walk.complete) << walk.error;
        ASSERT_EQ(walk.objects.size(), vm.shadow_pages.size());
        std::set<uint64_t> objs(walk.objects.begin(), walk.objects.end());
        EXPECT_EQ(objs.size(), walk.objects.size());

        const auto active = kvmsim_test::walk_list(t(), vm.kvm + offsetof(struct kvm, arch.active_mmu_pages));
        ASSERT_TRUE(active.reached_sentinel) << active.error;
        EXPECT_EQ(std::set<uint64_t>(active.elements.begin(), active.elements.end()), objs);
        EXPECT_EQ(active.elements.size(), objs.size());

        std::vector<uint64_t> table(512), phys(512);
        for (const BuiltShadowPage& sp : vm.shadow_pages) {
            ASSERT_TRUE(objs.count(sp.mmu_page));
            ASSERT_TRUE(readable(t(), sp.mmu_page, 264));
            EXPECT_EQ(sp.mmu_page % 8, 0u);
            kvm_mmu_page_t mp;
            t().get_bytes(sp.mmu_page, &mp, sizeof mp);
            EXPECT_EQ(reinterpret_cast<uintptr_t>(mp.sptkma), sp.sptkma);
            EXPECT_EQ(mp.role.level, unsigned(sp.level));
            EXPECT_EQ(pfn2page(t(), sp.pfn), std::optional<uint64_t>(mp.kmp_avlspt));
            t().get_bytes(sp.sptkma, table.data(), 4096);
            t().pget_bytes(sp.pfn << 12, phys.data(), 4096);
            EXPECT_EQ(table, phys) << "kmem and physical views of table pfn " << sp.pfn << " differ";
            if (sp.parent < 0) {
                EXPECT_EQ(mp.root_count > 0, std::any_of(vm.vcpus.begin(), vm.vcpus.end(),
                                                         [](const BuiltVcpu& v) { return v.root_hpa != INVALID_PAGE; }));
            }
            if (!GetParam().per_entry_checks)
                continue;
            for (uint64_t e : table)
                if ((e & 0x27) == 0x27) {
                    EXPECT_TRUE(pfn2page(t(), (e & MDBSIM_PT64_ADDR_MASK) >> 12).has_value())
                        << "entry " << std::hex << e << " names a frame without page_t";
                }
        }
    }
}

TEST_P(WellFormed, ReferenceTranslatorAgreesWithTheGuestMap) {
    for (const BuiltVm& vm : k().vms) {
        if (vm.shadow_pages.empty())
            continue;
        EXPECT_EQ(enumerate_mappings(t(), vm.root_hpa), vm.guest_map);
        std::vector<uint64_t> tables = reachable_tables(t(), vm.root_hpa);
        std::vector<uint64_t> built;
        for (const BuiltShadowPage& sp : vm.shadow_pages)
            built.push_back(sp.pfn);
        std::sort(tables.begin(), tables.end());
        std::sort(built.begin(), built.end());
        EXPECT_EQ(tables, built);
        for (const GuestExtent& e : vm.guest_map)
            for (uint64_t page : {uint64_t{0}, e.npages / 2, e.npages - 1}) {
                const auto tr = translate(t(), vm.root_hpa, e.guest_addr + page * 4096 + 0x123);
                ASSERT_TRUE(tr.has_value());
                EXPECT_EQ(tr->host_pfn, e.host_pfn + page);
                EXPECT_EQ(tr->level, e.large ? 2 : 1);
            }
        // Just outside the map: nothing.
        const GuestExtent& last = vm.guest_map.back();
        const uint64_t after = last.guest_addr + last.npages * 4096;
        if (canonical(after) == after && after != 0) {
            EXPECT_FALSE(translate(t(), vm.root_hpa, after).has_value());
        }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Scenarios, WellFormed,
    ::testing::Values(Case{"minimal", sim::Backend::flat}, Case{"minimal", sim::Backend::unicorn},
                      Case{"typical", sim::Backend::flat}, Case{"typical", sim::Backend::unicorn},
                      Case{"typical,accessed=0", sim::Backend::flat}, Case{"noroot", sim::Backend::flat},
                      Case{"minimal,size=4K", sim::Backend::unicorn}, Case{"spt,size=8M,scatter=1", sim::Backend::flat},
                      Case{"spt,size=64M,vcpus=3", sim::Backend::flat}, Case{"spt,size=32M,large=1", sim::Backend::unicorn},
                      Case{"spt-1g,large=1", sim::Backend::flat}, Case{"spt-1g", sim::Backend::flat, false}),
    case_name);

}  // namespace

// pae_root pages must lie below 4 GiB; the builder reserves them 256 frames at a time, so a
// target with more vCPUs than one pool holds gets another pool, covered by its own memseg.
TEST(KvmBuilderPaeRoots, MoreVcpusThanOnePoolHolds) {
    sim::Target t;
    KvmBuilder b(t);
    for (int id = 1; id <= 9; ++id) {
        VmSpec v;
        v.kvmid = id;
        v.memslots = {{0, 0, 0x10, 0, 0}};
        v.vcpus.resize(KVM_MAX_VCPUS);  // 9 x 64 = 576 vCPUs: three pools
        b.add_vm(v);
    }
    const BuiltKvm k = b.finish();
    std::set<uint64_t> frames;
    for (const BuiltVm& vm : k.vms) {
        for (const BuiltVcpu& v : vm.vcpus) {
            EXPECT_LT(v.pae_root_pfn, 1ULL << 20);
            EXPECT_TRUE(frames.insert(v.pae_root_pfn).second) << "pae_root frame shared";
            EXPECT_EQ(pfn2page(t, v.pae_root_pfn).has_value(), true) << "no memseg covers pae_root";
            EXPECT_EQ(t.ppeek<uint64_t>(v.pae_root_pfn << 12), INVALID_PAGE);
        }
    }
    EXPECT_EQ(frames.size(), 576u);
    size_t pools = 0;
    for (const auto& r : k.frame_ranges) pools += r.what == "pae_root pool";
    EXPECT_EQ(pools, 3u);
}
