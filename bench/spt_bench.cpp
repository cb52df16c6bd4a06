// Shadow-page-table walks over guest sizes 1 MiB .. 4 GiB, 4 KiB and 2 MiB pages:
//   spt/tight        the raw walk, no output: each table read once through physical memory
//   spt/translator   sim's reference translator (enumerate_mappings), no output
//   mmuinfo/floor    every table read once + the same text as ::kvm_mmuinfo, nothing else
//   mmuinfo/ours     ::kvm_mmuinfo of our dmod, end to end through a host Session
//   mmuinfo/original the original kvm_mdb.c (when built with MDBSIM_ILLUMOS_KVM), small guests
// Output goes to a sink that counts bytes and lines.
#include <fmt/format.h>

#include <map>
#include <set>

#include "mdbsim/sim/kvm/translate.hpp"
#include "suite.hpp"

namespace mdbsim::bench {

namespace {

using benchmark::State;

// The original's lookup is O(entries x shadow pages). Up to 256 MiB it takes under a second per
// run; 1 GiB and 4 GiB (about 2 CPU minutes: decisions.md compares end to end on the largest guest
// where the original finishes within ten minutes) run once.
constexpr uint64_t kOriginalRepeatedMiB = 256;

std::string first_difference(const std::string& a, const std::string& b) {
    size_t line = 1, i = 0;
    for (; i < a.size() && i < b.size() && a[i] == b[i]; ++i)
        if (a[i] == '\n')
            ++line;
    auto line_at = [](const std::string& s, size_t pos) {
        size_t begin = s.rfind('\n', pos == 0 ? 0 : pos - 1);
        begin = begin == std::string::npos ? 0 : begin + 1;
        size_t end = s.find('\n', pos);
        return s.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    };
    return fmt::format("line {}: ours '{}', floor '{}'", line, line_at(a, i), line_at(b, i));
}

// Our dmod's output must be the floor's, byte for byte (checked once per scenario and backend).
std::string verify_against_floor(Prepared& p, const std::string& spec, BenchSession& s, const std::string& cmd) {
    static std::map<std::string, std::string> verdicts;
    const std::string key = spec + "/" + std::string(p.target->vmem().backend());
    if (auto it = verdicts.find(key); it != verdicts.end())
        return it->second;
    const FloorInfo& fi = floor_info(p, spec);
    StreamHash h;
    s.out.hash = &h;
    const int status = s.run(cmd);
    s.out.hash = nullptr;
    std::string verdict;
    if (status != DCMD_OK) {
        verdict = fmt::format("::kvm_mmuinfo failed (status {})", status);
    } else if (!(h == fi.hash)) {
        verdict = fmt::format("output differs from the floor ({} vs {} bytes)", h.n, fi.hash.n);
        if (fi.hash.n < (64ULL << 20)) {
            std::string ours, floor;
            s.out.capture = &ours;
            s.run(cmd);
            s.out.capture = nullptr;
            run_floor(fi.plan, p.target->vmem(), [&floor](std::string_view t) { floor.append(t); });
            verdict += ": " + first_difference(ours, floor);
        }
    }
    s.out.reset();
    return verdicts[key] = verdict;
}

void bm_tight(State& st, uint64_t mib, bool large, BackendChoice be) {
    Prepared& p = prepared(spt_spec(mib, large), be.backend);
    const uint64_t root = p.vm().root_hpa;
    const WalkStats once = tight_walk(p.target->pmem(), root);
    if (!once.ok) {
        st.SkipWithError("the tight walk failed");
        return;
    }
    RssMeter rss;
    if (mib >= 4096)
        rss.start();
    Meter m(p);
    m.start();
    for (auto _ : st) {
        WalkStats w = tight_walk(p.target->pmem(), root);
        benchmark::DoNotOptimize(w);
    }
    m.report(st);
    st.counters["tables"] = static_cast<double>(once.tables);
    report_entries(st, static_cast<double>(once.entries));
    if (mib >= 4096)
        rss.report(st);
}

void bm_translator(State& st, uint64_t mib, bool large) {
    Prepared& p = prepared(spt_spec(mib, large), sim::Backend::flat);
    const uint64_t root = p.vm().root_hpa;
    size_t extents = 0;
    try {
        extents = sim::kvm::enumerate_mappings(*p.target, root).size();
    } catch (const std::exception& e) {
        st.SkipWithError(e.what());
        return;
    }
    Meter m(p);
    m.start();
    for (auto _ : st) {
        auto map = sim::kvm::enumerate_mappings(*p.target, root);
        benchmark::DoNotOptimize(map.data());
    }
    m.report(st);
    st.counters["extents"] = static_cast<double>(extents);
    report_entries(st, static_cast<double>(floor_info(p, spt_spec(mib, large)).stats.entries));
}

void bm_floor(State& st, uint64_t mib, bool large, BackendChoice be) {
    const std::string spec = spt_spec(mib, large);
    Prepared& p = prepared(spec, be.backend);
    const FloorInfo& fi = floor_info(p, spec);
    SinkCounts out;
    const auto sink = counting_sink(&out);
    RssMeter rss;
    if (mib >= 4096)
        rss.start();
    Meter m(p, &out);
    m.start();
    for (auto _ : st) {
        WalkStats w = run_floor(fi.plan, p.target->vmem(), sink);
        benchmark::DoNotOptimize(w);
    }
    m.report(st);
    st.counters["tables"] = static_cast<double>(fi.stats.tables);
    report_entries(st, static_cast<double>(fi.stats.entries));
    if (mib >= 4096)
        rss.report(st);
}

// The floor's walk printing through mdb_printf in a host session (inside one command per run).
void bm_floor_mdb_printf(State& st, uint64_t mib, bool large) {
    const std::string spec = spt_spec(mib, large);
    Prepared& p = prepared(spec, sim::Backend::flat);
    const FloorInfo& fi = floor_info(p, spec);
    BenchSession s(*p.target);
    host::Session& hs = s.session();
    StreamHash h;
    s.out.hash = &h;
    hs.begin_command();
    run_floor_mdb_printf(fi.plan, p.target->vmem());
    hs.end_command();
    hs.out().flush();
    s.out.hash = nullptr;
    if (!(h == fi.hash)) {
        st.SkipWithError("mdb_printf output differs from the floor's");
        return;
    }
    Meter m(p, &s.out);
    m.start();
    for (auto _ : st) {
        hs.begin_command();
        WalkStats w = run_floor_mdb_printf(fi.plan, p.target->vmem());
        hs.end_command();
        hs.out().flush();
        benchmark::DoNotOptimize(w);
    }
    m.report(st);
    st.counters["tables"] = static_cast<double>(fi.stats.tables);
    report_entries(st, static_cast<double>(fi.stats.entries));
}

void bm_mmuinfo(State& st, uint64_t mib, bool large, BackendChoice be, bool original) {
    const std::string spec = spt_spec(mib, large);
    Prepared& p = prepared(spec, be.backend);
    const FloorInfo& fi = floor_info(p, spec);
    BenchSession s(*p.target, original ? orig_dmod() : our_dmod());
    if (!s.loaded()) {
        st.SkipWithError(("cannot load the dmod: " + s.load_error()).c_str());
        return;
    }
    const std::string cmd = addr_arg(p.vm().kvm) + "::kvm_mmuinfo";
    if (!original) {
        const std::string verdict = verify_against_floor(p, spec, s, cmd);
        if (!verdict.empty()) {
            st.SkipWithError(verdict.c_str());
            return;
        }
    }
    RssMeter rss;
    if (mib >= 4096)
        rss.start();
    Meter m(p, &s.out);
    m.start();
    int status = 0;
    for (auto _ : st)
        status |= s.run(cmd);
    if (status != DCMD_OK) {
        st.SkipWithError("::kvm_mmuinfo failed");
        return;
    }
    m.report(st);
    st.counters["tables"] = static_cast<double>(fi.stats.tables);
    report_entries(st, static_cast<double>(fi.stats.entries));
    if (mib >= 4096)
        rss.report(st);
}

}  // namespace

const std::vector<uint64_t>& spt_sizes(bool large) {
    static const std::vector<uint64_t> small{1, 16, 64, 256, 1024, 4096};
    static const std::vector<uint64_t> big{2, 16, 64, 256, 1024, 4096};
    return large ? big : small;
}

std::string BackendChoice::name() const { return sim::to_string(backend); }

std::vector<BackendChoice> backends() {
    std::vector<BackendChoice> v{{sim::Backend::flat}, {sim::Backend::unicorn}};
    if (image_backend_available())
        v.push_back({sim::Backend::image});
    return v;
}

const FloorInfo& floor_info(Prepared& p, const std::string& spec) {
    static std::map<std::string, FloorInfo> infos;
    if (auto it = infos.find(spec); it != infos.end())
        return it->second;
    FloorInfo fi;
    fi.plan = make_floor_plan(*p.target, p.vm());
    fi.stats = run_floor(fi.plan, p.target->vmem(), [&fi](std::string_view t) { fi.hash.add(t); });
    if (!fi.stats.ok)
        fail("the floor walk failed on " + spec);
    p.reset_counts();
    return infos.emplace(spec, std::move(fi)).first->second;
}

void register_spt_benchmarks() {
    for (bool large : {false, true}) {
        for (uint64_t mib : spt_sizes(large)) {
            const std::string l = spt_label(mib, large);
            for (const BackendChoice& be : backends()) {
                benchmark::RegisterBenchmark(("spt/tight/" + be.name() + "/" + l).c_str(), bm_tight, mib, large, be)
                    ->Unit(benchmark::kMillisecond);
            }
            benchmark::RegisterBenchmark(("spt/translator/flat/" + l).c_str(), bm_translator, mib, large)
                ->Unit(benchmark::kMillisecond);
            for (const BackendChoice& be : backends()) {
                if (be.backend != sim::Backend::flat && mib < 4096 && mib != 64)
                    continue;  // other backends: the floor at 64 MiB and 4 GiB only
                benchmark::RegisterBenchmark(("mmuinfo/floor/" + be.name() + "/" + l).c_str(), bm_floor, mib, large, be)
                    ->Unit(benchmark::kMillisecond);
            }
            benchmark::RegisterBenchmark(("mmuinfo/floor_mdb_printf/flat/" + l).c_str(), bm_floor_mdb_printf, mib,
                                         large)
                ->Unit(benchmark::kMillisecond);
            for (const BackendChoice& be : backends()) {
                benchmark::RegisterBenchmark(("mmuinfo/ours/" + be.name() + "/" + l).c_str(), bm_mmuinfo, mib, large,
                                             be, false)
                    ->Unit(benchmark::kMillisecond);
            }
            if (!orig_dmod().empty()) {
                auto* b = benchmark::RegisterBenchmark(("mmuinfo/original/flat/" + l).c_str(), bm_mmuinfo, mib,
                                                       large, BackendChoice{sim::Backend::flat}, true)
                              ->Unit(benchmark::kMillisecond);
                if (!large && mib > kOriginalRepeatedMiB)
                    b->Iterations(1)->Repetitions(1);  // seconds to minutes each: once, whatever the flag
            }
        }
    }
}

}  // namespace mdbsim::bench
