// Typed corruption of built kvm state. Every kind reads what it needs back from the target where
// the damage depends on live contents (tree shape, memseg chain), and says what it did.
#include "mdbsim/sim/kvm/corrupt.hpp"

#include <fmt/format.h>

#include <functional>
#include <stdexcept>
#include <unordered_set>

#include "mix.hpp"
#include "structs.hpp"

namespace mdbsim::sim::kvm {
namespace {

using C = Corruption;

constexpr uint64_t kWildBase = 0xffffff00dead0000ULL;
constexpr uint64_t kScratchBase = 0xffffff0200000000ULL;
constexpr uint64_t kUncoveredPfn = 0x7fff0000ULL;  // far above any frame a scenario uses

// avl_node words and the avl_pcb packing (parent | child index << 2 | balance + 1).
constexpr uint64_t kLeftOff = offsetof(struct avl_node, avl_child[0]);
constexpr uint64_t kRightOff = offsetof(struct avl_node, avl_child[1]);
constexpr uint64_t kPcbOff = offsetof(struct avl_node, avl_pcb);
constexpr uint64_t kPcbChildBit = 4;
constexpr uint64_t kPcbBits = 7;

uint64_t page_down(uint64_t a) { return a & ~(kPageSize - 1); }
uint64_t page_up(uint64_t a) { return (a + kPageSize - 1) & ~(kPageSize - 1); }

class Corrupter {
public:
    Corrupter(Target& t, const BuiltKvm& k, const CorruptionRequest& r) : t_(t), L_(Layout::get(k.layout)), k_(k), req_(r) {
        out_.kind = r.kind;
    }

    AppliedCorruption run();

private:
    [[noreturn]] void not_applicable(std::string_view why) const {
        throw std::invalid_argument(fmt::format("corruption {}: {}", to_string(req_.kind), why));
    }

    // The VM the seed picks among those that satisfy ok.
    size_t pick_vm(const std::function<bool(const BuiltVm&)>& ok, std::string_view need) {
        std::vector<size_t> c;
        for (size_t i = 0; i < k_.vms.size(); ++i)
            if (ok(k_.vms[i]))
                c.push_back(i);
        if (c.empty())
            not_applicable(fmt::format("no VM {}", need));
        out_.vm = c[req_.seed % c.size()];
        return out_.vm;
    }
    size_t pick_any_vm() { return pick_vm([](const BuiltVm&) { return true; }, "in the scenario"); }

    std::string vm_name(size_t i) const { return fmt::format("VM {} (kvm {:#x}, kvmid {})", i, k_.vms[i].kvm, k_.vms[i].kvmid); }

    uint64_t wild_address() const {
        for (uint64_t i = 0;; ++i) {
            const uint64_t a = kWildBase + ((mix64(req_.seed, i) % 0x1000) << 12) + 0x40;
            if (!t_.vmem().find_region(a))
                return a;
        }
    }

    // A fresh page in kernel space nothing else uses, mapped read-write; the page after it stays
    // unmapped.
    uint64_t scratch_page() {
        for (uint64_t i = req_.seed % 256;; ++i) {
            const uint64_t p = kScratchBase + i * 0x10000;
            if (!t_.vmem().find_region(p) && !t_.vmem().find_region(p + kPageSize)) {
                t_.vmem().map(p, kPageSize, kProtRW, "corrupt-scratch");
                return p;
            }
        }
    }

    void set_word(uint64_t addr, uint64_t value, unsigned width = 8) {
        uint64_t old = 0;
        t_.get_bytes(addr, &old, width);
        t_.put_bytes(addr, &value, width);
        out_.addr = addr;
        out_.old_value = old;
        out_.new_value = value & (width == 8 ? ~uint64_t{0} : ((uint64_t{1} << (8 * width)) - 1));
        out_.width = width;
    }

    // A PTE lives twice: at the table's kmem address and in its physical frame.
    void set_pte(const BuiltShadowPage& sp, unsigned idx, uint64_t value) {
        set_word(sp.sptkma + idx * 8, value);
        out_.phys_addr = (sp.pfn << 12) + idx * 8;
        t_.pput<uint64_t>(out_.phys_addr, value);
        out_.physical_copy = true;
    }

    void unmap(uint64_t base, uint64_t size) {
        t_.vmem().unmap(base, size);
        out_.unmapped_base = base;
        out_.unmapped_size = size;
    }

