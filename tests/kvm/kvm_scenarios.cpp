#include "kvm_scenarios.hpp"

namespace kvmtest {

using namespace mdbsim::sim::kvm;

BuiltScenario build(const std::vector<VmSpec>& vms, const std::string& layout) {
    BuiltScenario s;
    s.target = std::make_unique<mdbsim::sim::Target>();
    mdbsim::sim::kvm::Layout::get(layout).apply(*s.target);
    KvmBuilder b(*s.target);
    for (const VmSpec& vm : vms) b.add_vm(vm);
    s.kvm = b.finish();
    return s;
}

VmSpec rich_vm(int kvmid) {
    VmSpec vm;
    vm.kvmid = kvmid;
    vm.pid = 1000 + kvmid;
    vm.memslots = {
        {0, 0x0, 0xa0, 0, 0},
        {1, 0x100, 0x700, 0, 0},
        {7, 0x100000, 0x10, 0xfffffd7fe0000000ULL, 0},
    };
    vm.aliases = {
        {0xa0, 0x20, 0x100, 1},      // invalid: skipped
        {0xc0, 0x10, 0x200, 0},      // gfn 0xc0.. -> 0x200..
    };
    vm.irq_routes = {{0, 0, 0}, {0, 1, 1}, {1, 0, 8}, {2, 0, 2}, {2, 23, 23}};
    VcpuSpec v0;
    v0.ring = {100, 7};
    VcpuSpec v1;
    v1.ring = {1300, 9};
    vm.vcpus = {v0, v1};
    vm.guest.regions = {
        {0x0, 64 * 4096, false, false},
        {0x40000000, 2 << 20, true, false},
        {0x7ff000000000ULL, 8 * 4096, false, true},
        {0xffff800000000000ULL, 3 * 4096, false, false},
    };
    return vm;
}

VmSpec tiny_vm(int kvmid) {
    VmSpec vm;
    vm.kvmid = kvmid;
    vm.memslots = {{0, 0x0, 0x10, 0, 0}};
    VcpuSpec v0;
    v0.ring = {3, 1};
    vm.vcpus = {v0};
    vm.guest.regions = {{0x1000, 4096, false, false}};
    return vm;
}

}  // namespace kvmtest
