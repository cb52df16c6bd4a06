// The physical references the real walks are compared with.
//
// FLOOR: what ::kvm_mmuinfo cannot avoid doing. It reads every shadow table page once (4096
// bytes at sptkma, through the same Memory interface as the dmod) and formats exactly the text
// ::kvm_mmuinfo prints, and nothing else: it looks no page up in target memory (a host-side map
// from table frame to sptkma, built in setup from the builder's records, says where each child
// table is) and it writes through no output engine (fmt into a buffer, handed to the sink in
// 64 KiB pieces).
//
// Tight walk: the raw table walk without output, as an MMU does it: physical memory from
// root_hpa, each table read once, present entries followed, PS ends the descent.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "mdbsim/host/output.hpp"
#include "mdbsim/sim/kvm/builder.hpp"
#include "mdbsim/sim/target.hpp"

namespace mdbsim::bench {

struct FloorPlan {
    std::string header;          // the text before the first table line (read in setup)
    uint64_t root_sptkma = 0;
    int root_level = 4;
    std::unordered_map<uint64_t, uint64_t> sptkma_of_pfn;  // table frame -> where its PTEs are
};
// Reads the vCPU's kvm_mmu and pae_root entries (setup) to reproduce the header.
FloorPlan make_floor_plan(const sim::Target& t, const sim::kvm::BuiltVm& vm, unsigned vcpu = 0);

struct WalkStats {
    uint64_t tables = 0;
    uint64_t entries = 0;  // entries printed (0x27 set) / followed (present)
    uint64_t leaves = 0;
    bool ok = true;
};

// The floor: the header, every table once, the same lines as ::kvm_mmuinfo.
WalkStats run_floor(const FloorPlan& plan, sim::Memory& vmem, const host::Output::Sink& sink);

// The floor's walk with its lines printed by mdb_printf (the host's output engine) instead of fmt:
// the same format strings as the dmod. Needs a current host session; output goes to its stdout.
// The difference to run_floor is what the output engine costs; to ::kvm_mmuinfo, what the dmod's
// page_t and kvm_avlmp lookups cost.
WalkStats run_floor_mdb_printf(const FloorPlan& plan, sim::Memory& vmem);

// The tight walk through physical memory.
WalkStats tight_walk(sim::Memory& pmem, uint64_t root_hpa);

}  // namespace mdbsim::bench
