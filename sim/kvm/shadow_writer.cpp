// KvmBuilder::build_shadow: turns a VM's guest map into shadow tables in the target, each table
// written in both of its views (kmem address for the dmod, physical frame for the MMU), with a
// kvm_mmu_page per table on active_mmu_pages, the hash lists and the kvm_avlmp tree.
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "mdbsim/sim/kvm/builder.hpp"
#include "structs.hpp"

namespace mdbsim::sim::kvm {

using detail::tptr;

void KvmBuilder::build_shadow(BuiltVm& vm, const VmSpec& spec) {
    const GuestMapSpec& g = spec.guest;
    if (g.regions.empty())
        return;
    const bool any_large = std::any_of(g.regions.begin(), g.regions.end(), [](const GuestRegion& r) { return r.large; });
    if (any_large) {
        const uint64_t pad = (kLargePageFrames - frames_->next_pfn() % kLargePageFrames) % kLargePageFrames;
        if (pad)
            frames_->alloc_range(pad);  // unused frames; 2 MiB pages need an aligned run
    }
    const uint64_t nguest = guest_frames_needed(g);
    const uint64_t guest_first = frames_->alloc_range(nguest);
    memsegs_->add(guest_first, guest_first + nguest);
    built_.frame_ranges.push_back({guest_first, guest_first + nguest, fmt::format("VM {} guest memory", vm.kvmid)});

    ShadowPlan plan = plan_shadow(g, guest_first);
    const uint64_t ntables = plan.tables.size();
    const uint64_t table_first = frames_->alloc_range(ntables);
    memsegs_->add(table_first, table_first + ntables);
    built_.frame_ranges.push_back({table_first, table_first + ntables, fmt::format("VM {} shadow tables", vm.kvmid)});
    std::vector<uint64_t> pfns(ntables);
    for (uint64_t i = 0; i < ntables; ++i)
        pfns[i] = table_first + i;
    link_plan(plan, pfns);

    // Tables: one contiguous kmem run and one contiguous frame run, each written at once.
    const uint64_t spt_base = heap_->alloc_pages(ntables);
    {
        std::vector<uint64_t> bytes(ntables * 512);
        for (uint64_t i = 0; i < ntables; ++i)
            std::copy(plan.tables[i].pte.begin(), plan.tables[i].pte.end(), bytes.begin() + static_cast<ptrdiff_t>(i * 512));
        t_.put_bytes(spt_base, bytes.data(), bytes.size() * 8);
        t_.pput_bytes(table_first << 12, bytes.data(), bytes.size() * 8);
    }

    int roots_loaded = 0;
    for (const VcpuSpec& v : spec.vcpus)
        roots_loaded += v.root_loaded ? 1 : 0;

    // kvm_mmu_page objects, packed like a kmem cache.
    const uint64_t objs_base = heap_->alloc(ntables * sizeof(kvm_mmu_page_t), 8);
    std::vector<kvm_mmu_page_t> objs(ntables);
    std::memset(static_cast<void*>(objs.data()), 0, ntables * sizeof(kvm_mmu_page_t));
    vm.shadow_pages.resize(ntables);
    for (uint64_t i = 0; i < ntables; ++i) {
        const ShadowTable& st = plan.tables[i];
        kvm_mmu_page_t& mp = objs[i];
        BuiltShadowPage& bp = vm.shadow_pages[i];
        bp.mmu_page = objs_base + i * sizeof(kvm_mmu_page_t);
        bp.pfn = pfns[i];
        bp.sptkma = spt_base + i * kPageSize;
        bp.page_t = memsegs_->page_of(pfns[i]);
        bp.level = st.level;
        bp.parent = st.parent;
        bp.parent_index = st.parent_index;

        mp.hpa = pfns[i] << 12;
        mp.gfn = (st.guest_base & 0x0000ffffffffffffULL) >> 12;
        mp.role.glevels = 4;
        mp.role.level = static_cast<unsigned>(st.level) & 0xf;
        mp.role.access = ACC_ALL;
        mp.role.cr0_wp = 1;
        mp.spt = tptr<uint64_t>(kKpmBase + (pfns[i] << 12));
        mp.sptkma = tptr<char>(bp.sptkma);
        mp.kmp_avlspt = bp.page_t;
        mp.root_count = st.parent < 0 ? roots_loaded : 0;
        if (st.parent >= 0)
            mp.parent_pte = tptr<uint64_t>(vm.shadow_pages[static_cast<size_t>(st.parent)].sptkma +
                                           static_cast<uint64_t>(st.parent_index) * 8);
    }
    t_.put_bytes(objs_base, objs.data(), ntables * sizeof(kvm_mmu_page_t));

    const uint64_t arch = vm.kvm + offsetof(struct kvm, arch);
    std::vector<uint64_t> by_key;
    for (uint64_t i = 0; i < ntables; ++i) {
        const uint64_t obj = vm.shadow_pages[i].mmu_page;
        ListBuilder::append(t_, arch + offsetof(struct kvm_arch, active_mmu_pages), obj);
        const uint64_t bucket = objs[i].gfn & (KVM_NUM_MMU_PAGES - 1);
        ListBuilder::append(t_, arch + offsetof(struct kvm_arch, mmu_page_hash) + bucket * sizeof(list_t), obj);
        by_key.push_back(obj);
    }
    std::vector<uint64_t> keys(ntables);
    for (uint64_t i = 0; i < ntables; ++i)
        keys[i] = vm.shadow_pages[i].page_t;
    std::sort(by_key.begin(), by_key.end(), [&](uint64_t a, uint64_t b) {
        return keys[(a - objs_base) / sizeof(kvm_mmu_page_t)] < keys[(b - objs_base) / sizeof(kvm_mmu_page_t)];
    });
    AvlBuilder::build(t_, vm.kvm + offsetof(struct kvm, kvm_avlmp), by_key, offsetof(kvm_mmu_page_t, kmp_avlnode),
                      sizeof(kvm_mmu_page_t), t_.peek<uint64_t>(vm.kvm + offsetof(struct kvm, kvm_avlmp.avl_compar)));

    // The kernel sizes its MMU page pool with headroom over what is in use.
    const unsigned in_use = static_cast<unsigned>(ntables);
    const unsigned pool = std::max<unsigned>(KVM_MIN_ALLOC_MMU_PAGES, in_use + KVM_REFILL_PAGES);
    t_.put<uint32_t>(arch + offsetof(struct kvm_arch, n_alloc_mmu_pages), pool);
    t_.put<uint32_t>(arch + offsetof(struct kvm_arch, n_free_mmu_pages), pool - in_use);

    vm.guest_map = std::move(plan.map);
    vm.root_hpa = pfns[0] << 12;
}

}  // namespace mdbsim::sim::kvm
