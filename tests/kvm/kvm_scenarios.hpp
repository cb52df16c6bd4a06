// kvm states built directly with the sim's KvmBuilder, so that tests know every value they hold.
#pragma once

#include <memory>
#include <vector>

#include "mdbsim/sim/kvm/builder.hpp"
#include "mdbsim/sim/target.hpp"

namespace kvmtest {

struct BuiltScenario {
    std::unique_ptr<mdbsim::sim::Target> target;
    mdbsim::sim::kvm::BuiltKvm kvm;
};

// In the layout profile named layout (sim::kvm::Layout).
BuiltScenario build(const std::vector<mdbsim::sim::kvm::VmSpec>& vms, const std::string& layout = "pre-ept");

// A VM with three memory slots (one high), two aliases (one invalid), a few IRQ routes, two
// vCPUs (one ring wrapped, one not) and a guest map of 4 KiB pages, one 2 MiB region and a
// region in the upper canonical half.
mdbsim::sim::kvm::VmSpec rich_vm(int kvmid);
// A VM with one slot, one vCPU and a single 4 KiB page mapped.
mdbsim::sim::kvm::VmSpec tiny_vm(int kvmid);

}  // namespace kvmtest
