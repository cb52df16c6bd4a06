// mdb_ctf_vread beside mdb_vread, per object (bench/ctf_bench_dmod.c):
//   ctf/vread/<backend>   one mdb_ctf_vread of a struct kvm into a 3-member type of the dmod's
//   ctf/plain/<backend>   one mdb_vread of the whole struct kvm (34,400 bytes)
// Each iteration is one command doing 1,000 reads of the same object; items are reads.
#include <fmt/format.h>

#include "suite.hpp"

namespace mdbsim::bench {
namespace {

constexpr unsigned kReads = 1000;

void bm_ctf(benchmark::State& st, BackendChoice be, bool ctf) {
    Prepared& p = prepared("minimal", be.backend);
    BenchSession s(*p.target, MDBSIM_CTF_BENCH_DMOD);
    if (!s.loaded()) {
        st.SkipWithError(("cannot load the dmod: " + s.load_error()).c_str());
        return;
    }
    const std::string cmd = fmt::format("{}::ctfread -n {} {}", addr_arg(p.vm().kvm), kReads, ctf ? "ctf" : "plain");
    if (s.run(cmd) != DCMD_OK || s.err.bytes != 0) {
        st.SkipWithError(fmt::format("'{}' failed", cmd).c_str());
        return;
    }
    Meter m(p);
    m.start();
    for (auto _ : st)
        s.run(cmd);
    m.report(st);
    st.SetItemsProcessed(static_cast<int64_t>(st.iterations()) * kReads);
}

}  // namespace

void register_ctf_benchmarks() {
    for (const auto& be : backends()) {
        const std::string b = be.name();
        benchmark::RegisterBenchmark(("ctf/vread/" + b).c_str(), bm_ctf, be, true)->Unit(benchmark::kMicrosecond);
        benchmark::RegisterBenchmark(("ctf/plain/" + b).c_str(), bm_ctf, be, false)->Unit(benchmark::kMicrosecond);
    }
}

}  // namespace mdbsim::bench
