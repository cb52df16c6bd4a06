// Writes consistent illumos-kvm state (layouts.md section 12) into a sim::Target: the global
// vm_list, VMs with memory slots, aliases, IRQ routing, vCPUs with ring buffers and MMUs, and
// four-level shadow page tables with their kvm_mmu_page objects, AVL tree and page_t coverage.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mdbsim/sim/builders.hpp"
#include "mdbsim/sim/kvm/layout.hpp"
#include "mdbsim/sim/kvm/ring.hpp"
#include "mdbsim/sim/kvm/shadow.hpp"
#include "mdbsim/sim/target.hpp"

namespace mdbsim::sim::kvm {

struct MemslotSpec {
    unsigned index = 0;  // 0..31 user slots, 32..35 private slots
    uint64_t base_gfn = 0;
    uint64_t npages = 0;
    uint64_t userspace_addr = 0;  // page aligned; 0 lets the builder choose one
    uint64_t flags = 0;
};

struct AliasSpec {
    uint64_t base_gfn = 0;
    uint64_t npages = 0;
    uint64_t target_gfn = 0;
    uint64_t flags = 0;  // KVM_ALIAS_INVALID (1) makes the alias skipped
};

struct IrqRoute {
    unsigned chip = 0;  // 0 PIC master, 1 PIC slave, 2 IOAPIC
    unsigned pin = 0;
    int gsi = 0;
};

struct VcpuSpec {
    RingSpec ring;
    bool root_loaded = true;  // false: root_hpa = INVALID_PAGE (never loaded or freed)
    int host_cpu = 0;
};

struct VmSpec {
    int kvmid = 1;
    int pid = 100;
    std::vector<MemslotSpec> memslots;
    std::vector<AliasSpec> aliases;
    std::vector<IrqRoute> irq_routes;
    bool has_irq_routing = true;
    std::vector<VcpuSpec> vcpus;
    GuestMapSpec guest;  // the VM's shadow-mapped guest memory
};

struct BuiltShadowPage {
    uint64_t mmu_page = 0;    // struct kvm_mmu_page
    uint64_t pfn = 0;         // table frame
    uint64_t sptkma = 0;      // kmem address of the 4096 PTE bytes
    uint64_t page_t = 0;      // kmp_avlspt
    int level = 0;
    int parent = -1;          // index in BuiltVm::shadow_pages, -1 for the root
    int parent_index = -1;    // entry of the parent that points here
};

struct BuiltVcpu {
    uint64_t addr = 0;        // struct kvm_vcpu (16-byte aligned)
    uint64_t ringbuf = 0;     // its kvcpu_ringbuf
    uint64_t mmu = 0;         // its arch.mmu
    uint64_t pae_root = 0;    // kernel virtual address of the pae_root page
    uint64_t pae_root_pfn = 0;
    uint64_t root_hpa = 0;
    RingSpec ring;
};

struct BuiltVm {
    uint64_t kvm = 0;
    int kvmid = 0;
    uint64_t memslots = 0;
    uint64_t aliases = 0;
    uint64_t irq_routing = 0;   // 0 when the VM has none
    std::vector<BuiltVcpu> vcpus;
    std::vector<MemslotSpec> memslots_used;
    std::vector<AliasSpec> alias_entries;
    std::vector<IrqRoute> irq_routes;
    std::vector<GuestExtent> guest_map;          // what the shadow tables must translate to
    std::vector<BuiltShadowPage> shadow_pages;   // [0] is the root when the map is non-empty
    uint64_t root_hpa = kInvalidPage;            // of the shared root table
    bool leaf_accessed = true;
};

struct BuiltKvm {
    std::string layout = "pre-ept";  // the layout profile the structures were written in
    uint64_t vm_list = 0;       // the list_t behind symbol `vm_list`
    uint64_t memsegs_var = 0;   // the `memsegs` variable
    std::vector<BuiltVm> vms;   // in vm_list order
    struct FrameRange { uint64_t base_pfn, end_pfn; std::string what; };
    std::vector<FrameRange> frame_ranges;  // each covered by one memseg, in chain order
};

class KvmBuilder {
public:
    // Writes the kvm structures in the target's layout profile (Layout::of(t)).
    explicit KvmBuilder(Target& t);
    ~KvmBuilder();
    KvmBuilder(const KvmBuilder&) = delete;
    KvmBuilder& operator=(const KvmBuilder&) = delete;

    // Builds one VM and appends it to vm_list.
    const BuiltVm& add_vm(const VmSpec& spec);
    // Chains the memsegs and defines `memsegs`; the builder must not be used afterwards.
    BuiltKvm finish();

    KernelHeap& heap() { return *heap_; }
    FrameAllocator& frames() { return *frames_; }
    const Layout& layout() const { return layout_; }

private:
    uint64_t low_frame();  // a frame below 4 GiB (pae_root pages)
    void build_shadow(BuiltVm& vm, const VmSpec& spec);
    void build_vcpus(BuiltVm& vm, const VmSpec& spec);

    Target& t_;
    const Layout& layout_;
    std::unique_ptr<KernelHeap> heap_;
    std::unique_ptr<FrameAllocator> frames_;
    std::unique_ptr<MemsegBuilder> memsegs_;
    BuiltKvm built_;
    uint64_t low_next_ = 0, low_end_ = 0;
    bool finished_ = false;
};

// Constants other layers (fixtures, corruption, tests) share. Offsets and sizes of the kvm
// structures are not restated here: take them from the target's layout profile (Layout::of).
inline constexpr uint64_t kAliasInvalid = 1;  // KVM_ALIAS_INVALID
inline constexpr unsigned kMaxVcpus = 64;       // KVM_MAX_VCPUS
inline constexpr uint64_t kKpmBase = 0xfffffd0000000000ULL;  // where spt (kpm) aliases point

}  // namespace mdbsim::sim::kvm
