// Running the same commands under our kvm dmod and under the original, and comparing standard
// output byte for byte with the one line that must differ (`MMU Info -- mmu:`) masked.
#pragma once

#include <string>
#include <vector>

#include "mdbsim/sim/kvm/builder.hpp"
#include "mdbsim/sim/target.hpp"

namespace kvmtest {

// Every command of the original's suite that applies to the kvm state: walkers, dcmds and the
// documented pipelines, one per element.
std::vector<std::string> original_suite_commands(const mdbsim::sim::kvm::BuiltKvm& kvm);

// Replaces the address after "MMU Info -- mmu: " with a fixed mark.
std::string mask_mmu_line(const std::string& out);

struct Mismatch {
    std::string command, ours, original;
};
// Runs each command in a session with our dmod and in one with the original (original_dmod()
// unless another is named); returns the commands whose masked standard outputs differ.
std::vector<Mismatch> compare_with_original(mdbsim::sim::Target& t,
                                            const std::vector<std::string>& commands,
                                            const std::string& original = "");

}  // namespace kvmtest
