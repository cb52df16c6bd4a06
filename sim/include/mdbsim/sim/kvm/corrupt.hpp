// Typed corruption of a built kvm scenario: each kind damages one thing, picked by a seed, and
// reports in words exactly what it changed. Used by fixtures ("corrupt,kind=...") and fuzzing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mdbsim/sim/kvm/builder.hpp"
#include "mdbsim/sim/target.hpp"

namespace mdbsim::sim::kvm {

enum class Corruption {
    // Pointers: wild (non-null, unmapped), null, self (to the containing object), cycle.
    vm_list_wild, vm_list_null, vm_list_self, vm_list_cycle,
    memslots_wild, memslots_null, memslots_self,
    aliases_wild, aliases_null, aliases_self,
    irq_routing_wild, irq_routing_null, irq_routing_self,
    vcpu0_wild, vcpu0_null, vcpu0_self,
    // The page(s) under an object unmapped, entirely or only its tail.
    unmap_kvm, unmap_kvm_partial,
    unmap_memslots, unmap_memslots_partial,
    unmap_aliases,
    unmap_irq_routing, unmap_irq_routing_partial,
    unmap_vcpu, unmap_vcpu_partial,
    unmap_spt,        // a non-root shadow table's kmem page (the physical frame stays)
    unmap_pae_root,
    // Counts out of range.
    alias_count,      // naliases = 5, 1000 or -1
    ring_ent,         // kvmr_ent = 0, 511, 512, 513 or 0xffffffff
    // Shadow tables.
    spt_ancestor,     // an entry points back at an ancestor table
    spt_self,         // an entry points at its own table
    pte_no_page,      // an entry with 0x27 to a frame no memseg covers
    // kvm_avlmp.
    avl_order,        // a node's children swapped (parents and child bits stay right)
    avl_parent,       // a node's parent pointer names the wrong node
    avl_cycle,        // a child pointer leads back to the root
    // memsegs.
    memseg_loop,      // the last memseg's next points back into the chain
    memseg_pagenum,   // a table frame's page_t has the wrong p_pagenum
    // vCPU 0's root.
    root_invalid,     // root_hpa = INVALID_PAGE
    root_garbage,     // root_hpa = an address no memseg covers
};

// Kind names as written on command lines ("vm-list-wild", "alias-count", ...).
std::string_view to_string(Corruption kind);
Corruption corruption_from_string(std::string_view name);  // throws std::invalid_argument
std::string_view summary(Corruption kind);                 // one line, for --list-corruptions
const std::vector<Corruption>& all_corruptions();

struct CorruptionRequest {
    Corruption kind{};
    uint64_t seed = 0;                    // picks the VM, vCPU, table, entry, value variant
    std::optional<int64_t> value;         // forces the value of alias_count / ring_ent
};

// What changed. A pointer or value change records (addr, old, new, width); an unmap records the
// range. The description names the kind, the object and every change.
struct AppliedCorruption {
    Corruption kind{};
    std::string description;
    size_t vm = 0;                         // index into BuiltKvm::vms, when it applies to one
    uint64_t addr = 0;                     // the word changed (virtual), 0 for unmaps
    uint64_t old_value = 0, new_value = 0;
    unsigned width = 8;                    // bytes of the changed word
    bool physical_copy = false;            // the same word also changed in physical memory...
    uint64_t phys_addr = 0;                // ...at this physical address
    uint64_t unmapped_base = 0, unmapped_size = 0;
};

// Applies one corruption. Throws std::invalid_argument when the scenario has nothing the kind
// could damage (no VM, no shadow tables, an AVL tree too small, ...).
AppliedCorruption apply_corruption(Target& t, const BuiltKvm& kvm, const CorruptionRequest& req);

}  // namespace mdbsim::sim::kvm
