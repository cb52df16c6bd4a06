// mdbsim_bench: the benchmark suite. Google Benchmark's own options apply (--benchmark_filter,
// --benchmark_min_time, --benchmark_format=json, --benchmark_out=FILE, ...).
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "suite.hpp"

int main(int argc, char** argv) {
    using namespace mdbsim::bench;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::AddCustomContext("mdbsim_kvm_dmod", our_dmod());
    benchmark::AddCustomContext("mdbsim_original_dmod", orig_dmod().empty() ? "(not built)" : orig_dmod());
    benchmark::AddCustomContext("mdbsim_image_backend", image_backend_available() ? "yes" : "no");
#ifdef NDEBUG
    benchmark::AddCustomContext("mdbsim_build", "release (NDEBUG)");
#else
    benchmark::AddCustomContext("mdbsim_build", "assertions on");
#endif

    register_spt_benchmarks();
    register_lookup_benchmarks();
    register_backend_benchmarks();
    register_walk_benchmarks();
    register_print_benchmarks();
    register_ctf_benchmarks();
    register_complete_benchmarks();
    register_number_benchmarks();

    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    cleanup_temp_files();
    return 0;
}
