// Shared pieces of the benchmark suite: scenarios built once per process (setup, never measured),
// host sessions whose output goes to counting sinks, per-iteration read counters, RSS.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "mdbsim/fixtures/scenarios.hpp"
#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/sim/decorators.hpp"
#include "mdbsim/sim/target.hpp"

namespace mdbsim::bench {

// Paths of the dmods, from the build. orig_dmod() is empty unless MDBSIM_ILLUMOS_KVM was set.
std::string our_dmod();
std::string orig_dmod();

inline constexpr uint64_t kMiB = 1ULL << 20;

// "spt,size=<n>M,large=0|1": one VM, its guest mapped by four-level shadow tables.
std::string spt_spec(uint64_t mib, bool large);
// "4K/64MiB"-style label for benchmark names.
std::string spt_label(uint64_t mib, bool large);

// A target built once per (key, backend) and kept for the rest of the process; its memory is the
// backend with CountingMemory in front (always, so every benchmark reports target reads and bytes).
struct Prepared {
    std::unique_ptr<sim::Target> target;
    fixtures::ScenarioInfo info;
    sim::CountingMemory* vcount = nullptr;
    sim::CountingMemory* pcount = nullptr;
    double build_seconds = 0;

    const sim::kvm::BuiltVm& vm(size_t i = 0) const { return info.kvm.vms.at(i); }
    void reset_counts();
    sim::ReadCounts counts() const;  // virtual + physical
};

// A fixtures scenario (spec string) on a backend. Backend::image: built on flat, saved with
// save_image into a temporary directory and opened with open_image.
Prepared& prepared(const std::string& spec, sim::Backend backend);
// A target made by a custom builder (lists, trees, many VMs), cached under key.
using Builder = std::function<fixtures::ScenarioInfo(sim::Target&)>;
Prepared& prepared_custom(const std::string& key, sim::Backend backend, const Builder& build);
// Whether the image backend (save_image/open_image) works in this build; probed once.
bool image_backend_available();
// Removes temporary image files (called at exit).
void cleanup_temp_files();

// FNV-1a over a byte stream: compares two outputs without keeping them.
struct StreamHash {
    uint64_t h = 1469598103934665603ULL;
    uint64_t n = 0;
    void add(std::string_view s) {
        for (unsigned char c : s)
            h = (h ^ c) * 1099511628211ULL;
        n += s.size();
    }
    bool operator==(const StreamHash&) const = default;
};

// Counts what an output stream hands to its sink.
struct SinkCounts {
    uint64_t bytes = 0;
    uint64_t lines = 0;
    std::string* capture = nullptr;  // when set, the text is appended here as well
    StreamHash* hash = nullptr;      // when set, the text is hashed as well
    void reset() { bytes = lines = 0; }
};
host::Output::Sink counting_sink(SinkCounts* c);

// A host session over a target with a dmod loaded as module `kvm`; standard output and standard
// error go to counting sinks (never to a terminal). Only one BenchSession may be live at a time
// (the module API acts on the most recently constructed session).
class BenchSession {
public:
    explicit BenchSession(sim::Target& t, const std::string& dmod = our_dmod());
    ~BenchSession();
    host::Session& session() { return *s_; }
    // Runs commands as `mdb -e` does; returns the last dcmd status. Output is flushed.
    int run(std::string_view commands);
    void* module_handle() const;  // dlopen handle of the loaded dmod
    bool loaded() const { return loaded_; }
    const std::string& load_error() const { return load_error_; }

    SinkCounts out;
    SinkCounts err;

private:
    std::unique_ptr<host::Session> s_;
    bool loaded_ = false;
    std::string load_error_;
};

// Per-iteration counters for a measured loop: target reads and bytes (from the counting
// decorators), and optionally output bytes and lines. Call start() right before the loop.
class Meter {
public:
    explicit Meter(Prepared& p, SinkCounts* out = nullptr) : p_(p), out_(out) {}
    void start();
    // Adds reads, read_bytes (per iteration) and, with a sink, out_bytes and out_lines.
    void report(benchmark::State& st) const;

private:
    Prepared& p_;
    SinkCounts* out_;
};

// entries per iteration as a rate counter ("entries_per_s") and a per-iteration count.
void report_entries(benchmark::State& st, double entries_per_iteration, const char* name = "entries");

// Resident set: current (from /proc/self/statm) and peak (getrusage ru_maxrss), in bytes.
uint64_t current_rss_bytes();
uint64_t peak_rss_bytes();
// Resets the peak (VmHWM, what ru_maxrss reports) to the current RSS, through
// /proc/self/clear_refs ("5"), so that a later peak_rss_bytes() is the peak of what ran since.
bool reset_peak_rss();
// Around a measured loop: start() resets the peak; report() adds "maxrss_MiB" (the process's peak
// RSS during the loop, every scenario built so far included), "rss_before_MiB" and
// "rss_growth_MiB" (peak minus the RSS before the loop: what the loop itself added).
class RssMeter {
public:
    void start();
    void report(benchmark::State& st) const;

private:
    uint64_t before_ = 0;
    bool reset_ = false;
};

// "0x..." for command lines (a bare hex number starting with a letter would parse as a symbol).
std::string addr_arg(uint64_t addr);

// Aborts the benchmark run with a message when a precondition of the measurement fails.
[[noreturn]] void fail(const std::string& what);

}  // namespace mdbsim::bench
