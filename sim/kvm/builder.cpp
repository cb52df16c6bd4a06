// The VM-level part of KvmBuilder: vm_list, struct kvm, memory slots, aliases, IRQ routing.
#include "mdbsim/sim/kvm/builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "structs.hpp"

namespace mdbsim::sim::kvm {

using detail::empty_list;
using detail::fill_kstats;
using detail::IrqRoutingEntry;

namespace {

// Frames below 4 GiB for pae_root pages (one per vCPU), reserved 256 at a time: the first pool
// up front, another (with its own memseg) whenever one runs out.
constexpr uint64_t kLowPoolFrames = 256;
constexpr uint64_t kFourGiBPfn = 0x100000;
constexpr uint64_t kFirstPfn = 0x100;

// Kernel text addresses for function pointers that nobody calls (kept in the "kvm" module).
constexpr uint64_t kKvmText = 0xfffffffff7a00000ULL;
constexpr uint64_t kAvlCompar = kKvmText + 0x1230;
constexpr uint64_t kIrqSetFn = kKvmText + 0x5640;

// QEMU's mappings of guest memory on illumos amd64 sit just below the user stack.
constexpr uint64_t kQemuGuestBase = 0xfffffd7f40000000ULL;

}  // namespace

KvmBuilder::KvmBuilder(Target& t)
    : t_(t),
      layout_(Layout::of(t)),
      heap_(std::make_unique<KernelHeap>(t)),
      frames_(std::make_unique<FrameAllocator>(t, kFirstPfn)),
      memsegs_(std::make_unique<MemsegBuilder>(*heap_)) {
    low_next_ = frames_->alloc_range(kLowPoolFrames);
    low_end_ = low_next_ + kLowPoolFrames;
    memsegs_->add(low_next_, low_end_);
    built_.frame_ranges.push_back({low_next_, low_end_, "pae_root pool"});

    built_.layout = layout_.name();
    built_.vm_list = ListBuilder::create(*heap_, layout_.size("struct kvm"), layout_.offset("struct kvm", "vm_list"));
    t_.symbols().add("kvm", "vm_list", built_.vm_list, sizeof(list_t), STT_OBJECT);
    t_.symbols().set_type("kvm", "vm_list", "list_t");
    t_.symbols().add("kvm", "kvm_avlmmucmp", kAvlCompar, 0x40, STT_FUNC);
}

KvmBuilder::~KvmBuilder() = default;

uint64_t KvmBuilder::low_frame() {
    if (low_next_ == low_end_) {
        const uint64_t first = frames_->alloc_range(kLowPoolFrames);
        if (first + kLowPoolFrames > kFourGiBPfn)
            throw std::runtime_error(
                fmt::format("kvm builder: no frames below 4 GiB left for another vCPU's pae_root "
                            "(next free frame {:#x})", first));
        low_next_ = first;
        low_end_ = first + kLowPoolFrames;
        memsegs_->add(low_next_, low_end_);
        built_.frame_ranges.push_back({low_next_, low_end_, "pae_root pool"});
    }
    return low_next_++;
}

const BuiltVm& KvmBuilder::add_vm(const VmSpec& spec) {
    if (finished_)
        throw std::logic_error("kvm builder: add_vm after finish");
    if (spec.vcpus.size() > KVM_MAX_VCPUS)
        throw std::invalid_argument(fmt::format("VM {}: {} vCPUs, at most {}", spec.kvmid, spec.vcpus.size(), KVM_MAX_VCPUS));
    if (spec.aliases.size() > KVM_ALIAS_SLOTS)
        throw std::invalid_argument(fmt::format("VM {}: {} aliases, at most {}", spec.kvmid, spec.aliases.size(), KVM_ALIAS_SLOTS));

    const Layout& L = layout_;
    const uint64_t mmu_page_size = L.size("struct kvm_mmu_page");
    BuiltVm vm;
    vm.kvmid = spec.kvmid;
    vm.leaf_accessed = spec.guest.leaf_accessed;
    // Large objects start on a page so that unmapping "the page under a struct" hits only it.
    vm.kvm = heap_->alloc(L.size("struct kvm"), kPageSize);
    vm.memslots = heap_->alloc(L.size("struct kvm_memslots"), kPageSize);
    vm.aliases = heap_->alloc(kPageSize, kPageSize);
    if (spec.has_irq_routing)
        vm.irq_routing = heap_->alloc(L.size("struct kvm_irq_routing_table"), kPageSize);
    for (size_t i = 0; i < spec.vcpus.size(); ++i) {
        BuiltVcpu v;
        v.addr = heap_->alloc(L.size("struct kvm_vcpu"), kPageSize);
        v.ringbuf = v.addr + L.offset("struct kvm_vcpu", "kvcpu_ringbuf");
        v.mmu = v.addr + L.offset("struct kvm_vcpu", "arch.mmu");
        v.ring = spec.vcpus[i].ring;
        vm.vcpus.push_back(v);
    }

    // Memory slots.
    StructBuf slots(L, "struct kvm_memslots");
    int nmemslots = 0;
    for (const MemslotSpec& m : spec.memslots) {
        if (m.index >= KVM_MEMORY_SLOTS + KVM_PRIVATE_MEM_SLOTS)
            throw std::invalid_argument(fmt::format("VM {}: memslot index {} out of range", spec.kvmid, m.index));
        if (m.userspace_addr % kPageSize != 0)
            throw std::invalid_argument(fmt::format("VM {}: memslot {} userspace_addr not page aligned", spec.kvmid, m.index));
        const std::string s = fmt::format("memslots[{}].", m.index);
        const uint64_t uaddr = m.userspace_addr ? m.userspace_addr : kQemuGuestBase + (m.base_gfn << 12);
        slots.set<uint64_t>(s + "base_gfn", m.base_gfn);
        slots.set<uint64_t>(s + "npages", m.npages);
        slots.set<uint64_t>(s + "flags", m.flags);
        slots.set<uint64_t>(s + "userspace_addr", uaddr);
        slots.set<int32_t>(s + "user_alloc", m.index < KVM_MEMORY_SLOTS);
        nmemslots = std::max(nmemslots, static_cast<int>(m.index) + 1);
        MemslotSpec used = m;
        used.userspace_addr = uaddr;
        vm.memslots_used.push_back(used);
    }
    slots.set<int32_t>("nmemslots", nmemslots);
    t_.put_bytes(vm.memslots, slots.data(), slots.size());

    // Aliases.
    StructBuf aliases(L, "struct kvm_mem_aliases");
    for (size_t i = 0; i < spec.aliases.size(); ++i) {
        const AliasSpec& a = spec.aliases[i];
        const std::string s = fmt::format("aliases[{}].", i);
        aliases.set<uint64_t>(s + "base_gfn", a.base_gfn);
        aliases.set<uint64_t>(s + "npages", a.npages);
        aliases.set<uint64_t>(s + "target_gfn", a.target_gfn);
        aliases.set<uint64_t>(s + "flags", a.flags);
    }
    aliases.set<int32_t>("naliases", static_cast<int32_t>(spec.aliases.size()));
    t_.put_bytes(vm.aliases, aliases.data(), aliases.size());
    vm.alias_entries = spec.aliases;

    // IRQ routing: every pin unrouted (-1) until a route names it.
    if (spec.has_irq_routing) {
        StructBuf irq(L, "struct kvm_irq_routing_table");
        std::vector<int32_t> chip(KVM_NR_IRQCHIPS * KVM_IOAPIC_NUM_PINS, -1);
        uint64_t entries = 0;
        if (!spec.irq_routes.empty())
            entries = heap_->alloc(sizeof(IrqRoutingEntry) * spec.irq_routes.size(), alignof(IrqRoutingEntry));
        for (const IrqRoute& r : spec.irq_routes) {
            if (r.chip >= KVM_NR_IRQCHIPS || r.pin >= KVM_IOAPIC_NUM_PINS || r.gsi < 0 || r.gsi > KVM_MAX_IRQ_ROUTES)
                throw std::invalid_argument(fmt::format("VM {}: bad IRQ route chip {} pin {} gsi {}", spec.kvmid, r.chip, r.pin, r.gsi));
            chip[r.chip * KVM_IOAPIC_NUM_PINS + r.pin] = r.gsi;
        }
        irq.set_bytes("chip", chip.data(), chip.size() * sizeof(int32_t), true);
        irq.set<uint64_t>("rt_entries", entries);
        irq.set<uint32_t>("nr_rt_entries", static_cast<uint32_t>(spec.irq_routes.size()));
        const uint64_t map = vm.irq_routing + irq.offset("map");
        for (unsigned g = 0; g <= KVM_MAX_IRQ_ROUTES; ++g) {
            list_t l{};
            empty_list(l, map + g * sizeof(list_t), sizeof(IrqRoutingEntry), offsetof(IrqRoutingEntry, link));
            irq.set(fmt::format("map[{}]", g), l);
        }
        t_.put_bytes(vm.irq_routing, irq.data(), irq.size());
        for (size_t i = 0; i < spec.irq_routes.size(); ++i) {
            const IrqRoute& r = spec.irq_routes[i];
            const uint64_t e = entries + i * sizeof(IrqRoutingEntry);
            IrqRoutingEntry entry{};
            entry.gsi = static_cast<uint32_t>(r.gsi);
            entry.type = detail::kIrqRoutingIrqchip;
            entry.set = kIrqSetFn;
            entry.irqchip = r.chip;
            entry.pin = r.pin;
            t_.put(e, entry);  // then append() links it
            ListBuilder::append(t_, map + static_cast<uint64_t>(r.gsi) * sizeof(list_t), e);
        }
        vm.irq_routes = spec.irq_routes;
    }

    // struct kvm itself; the lists and the tree it heads are linked once it is in place.
    StructBuf k(L, "struct kvm");
    k.set<uint64_t>("memslots", vm.memslots);
    k.set<uint32_t>("bsp_vcpu_id", 0);
    for (size_t i = 0; i < vm.vcpus.size(); ++i)
        k.set<uint64_t>(fmt::format("vcpus[{}]", i), vm.vcpus[i].addr);
    k.set<uint64_t>("bsp_vcpu", vm.vcpus.empty() ? 0 : vm.vcpus[0].addr);
    k.set<int32_t>("online_vcpus", static_cast<int32_t>(vm.vcpus.size()));
    fill_kstats(k, "kvm_stats", "kvm_stats_t", std::string_view("kvmks_").size(),
                {{"pid", static_cast<uint64_t>(spec.pid)}});
    k.set<uint64_t>("arch.aliases", vm.aliases);
    auto list_at = [&](const std::string& path, uint64_t obj_size, uint64_t node_offset) {
        list_t l{};
        empty_list(l, vm.kvm + k.offset(path), obj_size, node_offset);
        k.set(path, l);
    };
    const uint64_t hash_link = L.offset("struct kvm_mmu_page", "hash_link");
    for (unsigned h = 0; h < KVM_NUM_MMU_PAGES; ++h)
        list_at(fmt::format("arch.mmu_page_hash[{}]", h), mmu_page_size, hash_link);
    list_at("arch.active_mmu_pages", mmu_page_size, L.offset("struct kvm_mmu_page", "link"));
    list_at("arch.assigned_dev_head", detail::kAssignedDevSize, detail::kAssignedDevLink);
    k.set<uint64_t>("arch.tss_addr", 0xfeffd000);
    k.set<uint64_t>("arch.ept_identity_map_addr", 0xfffbc000);
    k.set<uint64_t>("arch.irq_sources_bitmap", 1);
    k.set<int32_t>("users_count", 1);
    k.set<uint64_t>("irq_routing", vm.irq_routing);
    k.set<int32_t>("irq_routing_sz", static_cast<int32_t>(spec.irq_routes.size()));
    list_at("mask_notifier_list", detail::kMaskNotifierSize, detail::kMaskNotifierLink);
    list_at("irq_ack_notifier_list", detail::kAckNotifierSize, detail::kAckNotifierLink);
    k.set<int32_t>("kvmid", spec.kvmid);
    k.set<int32_t>("kvm_pid", spec.pid);
    k.set<uint64_t>("kvm_avlmp.avl_compar", kAvlCompar);
    k.set<uint64_t>("kvm_avlmp.avl_offset", L.offset("struct kvm_mmu_page", "kmp_avlnode"));
    k.set<uint64_t>("kvm_avlmp.avl_size", mmu_page_size);
    t_.put_bytes(vm.kvm, k.data(), k.size());

    build_shadow(vm, spec);
    build_vcpus(vm, spec);
    ListBuilder::append(t_, built_.vm_list, vm.kvm);
    built_.vms.push_back(std::move(vm));
    return built_.vms.back();
}

namespace {

// What the builder placed, for ::whatis: "placed.NNNNNN" = "ADDR SIZE what" in the target's info,
// which images save, so a saved target answers as the live one does. Virtual addresses only.
void record_placements(Target& t, const BuiltKvm& built_) {
    size_t n = 0;
    auto place = [&](uint64_t addr, uint64_t size, const std::string& what) {
        if (addr == 0 || size == 0) return;
        t.info()[fmt::format("placed.{:06}", n++)] = fmt::format("{:#x} {:#x} {}", addr, size, what);
    };
    place(built_.vm_list, sizeof(list_t), "list_t vm_list");
    for (const BuiltVm& vm : built_.vms) {
        const int id = vm.kvmid;
        place(vm.kvm, sizeof(struct kvm), fmt::format("struct kvm of VM {}", id));
        place(vm.memslots, sizeof(struct kvm_memslots), fmt::format("struct kvm_memslots of VM {}", id));
        place(vm.aliases, sizeof(struct kvm_mem_aliases), fmt::format("struct kvm_mem_aliases of VM {}", id));
        place(vm.irq_routing, sizeof(struct kvm_irq_routing_table),
              fmt::format("struct kvm_irq_routing_table of VM {}", id));
        for (size_t c = 0; c < vm.vcpus.size(); ++c) {
            const BuiltVcpu& v = vm.vcpus[c];
            place(v.addr, sizeof(struct kvm_vcpu), fmt::format("struct kvm_vcpu of vCPU {} of VM {}", c, vm.kvmid));
            place(v.pae_root, kPageSize, fmt::format("pae_root page of vCPU {} of VM {}", c, vm.kvmid));
        }
        for (size_t i = 0; i < vm.shadow_pages.size(); ++i) {
            const BuiltShadowPage& sp = vm.shadow_pages[i];
            const std::string which = fmt::format("shadow page {} (level {}) of VM {}", i, sp.level, id);
            place(sp.mmu_page, sizeof(struct kvm_mmu_page), fmt::format("struct kvm_mmu_page of {}", which));
            place(sp.sptkma, kPageSize, fmt::format("page table entries of {}", which));
            place(sp.page_t, sizeof(page_t), fmt::format("page_t of {}", which));
        }
    }
}

}  // namespace

BuiltKvm KvmBuilder::finish() {
    if (finished_)
        throw std::logic_error("kvm builder: finish called twice");
    finished_ = true;
    memsegs_->finish();
    const Symbol* s = t_.symbols().lookup("memsegs");
    built_.memsegs_var = s ? s->value() : 0;
    record_placements(t_, built_);
    return built_;
}

}  // namespace mdbsim::sim::kvm
