// Internal to sim/kvm: the C layouts, and helpers for filling host-side copies of them before
// they are written into the target in one piece. Every offset and size sim/kvm uses comes from
// the SDK's structure headers through offsetof/sizeof, or, for the few kernel structures no dmod
// reads (so the SDK leaves them out), from the layouts below.
#pragma once

#include <mdbsim/kvm/kvm_state.h>
#include <sys/avl_impl.h>
#include <sys/list_impl.h>
#include <vm/page.h>

#include <cstdint>
#include <cstring>
#include <memory>

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

// A target address stored into a pointer field of a host-side copy.
template <class T> T* tptr(uint64_t addr) { return reinterpret_cast<T*>(static_cast<uintptr_t>(addr)); }

// A value-initialized (all-zero) host copy; large structures live on the heap, not the stack.
template <class T> std::unique_ptr<T> zeroed() { return std::make_unique<T>(); }

// An empty list_t at target address list_addr: the sentinel points at itself.
inline void empty_list(list_t& l, uint64_t list_addr, uint64_t obj_size, uint64_t node_offset) {
    l.list_size = obj_size;
    l.list_offset = node_offset;
    const uint64_t sentinel = list_addr + offsetof(list_t, list_head);
    l.list_head.list_next = tptr<list_node_t>(sentinel);
    l.list_head.list_prev = tptr<list_node_t>(sentinel);
}

inline void named_u64(kstat_named_t& k, const char* name, uint64_t value) {
    std::strncpy(k.name, name, KSTAT_STRLEN - 1);
    k.data_type = KSTAT_DATA_UINT64;
    k.value.ui64 = value;
}

}  // namespace mdbsim::sim::kvm::detail
