// Internal to sim/kvm: helpers for filling host-side copies of structures before they are written
// into the target in one piece. The kvm structures' offsets and sizes come from the target's
// layout profile (Layout, by member name); the illumos primitives (list_t, avl_tree_t,
// kstat_named_t) from the SDK headers; the few kernel structures no dmod reads from below.
#pragma once

#include <mdbsim/kvm/kvm_state.h>
#include "mdbsim/sim/kvm/layout.hpp"
#include <sys/avl_impl.h>
#include <sys/list_impl.h>
#include <vm/page.h>

#include <cstdint>
#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace mdbsim::sim::kvm::detail {

// struct kvm_kernel_irq_routing_entry (layouts.md §5.6: 48 bytes each behind rt_entries), an
// IRQCHIP route; the MSI member of the kernel's union is longer, hence the padding.
struct IrqRoutingEntry {
    uint32_t gsi;
    uint32_t type;       // KVM_IRQ_ROUTING_IRQCHIP for every route the builder writes
    uint64_t set;        // the kernel's set function (never called here)
    uint32_t irqchip;
    uint32_t pin;
    uint32_t msi_data;   // the third word of the MSI member
    uint32_t pad;
    list_node_t link;
};
static_assert(sizeof(IrqRoutingEntry) == 48 && offsetof(IrqRoutingEntry, irqchip) == 16 &&
                  offsetof(IrqRoutingEntry, pin) == 20 && offsetof(IrqRoutingEntry, link) == 32,
              "layouts.md 5.6");
inline constexpr uint32_t kIrqRoutingIrqchip = 1;  // KVM_IRQ_ROUTING_IRQCHIP

// Elements of per-VM lists nothing walks (list_size and list_offset of their heads only):
// struct kvm_assigned_dev_kernel (link first), kvm_irq_mask_notifier (link at 16) and
// kvm_irq_ack_notifier (link first).
inline constexpr uint64_t kAssignedDevSize = 0x1a8, kAssignedDevLink = 0;
inline constexpr uint64_t kMaskNotifierSize = 32, kMaskNotifierLink = 16;
inline constexpr uint64_t kAckNotifierSize = 32, kAckNotifierLink = 0;

// An empty list_t at target address list_addr: the sentinel points at itself.
inline void empty_list(list_t& l, uint64_t list_addr, uint64_t obj_size, uint64_t node_offset) {
    l.list_size = obj_size;
    l.list_offset = node_offset;
    const uint64_t sentinel = list_addr + offsetof(list_t, list_head);
    // A target address in a host-side copy's pointer member.
    l.list_head.list_next = reinterpret_cast<list_node_t*>(static_cast<uintptr_t>(sentinel));
    l.list_head.list_prev = l.list_head.list_next;
}

// Each kstat of a kstat group (kvm_stats_t, kvm_vcpu_stats_t) is named after its member: the
// prefix dropped, '_' as '-' ("kvmks_mmu_pte_write" is "mmu-pte-write"); the last, zonename, is
// a string.
inline void fill_kstats(StructBuf& obj, const std::string& member, const std::string& group_type, size_t prefix,
                 const std::map<std::string, uint64_t>& values) {
    const std::vector<std::string> names = obj.layout().members(group_type);
    for (size_t i = 0; i < names.size(); ++i) {
        std::string kname = names[i].substr(std::min(prefix, names[i].size()));
        std::replace(kname.begin(), kname.end(), '_', '-');
        kstat_named_t k{};
        std::strncpy(k.name, kname.c_str(), KSTAT_STRLEN - 1);
        if (kname == "zonename") {
            k.data_type = KSTAT_DATA_STRING;
        } else {
            k.data_type = KSTAT_DATA_UINT64;
            auto v = values.find(kname);
            k.value.ui64 = v == values.end() ? 0 : v->second;
        }
        obj.set(member + "." + names[i], k);
    }
}

}  // namespace mdbsim::sim::kvm::detail
