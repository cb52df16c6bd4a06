// mdbsim_bench_run: one fixed workload in a process of its own, for what Google Benchmark cannot
// isolate: the peak RSS of a walk (VmHWM reset after the scenario is built) and instruction
// counts under callgrind (only mdbsim_bench_workload() is collected):
//   valgrind --tool=callgrind --collect-atstart=no --toggle-collect=mdbsim_bench_workload
//            mdbsim_bench_run --spec spt,size=64M --workload mmuinfo
// Prints one JSON object.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "common.hpp"
#include "floor.hpp"

namespace {

using namespace mdbsim;
using namespace mdbsim::bench;

struct Workload {
    std::string kind;  // mmuinfo | original | floor
    BenchSession* session = nullptr;
    std::string cmd;
    const FloorPlan* plan = nullptr;
    sim::Memory* vmem = nullptr;
    SinkCounts* out = nullptr;
    int repeat = 1;
    int status = 0;
};

}  // namespace

// The measured part, kept out of line so callgrind can collect exactly this.
extern "C" __attribute__((noinline)) void mdbsim_bench_workload(Workload* w) {
    for (int i = 0; i < w->repeat; ++i) {
        if (w->plan) {
            WalkStats st = run_floor(*w->plan, *w->vmem, counting_sink(w->out));
            w->status |= st.ok ? 0 : 1;
        } else {
            w->status |= w->session->run(w->cmd);
        }
    }
}

static void usage() {
    std::fprintf(stderr,
                 "usage: mdbsim_bench_run [--spec SPEC] [--backend flat|unicorn|image]\n"
                 "                        [--workload mmuinfo|original|floor] [--repeat N]\n"
                 "  SPEC: a scenario spec (default spt,size=64M); the workload runs on its first VM.\n");
}

int main(int argc, char** argv) {
    std::string spec = "spt,size=64M", backend = "flat", kind = "mmuinfo";
    int repeat = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                usage();
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--spec")
            spec = value();
        else if (a == "--backend")
            backend = value();
        else if (a == "--workload")
            kind = value();
        else if (a == "--repeat")
            repeat = std::stoi(value());
        else {
            usage();
            return 2;
        }
    }
    if (kind != "mmuinfo" && kind != "original" && kind != "floor") {
        usage();
        return 2;
    }
    if (kind == "original" && orig_dmod().empty()) {
        std::fprintf(stderr, "mdbsim_bench_run: the original dmod was not built (MDBSIM_ILLUMOS_KVM)\n");
        return 2;
    }

    const auto t0 = std::chrono::steady_clock::now();
    Prepared& p = prepared(spec, sim::backend_from_string(backend));
    const double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const uint64_t peak_build = peak_rss_bytes();

    Workload w;
    w.kind = kind;
    w.repeat = repeat;
    std::unique_ptr<BenchSession> session;
    SinkCounts floor_out;
    FloorPlan plan;
    if (kind == "floor") {
        plan = make_floor_plan(*p.target, p.vm());
        w.plan = &plan;
        w.vmem = &p.target->vmem();
        w.out = &floor_out;
    } else {
        session = std::make_unique<BenchSession>(*p.target, kind == "original" ? orig_dmod() : our_dmod());
        if (!session->loaded()) {
            std::fprintf(stderr, "mdbsim_bench_run: %s", session->load_error().c_str());
            return 1;
        }
        w.session = session.get();
        w.cmd = addr_arg(p.vm().kvm) + "::kvm_mmuinfo";
        w.out = &session->out;
    }

    p.reset_counts();
    const uint64_t rss_before = current_rss_bytes();
    const bool reset = reset_peak_rss();
    const auto t1 = std::chrono::steady_clock::now();
    mdbsim_bench_workload(&w);
    const double run_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    const uint64_t peak_run = peak_rss_bytes();
    const sim::ReadCounts c = p.counts();

    std::printf("{\"spec\": \"%s\", \"backend\": \"%s\", \"workload\": \"%s\", \"repeat\": %d, \"status\": %d,\n"
                " \"build_s\": %.3f, \"run_s\": %.6f, \"out_bytes\": %llu, \"out_lines\": %llu,\n"
                " \"reads\": %llu, \"read_bytes\": %llu,\n"
                " \"peak_rss_build_MiB\": %.1f, \"rss_before_run_MiB\": %.1f, \"peak_rss_run_MiB\": %.1f,"
                " \"peak_reset\": %s}\n",
                spec.c_str(), backend.c_str(), kind.c_str(), repeat, w.status, build_s, run_s,
                static_cast<unsigned long long>(w.out->bytes), static_cast<unsigned long long>(w.out->lines),
                static_cast<unsigned long long>(c.reads), static_cast<unsigned long long>(c.bytes),
                static_cast<double>(peak_build) / kMiB, static_cast<double>(rss_before) / kMiB,
                static_cast<double>(peak_run) / kMiB, reset ? "true" : "false");
    session.reset();
    cleanup_temp_files();
    return w.status == 0 ? 0 : 1;
}
