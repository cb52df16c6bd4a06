// Registration of the benchmark groups (one file each) and what they share.
//
// Names are "group/variant/backend/params"; scripts/bench.sh pairs benchmarks by name to compute
// ratios, so renaming one means updating the ratio table there.
#pragma once

#include <string>
#include <vector>

#include "common.hpp"
#include "floor.hpp"

namespace mdbsim::bench {

void register_spt_benchmarks();
void register_lookup_benchmarks();
void register_backend_benchmarks();
void register_walk_benchmarks();
void register_print_benchmarks();
void register_ctf_benchmarks();
void register_complete_benchmarks();
void register_number_benchmarks();

// Guest sizes of the SPT benchmarks, in MiB (2 MiB pages need multiples of 2 MiB).
const std::vector<uint64_t>& spt_sizes(bool large);

// A backend under test.
struct BackendChoice {
    sim::Backend backend;
    std::string name() const;  // "flat", "unicorn", "image"
};
// flat, unicorn, and image when save_image/open_image work in this build.
std::vector<BackendChoice> backends();

// The floor plan of a scenario and what one floor run produces (entries, tables), made once.
struct FloorInfo {
    FloorPlan plan;
    WalkStats stats;
    StreamHash hash;  // of the floor's whole output
};
const FloorInfo& floor_info(Prepared& p, const std::string& spec);

}  // namespace mdbsim::bench
