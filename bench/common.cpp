#include "common.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <utility>

#include "mdbsim/sim/image.hpp"

namespace mdbsim::bench {

std::string our_dmod() { return MDBSIM_KVM_DMOD; }
std::string orig_dmod() { return MDBSIM_ORIG_KVM_DMOD; }

std::string spt_spec(uint64_t mib, bool large) {
    return fmt::format("spt,size={}M,large={}", mib, large ? 1 : 0);
}

std::string spt_label(uint64_t mib, bool large) {
    return fmt::format("{}/{}MiB", large ? "2M" : "4K", mib);
}

void fail(const std::string& what) {
    std::fprintf(stderr, "mdbsim_bench: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

// ---- prepared targets ----

void Prepared::reset_counts() {
    vcount->reset();
    pcount->reset();
}

sim::ReadCounts Prepared::counts() const {
    sim::ReadCounts v = vcount->counts(), p = pcount->counts();
    v.reads += p.reads;
    v.bytes += p.bytes;
    v.writes += p.writes;
    v.faults += p.faults;
    return v;
}

namespace {

using Key = std::pair<std::string, sim::Backend>;

std::map<Key, std::unique_ptr<Prepared>>& cache() {
    static std::map<Key, std::unique_ptr<Prepared>> c;
    return c;
}

std::filesystem::path& temp_dir() {
    static std::filesystem::path dir;
    return dir;
}

std::filesystem::path image_dir() {
    auto& dir = temp_dir();
    if (dir.empty()) {
        dir = std::filesystem::temp_directory_path() / fmt::format("mdbsim-bench-{}", getpid());
        std::filesystem::create_directories(dir);
    }
    return dir;
}

void finish(Prepared& p) {
    p.target->wrap_vmem([&p](std::unique_ptr<sim::Memory> m) {
        auto c = std::make_unique<sim::CountingMemory>(std::move(m));
        p.vcount = c.get();
        return c;
    });
    p.target->wrap_pmem([&p](std::unique_ptr<sim::Memory> m) {
        auto c = std::make_unique<sim::CountingMemory>(std::move(m));
        p.pcount = c.get();
        return c;
    });
    p.reset_counts();
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Saves a flat-built target as an image and opens it on the image backend.
std::unique_ptr<sim::Target> as_image(const sim::Target& built, const std::string& name) {
    std::string file;
    for (char c : name)
        file += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    const std::string path = (image_dir() / (file + ".core")).string();
    sim::save_image(built, path);
    return sim::open_image(path);
}

}  // namespace

namespace {

// Builds once per (name, backend) and caches: scenario building is setup, never measured.
// The image backend builds on flat and benchmarks the saved image.
Prepared& prepare(const Key& key, const std::string& label, const Builder& build) {
    const sim::Backend backend = key.second;
    auto& c = cache();
    if (auto it = c.find(key); it != c.end())
        return *it->second;
    auto p = std::make_unique<Prepared>();
    const auto t0 = std::chrono::steady_clock::now();
    try {
        if (backend == sim::Backend::image) {
            sim::Target built(sim::Backend::flat);
            p->info = build(built);
            p->target = as_image(built, label);
        } else {
            p->target = std::make_unique<sim::Target>(backend);
            p->info = build(*p->target);
        }
    } catch (const std::exception& e) {
        fail(fmt::format("cannot build '{}' on {}: {}", label, sim::to_string(backend), e.what()));
    }
    p->build_seconds = seconds_since(t0);
    finish(*p);
    return *c.emplace(key, std::move(p)).first->second;
}

}  // namespace

Prepared& prepared(const std::string& spec, sim::Backend backend) {
    return prepare(Key{spec, backend}, spec,
                   [&](sim::Target& t) { return fixtures::build_scenario(t, spec); });
}

Prepared& prepared_custom(const std::string& name, sim::Backend backend, const Builder& build) {
    return prepare(Key{"custom:" + name, backend}, name, build);
}

bool image_backend_available() {
    static const bool ok = [] {
        try {
            sim::Target t(sim::Backend::flat);
            t.vmem().map(0x10000, sim::kPageSize, sim::kProtRW, "probe");
            t.put<uint64_t>(0x10008, 0x1234);
            auto img = as_image(t, "probe");
            return img->peek<uint64_t>(0x10008) == 0x1234;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "mdbsim_bench: image backend unavailable: %s\n", e.what());
            return false;
        }
    }();
    return ok;
}

void cleanup_temp_files() {
    // Close the images before their files go away.
    cache().clear();
    auto& dir = temp_dir();
    if (!dir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
        dir.clear();
    }
}

// ---- sinks and sessions ----

host::Output::Sink counting_sink(SinkCounts* c) {
    return [c](std::string_view s) {
        c->bytes += s.size();
        for (const char* p = s.data(), *end = s.data() + s.size();
             (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr; ++p)
            ++c->lines;
        if (c->capture)
            c->capture->append(s);
        if (c->hash)
            c->hash->add(s);
    };
}

namespace {
host::SessionOptions bench_options() {
    host::SessionOptions o;
    // The original's ::kvm_mmuinfo takes O(entries x shadow pages) walk steps: no budget cut-off.
    o.step_budget = ~uint64_t{0};
    o.alloc_limit = 1ULL << 34;
    return o;
}
host::SessionStreams bench_streams(SinkCounts& out, SinkCounts& err) {
    host::SessionStreams st;
    st.out = counting_sink(&out);
    st.err = counting_sink(&err);
    return st;
}
}  // namespace

BenchSession::BenchSession(sim::Target& t, const std::string& dmod)
    : s_(std::make_unique<host::Session>(t, bench_options(), bench_streams(out, err))) {
    std::string errors;
    err.capture = &errors;
    loaded_ = s_->load_module(dmod) == 0;
    s_->err().flush();
    load_error_ = errors;
    err.capture = nullptr;
    err.reset();
}

BenchSession::~BenchSession() = default;

int BenchSession::run(std::string_view commands) {
    s_->run(commands, host::Session::InputKind::string);
    s_->out().flush();
    s_->err().flush();
    return s_->last_status;
}

void* BenchSession::module_handle() const {
    host::Module* m = s_->registry().find_module("kvm");
    return m ? m->handle : nullptr;
}

// ---- counters ----

void Meter::start() {
    p_.reset_counts();
    if (out_)
        out_->reset();
}

void Meter::report(benchmark::State& st) const {
    using benchmark::Counter;
    const sim::ReadCounts c = p_.counts();
    st.counters["reads"] = Counter(static_cast<double>(c.reads), Counter::kAvgIterations);
    st.counters["read_bytes"] = Counter(static_cast<double>(c.bytes), Counter::kAvgIterations);
    if (out_) {
        st.counters["out_bytes"] = Counter(static_cast<double>(out_->bytes), Counter::kAvgIterations);
        st.counters["out_lines"] = Counter(static_cast<double>(out_->lines), Counter::kAvgIterations);
    }
}

void report_entries(benchmark::State& st, double per_iteration, const char* name) {
    using benchmark::Counter;
    st.counters[name] = per_iteration;
    st.counters[std::string(name) + "_per_s"] = Counter(per_iteration, Counter::kIsIterationInvariantRate);
}

uint64_t current_rss_bytes() {
    std::ifstream f("/proc/self/statm");
    uint64_t size = 0, resident = 0;
    f >> size >> resident;
    return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

uint64_t peak_rss_bytes() {
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<uint64_t>(ru.ru_maxrss) * 1024;
}

bool reset_peak_rss() {
    std::ofstream f("/proc/self/clear_refs");
    f << "5" << std::flush;
    return static_cast<bool>(f);
}

void RssMeter::start() {
    before_ = current_rss_bytes();
    reset_ = reset_peak_rss();
}

void RssMeter::report(benchmark::State& st) const {
    const uint64_t peak = peak_rss_bytes();
    st.counters["maxrss_MiB"] = static_cast<double>(peak) / kMiB;
    st.counters["rss_before_MiB"] = static_cast<double>(before_) / kMiB;
    if (reset_)
        st.counters["rss_growth_MiB"] = static_cast<double>(peak > before_ ? peak - before_ : 0) / kMiB;
}

std::string addr_arg(uint64_t addr) { return fmt::format("0x{:x}", addr); }

}  // namespace mdbsim::bench
