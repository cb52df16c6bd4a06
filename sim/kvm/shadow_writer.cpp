// KvmBuilder::build_shadow: turns a VM's guest map into shadow tables in the target, each table
// written in both of its views (kmem address for the dmod, physical frame for the MMU), with a
// kvm_mmu_page per table on active_mmu_pages, the hash lists and the kvm_avlmp tree.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "mdbsim/sim/kvm/builder.hpp"
#include "structs.hpp"

namespace mdbsim::sim::kvm {


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

    // kvm_mmu_page objects, packed like a kmem cache; member offsets looked up once per VM.
    const Layout& L = layout_;
    const uint64_t mp_size = L.size("struct kvm_mmu_page");
    struct MmuPageFields {
        Field hpa, gfn, role, spt, sptkma, avlspt, root_count, parent_pte;
    };
    const MmuPageFields f{L.field("struct kvm_mmu_page", "hpa"),        L.field("struct kvm_mmu_page", "gfn"),
                          L.field("struct kvm_mmu_page", "role"),       L.field("struct kvm_mmu_page", "spt"),
                          L.field("struct kvm_mmu_page", "sptkma"),     L.field("struct kvm_mmu_page", "kmp_avlspt"),
                          L.field("struct kvm_mmu_page", "root_count"), L.field("struct kvm_mmu_page", "parent_pte")};
    const uint64_t objs_base = heap_->alloc(ntables * mp_size, 8);
    std::vector<uint8_t> objs(ntables * mp_size, 0);
    std::vector<uint64_t> gfns(ntables);
    auto put = [&](uint64_t i, const Field& fd, const auto& value) {
        if (fd.size != sizeof value)
            throw std::logic_error(fmt::format("layout '{}': a kvm_mmu_page member is {} bytes, written with {}",
                                               L.name(), fd.size, sizeof value));
        std::memcpy(objs.data() + i * mp_size + fd.offset, &value, sizeof value);
    };
    vm.shadow_pages.resize(ntables);
    for (uint64_t i = 0; i < ntables; ++i) {
        const ShadowTable& st = plan.tables[i];
        BuiltShadowPage& bp = vm.shadow_pages[i];
        bp.mmu_page = objs_base + i * mp_size;
        bp.pfn = pfns[i];
        bp.sptkma = spt_base + i * kPageSize;
        bp.page_t = memsegs_->page_of(pfns[i]);
        bp.level = st.level;
        bp.parent = st.parent;
        bp.parent_index = st.parent_index;

        union kvm_mmu_page_role role{};
        role.glevels = 4;
        role.level = static_cast<unsigned>(st.level) & 0xf;
        role.access = ACC_ALL;
        role.cr0_wp = 1;
        gfns[i] = (st.guest_base & 0x0000ffffffffffffULL) >> 12;
        put(i, f.hpa, uint64_t{pfns[i] << 12});
        put(i, f.gfn, gfns[i]);
        put(i, f.role, role);
        put(i, f.spt, uint64_t{kKpmBase + (pfns[i] << 12)});
        put(i, f.sptkma, bp.sptkma);
        put(i, f.avlspt, bp.page_t);
        put(i, f.root_count, int32_t{st.parent < 0 ? roots_loaded : 0});
        if (st.parent >= 0)
            put(i, f.parent_pte, uint64_t{vm.shadow_pages[static_cast<size_t>(st.parent)].sptkma +
                                          static_cast<uint64_t>(st.parent_index) * 8});
    }
    t_.put_bytes(objs_base, objs.data(), objs.size());

    const uint64_t active = vm.kvm + L.offset("struct kvm", "arch.active_mmu_pages");
    const uint64_t hash = vm.kvm + L.offset("struct kvm", "arch.mmu_page_hash");
    std::vector<uint64_t> by_key;
    for (uint64_t i = 0; i < ntables; ++i) {
        const uint64_t obj = vm.shadow_pages[i].mmu_page;
        ListBuilder::append(t_, active, obj);
        const uint64_t bucket = gfns[i] & (KVM_NUM_MMU_PAGES - 1);
        ListBuilder::append(t_, hash + bucket * sizeof(list_t), obj);
        by_key.push_back(obj);
    }
    std::vector<uint64_t> keys(ntables);
    for (uint64_t i = 0; i < ntables; ++i)
        keys[i] = vm.shadow_pages[i].page_t;
    std::sort(by_key.begin(), by_key.end(), [&](uint64_t a, uint64_t b) {
        return keys[(a - objs_base) / mp_size] < keys[(b - objs_base) / mp_size];
    });
    const uint64_t tree = vm.kvm + L.offset("struct kvm", "kvm_avlmp");
    AvlBuilder::build(t_, tree, by_key, L.offset("struct kvm_mmu_page", "kmp_avlnode"), mp_size,
                      t_.peek<uint64_t>(vm.kvm + L.offset("struct kvm", "kvm_avlmp.avl_compar")));

    // The kernel sizes its MMU page pool with headroom over what is in use.
    const unsigned in_use = static_cast<unsigned>(ntables);
    const unsigned pool = std::max<unsigned>(KVM_MIN_ALLOC_MMU_PAGES, in_use + KVM_REFILL_PAGES);
    t_.put<uint32_t>(vm.kvm + L.offset("struct kvm", "arch.n_alloc_mmu_pages"), pool);
    t_.put<uint32_t>(vm.kvm + L.offset("struct kvm", "arch.n_free_mmu_pages"), pool - in_use);

    vm.guest_map = std::move(plan.map);
    vm.root_hpa = pfns[0] << 12;
}

}  // namespace mdbsim::sim::kvm
