#include <fmt/format.h>

#include <array>
#include <stdexcept>

#include "mdbsim/sim/kvm/corrupt.hpp"

namespace mdbsim::sim::kvm {
namespace {

using C = Corruption;
struct KindName {
    Corruption kind;
    std::string_view name;
    std::string_view summary;
};

constexpr std::array<KindName, 39> kNames{{
    {C::vm_list_wild, "vm-list-wild", "a VM's vm_list.list_next points at unmapped kernel memory"},
    {C::vm_list_null, "vm-list-null", "a VM's vm_list.list_next is NULL"},
    {C::vm_list_self, "vm-list-self", "a VM's vm_list.list_next points at its own node"},
    {C::vm_list_cycle, "vm-list-cycle", "a VM's vm_list.list_next points back at VM 0 (cycle avoiding the sentinel)"},
    {C::memslots_wild, "memslots-wild", "kvm.memslots points at unmapped kernel memory"},
    {C::memslots_null, "memslots-null", "kvm.memslots is NULL"},
    {C::memslots_self, "memslots-self", "kvm.memslots points at the kvm itself"},
    {C::aliases_wild, "aliases-wild", "kvm.arch.aliases points at unmapped kernel memory"},
    {C::aliases_null, "aliases-null", "kvm.arch.aliases is NULL"},
    {C::aliases_self, "aliases-self", "kvm.arch.aliases points at the kvm itself"},
    {C::irq_routing_wild, "irq-routing-wild", "kvm.irq_routing points at unmapped kernel memory"},
    {C::irq_routing_null, "irq-routing-null", "kvm.irq_routing is NULL"},
    {C::irq_routing_self, "irq-routing-self", "kvm.irq_routing points at the kvm itself"},
    {C::vcpu0_wild, "vcpu0-wild", "kvm.vcpus[0] points at unmapped kernel memory"},
    {C::vcpu0_null, "vcpu0-null", "kvm.vcpus[0] is NULL"},
    {C::vcpu0_self, "vcpu0-self", "kvm.vcpus[0] points at the kvm itself"},
    {C::unmap_kvm, "unmap-kvm", "every page under a struct kvm unmapped"},
    {C::unmap_kvm_partial, "unmap-kvm-partial", "the last page under a struct kvm unmapped"},
    {C::unmap_memslots, "unmap-memslots", "the page under kvm_memslots unmapped"},
    {C::unmap_memslots_partial, "unmap-memslots-partial", "kvm_memslots moved so that its second half is unmapped"},
    {C::unmap_aliases, "unmap-aliases", "the page under kvm_mem_aliases unmapped"},
    {C::unmap_irq_routing, "unmap-irq-routing", "every page under the IRQ routing table unmapped"},
    {C::unmap_irq_routing_partial, "unmap-irq-routing-partial", "the last page under the IRQ routing table unmapped"},
    {C::unmap_vcpu, "unmap-vcpu", "every page under a kvm_vcpu unmapped"},
    {C::unmap_vcpu_partial, "unmap-vcpu-partial", "the last page under a kvm_vcpu unmapped"},
    {C::unmap_spt, "unmap-spt", "a non-root shadow table's kmem page unmapped (the frame stays)"},
    {C::unmap_pae_root, "unmap-pae-root", "a vCPU's pae_root page unmapped"},
    {C::alias_count, "alias-count", "naliases set to 5, 1000 or -1"},
    {C::ring_ent, "ring-ent", "a ring's kvmr_ent set to 0, 511, 512, 513 or 0xffffffff"},
    {C::spt_ancestor, "spt-ancestor", "a directory entry points back up at an ancestor table"},
    {C::spt_self, "spt-self", "a directory entry points at its own table"},
    {C::pte_no_page, "pte-no-page", "an entry with 0x27 names a frame no memseg covers"},
    {C::avl_order, "avl-order", "a kvm_avlmp node's children swapped (order broken, links intact)"},
    {C::avl_parent, "avl-parent", "a kvm_avlmp node's avl_pcb names the wrong parent"},
    {C::avl_cycle, "avl-cycle", "a kvm_avlmp leaf's child pointer leads back to the root"},
    {C::memseg_loop, "memseg-loop", "the last memseg's next points back into the chain"},
    {C::memseg_pagenum, "memseg-pagenum", "a shadow table frame's page_t has the wrong p_pagenum"},
    {C::root_invalid, "root-invalid", "vCPU 0's root_hpa is INVALID_PAGE"},
    {C::root_garbage, "root-garbage", "vCPU 0's root_hpa names a frame no memseg covers"},
}};

}  // namespace

std::string_view to_string(Corruption kind) {
    for (const KindName& k : kNames)
        if (k.kind == kind)
            return k.name;
    return "unknown";
}

std::string_view summary(Corruption kind) {
    for (const KindName& k : kNames)
        if (k.kind == kind)
            return k.summary;
    return "";
}

Corruption corruption_from_string(std::string_view name) {
    for (const KindName& k : kNames)
        if (k.name == name)
            return k.kind;
    std::string known;
    for (const KindName& k : kNames)
        known += fmt::format("{}{}", known.empty() ? "" : ", ", k.name);
    throw std::invalid_argument(fmt::format("unknown corruption kind '{}' (known: {})", name, known));
}

const std::vector<Corruption>& all_corruptions() {
    static const std::vector<Corruption> all = [] {
        std::vector<Corruption> v;
        for (const KindName& k : kNames)
            v.push_back(k.kind);
        return v;
    }();
    return all;
}

}  // namespace mdbsim::sim::kvm
