// Backends side by side on the reads the dmods make, straight through the Memory interface:
//   read/<backend>/<len>  reads of 8 bytes (a PTE, an AVL link or key), 264 (a kvm_mmu_page) and
//                         4096 (a whole table) at addresses spread over a 256 MiB guest's tables
// plus the cost of the counting decorator itself (read/flat-nocount/8 reads the flat backend
// without CountingMemory in front). The SPT and ::kvm_mmuinfo benchmarks carry the same backend
// names, so end-to-end ratios come from those.
#include <fmt/format.h>

#include <random>

#include "suite.hpp"

namespace mdbsim::bench {

namespace {

using benchmark::State;

constexpr uint64_t kGuestMiB = 256;
constexpr size_t kAddrs = 4096;

std::vector<uint64_t> read_addresses(Prepared& p, size_t len) {
    std::mt19937_64 rng(42);
    const auto& pages = p.vm().shadow_pages;
    std::vector<uint64_t> out;
    for (size_t i = 0; i < kAddrs; ++i) {
        const auto& sp = pages[rng() % pages.size()];
        if (len == 264)
            out.push_back(sp.mmu_page);
        else if (len == 4096)
            out.push_back(sp.sptkma);
        else
            out.push_back(sp.sptkma + 8 * (rng() % 512));
    }
    return out;
}

void bm_read(State& st, BackendChoice be, size_t len, bool counted) {
    Prepared& p = prepared(spt_spec(kGuestMiB, false), be.backend);
    const std::vector<uint64_t> addrs = read_addresses(p, len);
    // CountingMemory's inner memory is the backend.
    sim::Memory& mem = counted ? static_cast<sim::Memory&>(*p.vcount) : p.vcount->inner();
    std::vector<uint8_t> buf(len);
    for (uint64_t a : addrs) {
        if (mem.read(a, buf.data(), len)) {
            st.SkipWithError(fmt::format("read of {} bytes at 0x{:x} faulted", len, a).c_str());
            return;
        }
    }
    size_t i = 0;
    for (auto _ : st) {
        benchmark::DoNotOptimize(mem.read(addrs[i], buf.data(), len));
        benchmark::ClobberMemory();
        i = (i + 1) % addrs.size();
    }
    using benchmark::Counter;
    st.counters["reads_per_s"] = Counter(1, Counter::kIsIterationInvariantRate);
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * static_cast<int64_t>(len));
}

}  // namespace

void register_backend_benchmarks() {
    for (size_t len : {size_t{8}, size_t{264}, size_t{4096}}) {
        for (const BackendChoice& be : backends()) {
            benchmark::RegisterBenchmark(fmt::format("read/{}/{}", be.name(), len).c_str(), bm_read, be, len, true);
        }
        benchmark::RegisterBenchmark(fmt::format("read/flat-nocount/{}", len).c_str(), bm_read,
                                     BackendChoice{sim::Backend::flat}, len, false);
    }
}

}  // namespace mdbsim::bench
