// The other walkers and dcmds, through the host's walk engine and command language:
//   gpa2qva/<backend>           ::kvm_gpa2qva, full memslot (32) and alias (4) tables, one
//                               translation per iteration (Session::invoke inside a command)
//   ringbuf/walk/<backend>      mdb_pwalk of kvm_ringbuf_entry over a full ring (512 entries)
//   ringbuf/pipeline/<backend>  RING::walk kvm_ringbuf_entry | ::kvm_ringbuf_entry
//   walk/list/100000/<backend>  genunix `list` over 100,000 nodes (ListBuilder)
//   walk/avl/100000/<backend>   genunix `avl` over 100,000 nodes (AvlBuilder)
//   walk/kvm/1000/<backend>     the dmod's `kvm` walker over 1,000 VMs (KvmBuilder)
//   cmd/walk_kvm/1000/<backend> ::walk kvm, and cmd/kvm_summary/1000: ::kvm over the same VMs
#include <fmt/format.h>

#include "mdbsim/sim/builders.hpp"
#include "mdbsim/sim/kvm/builder.hpp"
#include "suite.hpp"

namespace mdbsim::bench {

namespace {

using benchmark::State;
using namespace sim::kvm;

constexpr uint64_t kNodes = 100000;
constexpr unsigned kWalkedVms = 1000;

VmSpec small_vm(int kvmid) {
    VmSpec v;
    v.kvmid = kvmid;
    v.pid = 1000 + kvmid;
    v.memslots = {{0, 0, 0x100, 0, 0}};
    VcpuSpec c;
    c.ring = {20, static_cast<uint64_t>(kvmid)};
    v.vcpus = {c};
    v.guest.regions = {{0, 16 * 4096, false, false}};
    return v;
}

fixtures::ScenarioInfo kvm_info(KvmBuilder& b) {
    fixtures::ScenarioInfo info;
    info.name = "bench";
    info.has_kvm = true;
    info.kvm = b.finish();
    return info;
}

// 32 user slots of 128 MiB each and four valid aliases into them.
fixtures::ScenarioInfo build_gpa2qva(sim::Target& t) {
    KvmBuilder b(t);
    VmSpec v = small_vm(1);
    v.memslots.clear();
    for (unsigned i = 0; i < 32; ++i)
        v.memslots.push_back({i, uint64_t{i} << 16, 0x8000, 0, 0});
    for (uint64_t k = 0; k < 4; ++k)
        v.aliases.push_back({0x200000 + k * 0x100, 0x10, (k * 8 + 3) << 16, 0});
    b.add_vm(v);
    return kvm_info(b);
}

fixtures::ScenarioInfo build_ring(sim::Target& t) {
    KvmBuilder b(t);
    VmSpec v = small_vm(1);
    v.vcpus[0].ring = {100000, 77};
    b.add_vm(v);
    return kvm_info(b);
}

fixtures::ScenarioInfo build_many_vms(sim::Target& t) {
    KvmBuilder b(t);
    for (unsigned i = 0; i < kWalkedVms; ++i) {
        b.add_vm(small_vm(static_cast<int>(i + 1)));
    }
    return kvm_info(b);
}

fixtures::ScenarioInfo build_list(sim::Target& t) {
    sim::KernelHeap h(t);
    const uint64_t list = sim::ListBuilder::create(h, 64, 16);
    for (uint64_t i = 0; i < kNodes; ++i)
        sim::ListBuilder::append(t, list, h.alloc(64));
    t.info()["bench.root"] = std::to_string(list);
    return {};
}

fixtures::ScenarioInfo build_avl(sim::Target& t) {
    sim::KernelHeap h(t);
    const uint64_t tree = h.alloc(40);
    std::vector<uint64_t> objs;
    for (uint64_t i = 0; i < kNodes; ++i)
        objs.push_back(h.alloc(64));
    sim::AvlBuilder::build(t, tree, objs, 8, 64);
    t.info()["bench.root"] = std::to_string(tree);
    return {};
}

int count_cb(uintptr_t, const void*, void* arg) {
    ++*static_cast<uint64_t*>(arg);
    return WALK_NEXT;
}

// One engine walk per iteration, inside its own command.
void walk_loop(State& st, Prepared& p, const char* walker, uint64_t addr, uint64_t expect) {
    BenchSession s(*p.target);
    host::Session& hs = s.session();
    uint64_t n = 0;
    hs.begin_command();
    int rc = hs.walk(walker, count_cb, &n, addr);
    hs.end_command();
    if (rc != 0 || n != expect) {
        st.SkipWithError(fmt::format("walk '{}' gave {} entries (rc {}), expected {}", walker, n, rc, expect).c_str());
        return;
    }
    Meter m(p);
    m.start();
    for (auto _ : st) {
        n = 0;
        hs.begin_command();
        hs.walk(walker, count_cb, &n, addr);
        hs.end_command();
        benchmark::DoNotOptimize(n);
    }
    m.report(st);
    report_entries(st, static_cast<double>(expect));
}

void cmd_loop(State& st, Prepared& p, const std::string& cmd, uint64_t entries) {
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
    report_entries(st, static_cast<double>(entries));
}

void bm_gpa2qva(State& st, BackendChoice be) {
    Prepared& p = prepared_custom("gpa2qva", be.backend, build_gpa2qva);
    const BuiltVm& vm = p.vm();
    std::vector<uint64_t> gpas;
    for (uint64_t i = 0; i < 64; ++i) {
        if (i % 8 == 7)
            gpas.push_back(((0x200000 + (i / 8 % 4) * 0x100 + 5) << 12) | 0x18);  // through an alias
        else
            gpas.push_back(((((i % 32) << 16) + 0x123) << 12) | 0x456);
    }
    BenchSession s(*p.target);
    host::Session& hs = s.session();
    const host::Dcmd* d = s.loaded() ? hs.registry().find_dcmd("kvm_gpa2qva") : nullptr;
    if (!d) {
        st.SkipWithError("kvm_gpa2qva not found");
        return;
    }
    mdb_arg_t arg{};
    arg.a_type = MDB_TYPE_IMMEDIATE;
    arg.a_un.a_val = vm.kvm;
    auto one = [&](uint64_t gpa) {
        hs.begin_command();
        const int rc = hs.invoke(*d, gpa, DCMD_ADDRSPEC, 1, &arg);
        hs.end_command();
        return rc;
    };
    for (uint64_t g : gpas) {
        if (one(g) != DCMD_OK) {
            st.SkipWithError(fmt::format("::kvm_gpa2qva of 0x{:x} failed", g).c_str());
            return;
        }
    }
    hs.out().flush();
    Meter m(p, &s.out);
    m.start();
    size_t i = 0;
    for (auto _ : st) {
        benchmark::DoNotOptimize(one(gpas[i]));
        i = (i + 1) % gpas.size();
    }
    hs.out().flush();
    m.report(st);
    report_entries(st, 1, "translations");
}

void bm_ring_walk(State& st, BackendChoice be) {
    Prepared& p = prepared_custom("ring", be.backend, build_ring);
    walk_loop(st, p, "kvm_ringbuf_entry", p.vm().vcpus.at(0).ringbuf, 512);
}

void bm_ring_pipeline(State& st, BackendChoice be) {
    Prepared& p = prepared_custom("ring", be.backend, build_ring);
    cmd_loop(st, p, addr_arg(p.vm().vcpus.at(0).ringbuf) + "::walk kvm_ringbuf_entry | ::kvm_ringbuf_entry", 512);
}

void bm_list(State& st, BackendChoice be) {
    Prepared& p = prepared_custom("list100k", be.backend, build_list);
    walk_loop(st, p, "list", std::stoull(p.target->info().at("bench.root")), kNodes);
}

void bm_avl(State& st, BackendChoice be) {
    Prepared& p = prepared_custom("avl100k", be.backend, build_avl);
    walk_loop(st, p, "avl", std::stoull(p.target->info().at("bench.root")), kNodes);
}

void bm_kvm_walk(State& st, BackendChoice be) {
    Prepared& p = prepared_custom("vms1000", be.backend, build_many_vms);
    walk_loop(st, p, "kvm", 0, kWalkedVms);
}

void bm_kvm_cmd(State& st, BackendChoice be, bool summary) {
    Prepared& p = prepared_custom("vms1000", be.backend, build_many_vms);
    cmd_loop(st, p, summary ? "::kvm" : "::walk kvm", kWalkedVms);
}

}  // namespace

void register_walk_benchmarks() {
    for (const BackendChoice& be : backends()) {
        const std::string b = be.name();
        benchmark::RegisterBenchmark(("gpa2qva/" + b).c_str(), bm_gpa2qva, be);
        benchmark::RegisterBenchmark(("ringbuf/walk/" + b).c_str(), bm_ring_walk, be)->Unit(benchmark::kMicrosecond);
        benchmark::RegisterBenchmark(("ringbuf/pipeline/" + b).c_str(), bm_ring_pipeline, be)
            ->Unit(benchmark::kMicrosecond);
        benchmark::RegisterBenchmark(fmt::format("walk/list/{}/{}", kNodes, b).c_str(), bm_list, be)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(fmt::format("walk/avl/{}/{}", kNodes, b).c_str(), bm_avl, be)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(fmt::format("walk/kvm/{}/{}", kWalkedVms, b).c_str(), bm_kvm_walk, be)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(fmt::format("cmd/walk_kvm/{}/{}", kWalkedVms, b).c_str(), bm_kvm_cmd, be, false)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(fmt::format("cmd/kvm_summary/{}/{}", kWalkedVms, b).c_str(), bm_kvm_cmd, be, true)
            ->Unit(benchmark::kMillisecond);
    }
}

}  // namespace mdbsim::bench
