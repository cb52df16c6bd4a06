// Internal to sim/kvm: the C layouts, and helpers for filling host-side copies of them before
// they are written into the target in one piece.
#pragma once

#include <mdbsim/kvm/kvm_state.h>
#include <sys/list_impl.h>
#include <vm/page.h>

#include <cstdint>
#include <cstring>
#include <memory>

namespace mdbsim::sim::kvm::detail {

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