    std::string pointer(uint64_t field_off, std::string_view field, uint64_t self_value, std::string_view how);
    std::string unmap_object(uint64_t obj, uint64_t size, std::string_view what, bool partial);
    std::string relocate_straddling(uint64_t ptr_field, uint64_t obj, uint64_t size, std::string_view what);
    std::string spt_back_edge(bool self);
    std::string pte_no_page();
    std::string avl(C kind);
    std::string memseg(C kind);

    const BuiltShadowPage& pick_table(const BuiltVm& vm, bool non_root) const {
        const size_t first = non_root ? 1 : 0;
        return vm.shadow_pages[first + mix64(req_.seed, 1) % (vm.shadow_pages.size() - first)];
    }
    // An entry of the table to overwrite: a free one if any (so nothing else changes), else any.
    unsigned pick_entry(const BuiltShadowPage& sp) const {
        uint64_t pte[512];
        t_.pget_bytes(sp.pfn << 12, pte, sizeof pte);
        const unsigned start = static_cast<unsigned>(mix64(req_.seed, 2) % 512);
        for (unsigned i = 0; i < 512; ++i)
            if (pte[(start + i) % 512] == 0)
                return (start + i) % 512;
        return start;
    }

    Target& t_;
    const Layout& L_;  // the profile the state was built in: offsets by member name
    const BuiltKvm& k_;
    const CorruptionRequest& req_;
    AppliedCorruption out_;
};

std::string Corrupter::pointer(uint64_t field_off, std::string_view field, uint64_t self_value, std::string_view how) {
    const size_t v = out_.vm;
    uint64_t value = 0;
    std::string why;
    if (how == "wild") {
        value = wild_address();
        why = "an unmapped kernel address";
    } else if (how == "null") {
        why = "NULL";
    } else {
        value = self_value;
        why = "the containing object itself";
    }
    set_word(k_.vms[v].kvm + field_off, value);
    return fmt::format("{} of {}: {} at {:#x} changed from {:#x} to {:#x} ({})", field, vm_name(v), field,
                       out_.addr, out_.old_value, out_.new_value, why);
}

std::string Corrupter::unmap_object(uint64_t obj, uint64_t size, std::string_view what, bool partial) {
    if (!partial) {
        const uint64_t base = page_down(obj), end = page_up(obj + size);
        unmap(base, end - base);
        return fmt::format("{} ({} bytes at {:#x}) unmapped: [{:#x}, {:#x}) no longer readable", what, size, obj, base, end);
    }
    const uint64_t last = page_down(obj + size - 1);
    if (last <= obj)
        not_applicable(fmt::format("{} fits in one page", what));
    unmap(last, kPageSize);
    return fmt::format("{} ({} bytes at {:#x}) partly unmapped: its last page [{:#x}, {:#x}) is gone, "
                       "the first {} bytes are still readable, the last {} are not",
                       what, size, obj, last, last + kPageSize, last - obj, obj + size - last);
}

// For an object inside one page: copy its head to the end of a fresh page whose successor is
// unmapped and point the kvm at the copy, so a read of the whole object fails half-way.
std::string Corrupter::relocate_straddling(uint64_t ptr_field, uint64_t obj, uint64_t size, std::string_view what) {
    const uint64_t head = (size / 2) & ~uint64_t{7};
    const uint64_t page = scratch_page();
    const uint64_t copy = page + kPageSize - head;
    std::vector<uint8_t> bytes(head);
    t_.get_bytes(obj, bytes.data(), head);
    t_.put_bytes(copy, bytes.data(), head);
    set_word(ptr_field, copy);
    out_.unmapped_base = page + kPageSize;
    out_.unmapped_size = kPageSize;
    return fmt::format("{} partly unmapped: pointer at {:#x} changed from {:#x} to {:#x}, a copy of its first {} bytes "
                       "at the end of page {:#x}; the remaining {} bytes fall in unmapped [{:#x}, {:#x})",
                       what, ptr_field, obj, copy, head, page, size - head, page + kPageSize, page + 2 * kPageSize);
}

std::string Corrupter::spt_back_edge(bool self) {
    // Only tables whose entries the MMU also follows (levels 2-4), so the back edge is a cycle
    // for any walker, not just for one that trusts the 0x27 bits.
    auto candidates = [self](const BuiltVm& vm) {
        std::vector<size_t> c;
        for (size_t i = 0; i < vm.shadow_pages.size(); ++i)
            if (vm.shadow_pages[i].level >= 2 && (self || vm.shadow_pages[i].parent >= 0))
                c.push_back(i);
        return c;
    };
    const size_t v = pick_vm([&](const BuiltVm& vm) { return !candidates(vm).empty(); },
                             self ? "with shadow tables" : "with a non-root directory table");
    const BuiltVm& vm = k_.vms[v];
    const std::vector<size_t> c = candidates(vm);
    const size_t sp_index = c[mix64(req_.seed, 1) % c.size()];
    const BuiltShadowPage& sp = vm.shadow_pages[sp_index];
    size_t target = sp_index;
    if (!self) {
        // Ancestors from the parent up to the root; the seed picks one.
        std::vector<size_t> up;
        for (int p = sp.parent; p >= 0; p = vm.shadow_pages[static_cast<size_t>(p)].parent)
            up.push_back(static_cast<size_t>(p));
        target = up[mix64(req_.seed, 3) % up.size()];
    }
    const BuiltShadowPage& to = vm.shadow_pages[target];
    const unsigned idx = pick_entry(sp);
    set_pte(sp, idx, (to.pfn << 12) | kPteTableBits);
    return fmt::format("{}: level-{} table (kvm_mmu_page {:#x}, pfn {:#x}) entry {} at {:#x} changed from {:#x} to {:#x}, "
                       "pointing {} (level-{} table, pfn {:#x}); physical copy changed too",
                       vm_name(v), sp.level, sp.mmu_page, sp.pfn, idx, out_.addr, out_.old_value, out_.new_value,
                       self ? "at the table itself" : "back up at an ancestor", to.level, to.pfn);
}

std::string Corrupter::pte_no_page() {
    const size_t v = pick_vm([](const BuiltVm& vm) { return !vm.shadow_pages.empty(); }, "with shadow tables");
    const BuiltVm& vm = k_.vms[v];
    // Prefer a page table (level 1): its entries are leaves the dmod still follows with 0x27.
    std::vector<size_t> leaves;
    for (size_t i = 0; i < vm.shadow_pages.size(); ++i)
        if (vm.shadow_pages[i].level == 1)
            leaves.push_back(i);
    const BuiltShadowPage& sp = leaves.empty() ? pick_table(vm, false) : vm.shadow_pages[leaves[req_.seed % leaves.size()]];
    const unsigned idx = pick_entry(sp);
    const uint64_t pfn = kUncoveredPfn + req_.seed % 256;
    set_pte(sp, idx, (pfn << 12) | kPteTableBits);
    return fmt::format("{}: level-{} table (pfn {:#x}) entry {} at {:#x} changed from {:#x} to {:#x}: frame {:#x} has no "
                       "page_t (no memseg covers it); physical copy changed too",
                       vm_name(v), sp.level, sp.pfn, idx, out_.addr, out_.old_value, out_.new_value, pfn);
}

struct AvlNode {
    uint64_t addr, left, right, pcb;
};

std::string Corrupter::avl(C kind) {
    const size_t min_nodes = kind == C::avl_order ? 3 : 2;
    const size_t v = pick_vm([&](const BuiltVm& vm) { return vm.shadow_pages.size() >= min_nodes; },
                             fmt::format("with at least {} shadow pages", min_nodes));
    const BuiltVm& vm = k_.vms[v];
    const uint64_t tree = vm.kvm + L_.offset("struct kvm", "kvm_avlmp");
    const uint64_t root = t_.peek<uint64_t>(tree);
    // Read the tree as it is now, iteratively. An earlier corruption may already have made it
    // cyclic: a node seen twice means this one does not apply (never an endless read).
    std::vector<AvlNode> nodes;
    std::unordered_set<uint64_t> seen;
    std::vector<uint64_t> stack{root};
    while (!stack.empty()) {
        const uint64_t n = stack.back();
        stack.pop_back();
        if (!n)
            continue;
        if (!seen.insert(n).second)
            not_applicable("kvm_avlmp already has a cycle (an earlier corruption)");
        AvlNode a{n, t_.peek<uint64_t>(n), t_.peek<uint64_t>(n + kRightOff), t_.peek<uint64_t>(n + kPcbOff)};
        nodes.push_back(a);
        stack.push_back(a.left);
        stack.push_back(a.right);
    }
    auto pick = [&](const std::function<bool(const AvlNode&)>& ok) -> const AvlNode& {
        std::vector<size_t> c;
        for (size_t i = 0; i < nodes.size(); ++i)
            if (ok(nodes[i]))
                c.push_back(i);
        if (c.empty())
            not_applicable("no suitable node in kvm_avlmp");
        return nodes[c[mix64(req_.seed, 4) % c.size()]];
    };

    if (kind == C::avl_order) {
        const AvlNode& n = pick([](const AvlNode& a) { return a.left && a.right; });
        set_word(n.addr, n.right);
        t_.put<uint64_t>(n.addr + kRightOff, n.left);
        // Keep every parent pointer and child index true, so only the key order is wrong.
        t_.put<uint64_t>(n.right + kPcbOff, t_.peek<uint64_t>(n.right + kPcbOff) & ~kPcbChildBit);
        t_.put<uint64_t>(n.left + kPcbOff, t_.peek<uint64_t>(n.left + kPcbOff) | kPcbChildBit);
        return fmt::format("{}: kvm_avlmp node {:#x} has its children swapped: avl_child[0] {:#x} -> {:#x}, "
                           "avl_child[1] {:#x} -> {:#x} (child index bits of both children updated); the in-order "
                           "walk is no longer ascending by kmp_avlspt",
                           vm_name(v), n.addr, n.left, n.right, n.right, n.left);
    }
    if (kind == C::avl_parent) {
        const AvlNode& n = pick([&](const AvlNode& a) { return a.addr != root; });
        const uint64_t parent = n.pcb & ~kPcbBits;
        const uint64_t wrong = parent != root ? root : n.addr;
        set_word(n.addr + kPcbOff, wrong | (n.pcb & kPcbBits));
        return fmt::format("{}: kvm_avlmp node {:#x} avl_pcb at {:#x} changed from {:#x} to {:#x}: its parent reads as "
                           "{:#x} ({}) instead of {:#x}",
                           vm_name(v), n.addr, out_.addr, out_.old_value, out_.new_value, wrong,
                           wrong == root ? "the root" : "the node itself", parent);
    }
    // avl_cycle: a leaf's child pointer leads back to the root.
    const AvlNode& n = pick([](const AvlNode& a) { return !a.left && !a.right; });
    const unsigned side = static_cast<unsigned>(req_.seed / 2 % 2);
    set_word(n.addr + (side ? kRightOff : kLeftOff), root);
    return fmt::format("{}: kvm_avlmp leaf {:#x} avl_child[{}] at {:#x} changed from {:#x} to the root {:#x}: the tree "
                       "now has a cycle",
                       vm_name(v), n.addr, side, out_.addr, out_.old_value, root);
}

std::string Corrupter::memseg(C kind) {
    if (kind == C::memseg_loop) {
        if (!k_.memsegs_var)
            not_applicable("no memsegs");
        std::vector<uint64_t> chain;
        std::unordered_set<uint64_t> seen;
        for (uint64_t m = t_.peek<uint64_t>(k_.memsegs_var); m; m = t_.peek<uint64_t>(m + offsetof(struct memseg, next))) {
            if (!seen.insert(m).second)
                not_applicable("the memseg chain already loops (an earlier corruption)");
            chain.push_back(m);
        }
        if (chain.empty())
            not_applicable("the memseg chain is empty");
        const uint64_t to = chain[req_.seed % chain.size()];
        set_word(chain.back() + offsetof(struct memseg, next), to);
        return fmt::format("memseg chain: next of the last memseg {:#x} (at {:#x}) changed from 0 to {:#x} "
                           "(memseg {} of {}): the chain never ends",
                           chain.back(), out_.addr, to, req_.seed % chain.size(), chain.size());
    }
    const size_t v = pick_vm([](const BuiltVm& vm) { return !vm.shadow_pages.empty(); }, "with shadow tables");
    const BuiltShadowPage& sp = k_.vms[v].shadow_pages[mix64(req_.seed, 5) % k_.vms[v].shadow_pages.size()];
    set_word(sp.page_t + offsetof(page_t, p_pagenum), sp.pfn + 1 + req_.seed % 7);
    return fmt::format("{}: page_t {:#x} of the level-{} table frame {:#x}: p_pagenum at {:#x} changed from {:#x} "
                       "to {:#x}, so pfn2page refuses it",
                       vm_name(v), sp.page_t, sp.level, sp.pfn, out_.addr, out_.old_value, out_.new_value);
}

AppliedCorruption Corrupter::run() {
    const C kind = req_.kind;
    std::string what;
    auto has_vcpu = [](const BuiltVm& vm) { return !vm.vcpus.empty(); };
    switch (kind) {
    case C::vm_list_wild: case C::vm_list_null: case C::vm_list_self: case C::vm_list_cycle: {
        const size_t v = pick_any_vm();
        const uint64_t node = k_.vms[v].kvm + L_.offset("struct kvm", "vm_list");
        if (kind == C::vm_list_cycle) {
            const uint64_t first = k_.vms[0].kvm + L_.offset("struct kvm", "vm_list");
            set_word(node, first);
            what = fmt::format("vm_list.list_next of {} at {:#x} changed from {:#x} to {:#x} (VM 0's node): VMs 0..{} "
                               "form a cycle that never returns to the sentinel",
                               vm_name(v), node, out_.old_value, first, v);
        } else {
            const char* how = kind == C::vm_list_wild ? "wild" : kind == C::vm_list_null ? "null" : "self";
            what = pointer(L_.offset("struct kvm", "vm_list.list_next"), "vm_list.list_next", node, how);
        }
        break;
    }
    case C::memslots_wild: case C::memslots_null: case C::memslots_self:
        pick_any_vm();
        what = pointer(L_.offset("struct kvm", "memslots"), "memslots", k_.vms[out_.vm].kvm,
                       kind == C::memslots_wild ? "wild" : kind == C::memslots_null ? "null" : "self");
        break;
    case C::aliases_wild: case C::aliases_null: case C::aliases_self:
        pick_any_vm();
        what = pointer(L_.offset("struct kvm", "arch.aliases"), "arch.aliases", k_.vms[out_.vm].kvm,
                       kind == C::aliases_wild ? "wild" : kind == C::aliases_null ? "null" : "self");
        break;
    case C::irq_routing_wild: case C::irq_routing_null: case C::irq_routing_self:
        pick_any_vm();
        what = pointer(L_.offset("struct kvm", "irq_routing"), "irq_routing", k_.vms[out_.vm].kvm,
                       kind == C::irq_routing_wild ? "wild" : kind == C::irq_routing_null ? "null" : "self");
        break;
    case C::vcpu0_wild: case C::vcpu0_null: case C::vcpu0_self:
        pick_vm(has_vcpu, "with a vCPU");
        what = pointer(L_.offset("struct kvm", "vcpus[0]"), "vcpus[0]", k_.vms[out_.vm].kvm,
                       kind == C::vcpu0_wild ? "wild" : kind == C::vcpu0_null ? "null" : "self");
        break;
    case C::unmap_kvm: case C::unmap_kvm_partial: {
        const size_t v = pick_any_vm();
        what = unmap_object(k_.vms[v].kvm, L_.size("struct kvm"), fmt::format("struct kvm of {}", vm_name(v)), kind == C::unmap_kvm_partial);
        break;
    }
    case C::unmap_memslots: case C::unmap_memslots_partial: {
        const size_t v = pick_any_vm();
        const std::string name = fmt::format("kvm_memslots of {}", vm_name(v));
        what = kind == C::unmap_memslots ? unmap_object(k_.vms[v].memslots, L_.size("struct kvm_memslots"), name, false)
                                         : relocate_straddling(k_.vms[v].kvm + L_.offset("struct kvm", "memslots"), k_.vms[v].memslots,
                                                               L_.size("struct kvm_memslots"), name);
        break;
    }
    case C::unmap_aliases: {
        const size_t v = pick_any_vm();
        what = unmap_object(k_.vms[v].aliases, L_.size("struct kvm_mem_aliases"), fmt::format("kvm_mem_aliases of {}", vm_name(v)), false);
        break;
    }
    case C::unmap_irq_routing: case C::unmap_irq_routing_partial: {
        const size_t v = pick_vm([](const BuiltVm& vm) { return vm.irq_routing != 0; }, "with an IRQ routing table");
        what = unmap_object(k_.vms[v].irq_routing, L_.size("struct kvm_irq_routing_table"), fmt::format("kvm_irq_routing_table of {}", vm_name(v)),
                            kind == C::unmap_irq_routing_partial);
        break;
    }
    case C::unmap_vcpu: case C::unmap_vcpu_partial: case C::unmap_pae_root: {
        const size_t v = pick_vm(has_vcpu, "with a vCPU");
        const auto& vcpus = k_.vms[v].vcpus;
        const size_t c = (req_.seed / k_.vms.size()) % vcpus.size();
        if (kind == C::unmap_pae_root)
            what = unmap_object(vcpus[c].pae_root, kPageSize, fmt::format("pae_root page of vCPU {} of {}", c, vm_name(v)), false);
        else
            what = unmap_object(vcpus[c].addr, L_.size("struct kvm_vcpu"), fmt::format("struct kvm_vcpu {} of {}", c, vm_name(v)),
                                kind == C::unmap_vcpu_partial);
        break;
    }
    case C::unmap_spt: {
        const size_t v = pick_vm([](const BuiltVm& vm) { return vm.shadow_pages.size() > 1; }, "with non-root shadow tables");
        const BuiltShadowPage& sp = pick_table(k_.vms[v], true);
        what = unmap_object(sp.sptkma, kPageSize,
                            fmt::format("level-{} shadow table (kvm_mmu_page {:#x}, pfn {:#x}) kmem page of {}", sp.level,
                                        sp.mmu_page, sp.pfn, vm_name(v)),
                            false) + "; its physical frame is intact";
        break;
    }
    case C::alias_count: {
        static constexpr int32_t kValues[] = {5, 1000, -1};
        const int32_t n = req_.value ? static_cast<int32_t>(*req_.value) : kValues[req_.seed % 3];
        const size_t v = pick_any_vm();
        set_word(k_.vms[v].aliases + L_.offset("struct kvm_mem_aliases", "naliases"), static_cast<uint32_t>(n), 4);
        what = fmt::format("naliases of {} at {:#x} changed from {} to {} (valid: 0..4)", vm_name(v), out_.addr,
                           static_cast<int32_t>(out_.old_value), n);
        break;
    }
    case C::ring_ent: {
        static constexpr uint32_t kValues[] = {0, 511, 512, 513, 0xffffffff};
        const size_t v = pick_vm(has_vcpu, "with a vCPU");
        const auto& vcpus = k_.vms[v].vcpus;
        const size_t c = (req_.seed / 5) % vcpus.size();
        uint32_t n = req_.value ? static_cast<uint32_t>(*req_.value) : kValues[req_.seed % 5];
        // A seed-picked value that the ring already holds would change nothing: take the next one.
        if (!req_.value && n == t_.peek<uint32_t>(vcpus[c].ringbuf + L_.offset("kvm_ringbuf_t", "kvmr_ent")))
            n = kValues[(req_.seed + 1) % 5];
        set_word(vcpus[c].ringbuf + L_.offset("kvm_ringbuf_t", "kvmr_ent"), n, 4);
        what = fmt::format("kvmr_ent of vCPU {} of {} (ring {:#x}) at {:#x} changed from {} to {} (buffer unchanged)", c,
                           vm_name(v), vcpus[c].ringbuf, out_.addr, out_.old_value, n);
        break;
    }
    case C::spt_ancestor: case C::spt_self:
        what = spt_back_edge(kind == C::spt_self);
        break;
    case C::pte_no_page:
        what = pte_no_page();
        break;
    case C::avl_order: case C::avl_parent: case C::avl_cycle:
        what = avl(kind);
        break;
    case C::memseg_loop: case C::memseg_pagenum:
        what = memseg(kind);
        break;
    case C::root_invalid: case C::root_garbage: {
        const size_t v = pick_vm(has_vcpu, "with a vCPU");
        const uint64_t field = k_.vms[v].vcpus[0].addr + L_.offset("struct kvm_vcpu", "arch.mmu.root_hpa");
        uint64_t value = kInvalidPage;
        if (kind == C::root_garbage)
            value = req_.seed % 2 ? 0xdeadbeefcafeULL : (kUncoveredPfn + 0x100 + req_.seed % 16) << 12;
        set_word(field, value);
        what = fmt::format("root_hpa of vCPU 0 of {} at {:#x} changed from {:#x} to {:#x}{}", vm_name(v), field,
                           out_.old_value, value, kind == C::root_garbage ? " (no memseg covers that frame)" : " (INVALID_PAGE)");
        break;
    }
    }
    out_.description = fmt::format("{}: {}", to_string(kind), what);
    return out_;
}

}  // namespace

AppliedCorruption apply_corruption(Target& t, const BuiltKvm& kvm, const CorruptionRequest& req) {
    Corrupter c(t, kvm, req);
    return c.run();
}

}  // namespace mdbsim::sim::kvm
