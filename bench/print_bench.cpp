// The type dcmds (walkers/host/print) over many objects:
//   print/struct_kvm/1000/<backend>  ::walk kvm | ::print struct kvm   (1,000 VMs, every member)
//   print/members/1000/<backend>     ::walk kvm | ::print struct kvm kvmid memslots->nmemslots
//   print/vread_kvm/1000/<backend>   the same 1,000 objects read whole with mdb_vread (no types,
//                                    no output): what reading costs without printing
// Against cmd/walk_kvm/1000 (walks_bench.cpp: the walk alone) they give what ::print adds per VM.
#include <fmt/format.h>

#include <mdbsim/kvm/kvm_state.h>

#include "mdbsim/sim/kvm/builder.hpp"
#include "suite.hpp"

namespace mdbsim::bench {

namespace {

using benchmark::State;
using namespace sim::kvm;

constexpr unsigned kPrintedVms = 1000;

// As walks_bench's VMs: one vCPU, one memslot, a 16-page guest each.
fixtures::ScenarioInfo build_vms(sim::Target& t) {
    KvmBuilder b(t);
    for (unsigned i = 0; i < kPrintedVms; ++i) {
        VmSpec v;
        v.kvmid = static_cast<int>(i + 1);
        v.pid = 1000 + v.kvmid;
        v.memslots = {{0, 0, 0x100, 0, 0}};
        VcpuSpec c;
        c.ring = {20, static_cast<uint64_t>(v.kvmid)};
        v.vcpus = {c};
        v.guest.regions = {{0, 16 * 4096, false, false}};
        b.add_vm(v);
    }
    fixtures::ScenarioInfo info;
    info.name = "bench-print";
    info.has_kvm = true;
    info.kvm = b.finish();
    return info;
}

void bm_print(State& st, BackendChoice be, const char* cmd) {
    Prepared& p = prepared_custom("vms1000-print", be.backend, build_vms);
    BenchSession s(*p.target);
    if (!s.loaded()) {
        st.SkipWithError(("cannot load the dmod: " + s.load_error()).c_str());
        return;
    }
    if (s.run(cmd) != DCMD_OK || s.err.bytes != 0) {
        st.SkipWithError(fmt::format("'{}' failed", cmd).c_str());
        return;
    }
    Meter m(p, &s.out);
    m.start();
    for (auto _ : st)
        s.run(cmd);
    m.report(st);
    report_entries(st, kPrintedVms, "objects");
}

struct ReadAll {
    std::vector<char> buf;
    uint64_t n = 0;
};

int read_cb(uintptr_t addr, const void*, void* arg) {
    auto* r = static_cast<ReadAll*>(arg);
    if (mdb_vread(r->buf.data(), r->buf.size(), addr) == static_cast<ssize_t>(r->buf.size())) ++r->n;
    return WALK_NEXT;
}

void bm_vread(State& st, BackendChoice be) {
    Prepared& p = prepared_custom("vms1000-print", be.backend, build_vms);
    BenchSession s(*p.target);
    host::Session& hs = s.session();
    ReadAll r;
    r.buf.resize(sizeof(struct kvm));
    hs.begin_command();
    int rc = hs.walk("kvm", read_cb, &r, 0);
    hs.end_command();
    if (rc != 0 || r.n != kPrintedVms) {
        st.SkipWithError(fmt::format("read {} of {} VMs (rc {})", r.n, kPrintedVms, rc).c_str());
        return;
    }
    Meter m(p);
    m.start();
    for (auto _ : st) {
        r.n = 0;
        hs.begin_command();
        hs.walk("kvm", read_cb, &r, 0);
        hs.end_command();
        benchmark::DoNotOptimize(r.n);
    }
    m.report(st);
    report_entries(st, kPrintedVms, "objects");
}

}  // namespace

void register_print_benchmarks() {
    for (const BackendChoice& be : backends()) {
        const std::string b = be.name();
        benchmark::RegisterBenchmark(fmt::format("print/struct_kvm/{}/{}", kPrintedVms, b).c_str(), bm_print, be,
                                     "::walk kvm | ::print struct kvm")
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(fmt::format("print/members/{}/{}", kPrintedVms, b).c_str(), bm_print, be,
                                     "::walk kvm | ::print struct kvm kvmid memslots->nmemslots")
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(fmt::format("print/vread_kvm/{}/{}", kPrintedVms, b).c_str(), bm_vread, be)
            ->Unit(benchmark::kMillisecond);
    }
}

}  // namespace mdbsim::bench
