// Tab completion over 100,000 symbols (docs/prompt.md): complete() finds a prefix in the symbol
// table's sorted name index; complete/scan is the same result made by scanning every symbol and
// sorting the matches, side by side, so the ratio shows what the index saves. Prefixes range from
// one match to a sixteenth of the table. Dcmd names (a few dozen) for scale.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "mdbsim/host/complete.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/sim/target.hpp"
#include "suite.hpp"

namespace mdbsim::bench {
namespace {

constexpr size_t kSymbols = 100'000;
const char* const kFamilies[] = {"kvm", "page", "vm", "seg", "as", "hat", "proc", "thread",
                                 "cpu", "mutex", "cv", "taskq", "zio", "arc", "dnode", "vn"};

// 16 families of names such as "page_4242_t": fixed, so every run completes the same names.
struct Symbols {
    sim::Target target{sim::Backend::flat};
    std::unique_ptr<host::Session> session;
    Symbols() {
        for (size_t i = 0; i < kSymbols; ++i)
            target.symbols().add(i % 2 ? "genunix" : "unix", fmt::format("{}_{}_t", kFamilies[i % 16], i),
                                 0x1000 + 16 * i, 16);
        host::SessionOptions o;
        session = std::make_unique<host::Session>(target, o);
    }
};

Symbols& symbols() {
    static Symbols s;
    return s;
}

// The prefixes and the names each matches (the counter "matches" says so too).
const std::vector<std::pair<const char*, const char*>>& prefixes() {
    static const std::vector<std::pair<const char*, const char*>> p = {
        {"one", "page_4241_"},  // page_4241_t
        {"two", "page_4241"},   // and page_42417_t
        {"dozens", "kvm_96"},   // kvm_96_t, kvm_960_t, ..., kvm_96992_t: 72
        {"family", "kvm_"},     // 6,250
    };
    return p;
}

void bm_index(benchmark::State& state, std::string prefix) {
    Symbols& s = symbols();
    size_t n = 0;
    for (auto _ : state) {
        host::Completion c = host::complete(*s.session, prefix);
        n = c.matches.size();
        benchmark::DoNotOptimize(c);
    }
    state.counters["matches"] = static_cast<double>(n);
}

void bm_scan(benchmark::State& state, std::string prefix) {
    Symbols& s = symbols();
    size_t n = 0;
    for (auto _ : state) {
        std::vector<std::string> names;
        for (const sim::Symbol& sym : s.target.symbols().all())
            if (sym.name.starts_with(prefix)) names.push_back(sym.name);
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        n = names.size();
        benchmark::DoNotOptimize(names);
    }
    state.counters["matches"] = static_cast<double>(n);
}

void bm_dcmds(benchmark::State& state) {
    Symbols& s = symbols();
    for (auto _ : state) benchmark::DoNotOptimize(host::complete(*s.session, "::w"));
}

}  // namespace

void register_complete_benchmarks() {
    for (const auto& [name, prefix] : prefixes()) {
        benchmark::RegisterBenchmark(fmt::format("complete/index/{}", name).c_str(), bm_index, std::string(prefix))
            ->Unit(benchmark::kMicrosecond);
        benchmark::RegisterBenchmark(fmt::format("complete/scan/{}", name).c_str(), bm_scan, std::string(prefix))
            ->Unit(benchmark::kMicrosecond);
    }
    benchmark::RegisterBenchmark("complete/dcmds", bm_dcmds)->Unit(benchmark::kMicrosecond);
}

}  // namespace mdbsim::bench
