// Page lookup strategies side by side, on the same sample of shadow PTEs, in one process:
//   lookup/original  the original's lookup (memseg walk + full AVL walk re-reading every node)
//   lookup/avl       ours: the dmod's kvmd_frame_page + kvmd_shadow_tree_find (O(log n) reads)
//   lookup/avl_1read the same search written in bench/ with one read per tree level (a what-if)
//   lookup/index     a hash map frame -> kvm_mmu_page built once (no reads per lookup)
// Samples: "tables" = non-leaf entries (the lookup finds a shadow page), "leaves" = leaf entries
// (the original looks them up too and finds nothing). One iteration = the whole sample, inside
// one command; per-command setup (our memseg table, the index build) is measured separately in
// lookup/setup/*.
#include <fmt/format.h>

#include <map>

#include "original_lookup.hpp"
#include "ours_lookup.h"
#include "suite.hpp"

namespace mdbsim::bench {

namespace {

using benchmark::State;

constexpr size_t kSample = 64;
constexpr uint64_t kTableBits = 0x27;
constexpr uint64_t kLarge = 0x80;
constexpr uint64_t kAddrMask = 0x000FFFFFFFFFF000ULL;

enum class Sample { tables, leaves };
enum class Strategy { original, avl, avl_1read, index };

const char* name(Sample s) { return s == Sample::tables ? "tables" : "leaves"; }
const char* name(Strategy s) {
    switch (s) {
    case Strategy::original: return "original";
    case Strategy::avl: return "avl";
    case Strategy::avl_1read: return "avl_1read";
    default: return "index";
    }
}

struct Samples {
    std::vector<uint64_t> tables;  // physical addresses of child tables, with their expected pages
    std::vector<uint64_t> table_pages;
    std::vector<uint64_t> leaves;
};

std::vector<uint64_t> spread(const std::vector<uint64_t>& all, size_t n, std::vector<size_t>* picked = nullptr) {
    std::vector<uint64_t> out;
    if (all.empty())
        return out;
    n = std::min(n, all.size());
    for (size_t i = 0; i < n; ++i) {
        const size_t k = i * all.size() / n;
        out.push_back(all[k]);
        if (picked)
            picked->push_back(k);
    }
    return out;
}

// Every entry ::kvm_mmuinfo would look up (0x27 set), read from the tables in setup.
const Samples& samples(Prepared& p, const std::string& spec) {
    static std::map<std::string, Samples> cache;
    if (auto it = cache.find(spec); it != cache.end())
        return it->second;
    std::map<uint64_t, uint64_t> page_of_pfn;
    for (const auto& sp : p.vm().shadow_pages)
        page_of_pfn[sp.pfn] = sp.mmu_page;
    std::vector<uint64_t> tables, table_pages, leaves;
    std::vector<uint64_t> pte(512);
    for (const auto& sp : p.vm().shadow_pages) {
        p.target->get_bytes(sp.sptkma, pte.data(), 4096);
        for (uint64_t e : pte) {
            if ((e & kTableBits) != kTableBits)
                continue;
            if (sp.level == 1 || (e & kLarge)) {
                leaves.push_back(e & kAddrMask);
            } else {
                tables.push_back(e & kAddrMask);
                table_pages.push_back(page_of_pfn.at((e & kAddrMask) >> 12));
            }
        }
    }
    Samples s;
    std::vector<size_t> picked;
    s.tables = spread(tables, kSample, &picked);
    for (size_t k : picked)
        s.table_pages.push_back(table_pages[k]);
    s.leaves = spread(leaves, kSample);
    p.reset_counts();
    return cache.emplace(spec, std::move(s)).first->second;
}

void bm_lookup(State& st, uint64_t mib, Strategy strategy, Sample which) {
    const std::string spec = spt_spec(mib, false);
    Prepared& p = prepared(spec, sim::Backend::flat);
    const Samples& smp = samples(p, spec);
    const std::vector<uint64_t>& sample = which == Sample::tables ? smp.tables : smp.leaves;
    const uint64_t kvm = p.vm().kvm;
    BenchSession s(*p.target);
    if (!s.loaded()) {
        st.SkipWithError(("cannot load the dmod: " + s.load_error()).c_str());
        return;
    }
    host::Session& hs = s.session();
    hs.begin_command();

    const char* why = nullptr;
    bench_ours_t* ours = nullptr;
    FrameIndex index;
    OneReadSearch one_read;
    if (strategy == Strategy::avl_1read && !one_read.begin(kvm)) {
        hs.end_command();
        st.SkipWithError("loading memsegs / the tree root failed");
        return;
    }
    if (strategy == Strategy::avl) {
        ours = bench_ours_open(s.module_handle(), &why);
        if (!ours || bench_ours_begin(ours, kvm) != 0) {
            hs.end_command();
            st.SkipWithError(fmt::format("our dmod's lookup is unavailable: {}", why ? why : "begin failed").c_str());
            bench_ours_close(ours);
            return;
        }
    } else if (strategy == Strategy::index && !index.build(kvm)) {
        hs.end_command();
        st.SkipWithError("building the index failed");
        return;
    }

    auto lookup = [&](uint64_t hpa) -> uint64_t {
        switch (strategy) {
        case Strategy::original:
            return original_page_header(kvm, hpa);
        case Strategy::avl: {
            uintptr_t mp = 0;
            return bench_ours_lookup(ours, hpa, &mp) == 1 ? mp : 0;
        }
        case Strategy::avl_1read:
            return one_read.find(hpa);
        default:
            return index.find(hpa >> 12);
        }
    };

    // Every strategy must give the same answers on the sample (setup, not measured).
    for (size_t i = 0; i < sample.size(); ++i) {
        const uint64_t got = lookup(sample[i]);
        const uint64_t want = which == Sample::tables ? smp.table_pages[i] : 0;
        if (got != want) {
            hs.end_command();
            bench_ours_close(ours);
            st.SkipWithError(fmt::format("{} lookup of 0x{:x} gave 0x{:x}, expected 0x{:x}", name(strategy),
                                         sample[i], got, want).c_str());
            return;
        }
    }

    Meter m(p);
    m.start();
    for (auto _ : st) {
        for (uint64_t hpa : sample)
            benchmark::DoNotOptimize(lookup(hpa));
    }
    const sim::ReadCounts c = p.counts();
    if (ours)
        bench_ours_end(ours);
    bench_ours_close(ours);
    hs.end_command();

    using benchmark::Counter;
    const double n = static_cast<double>(sample.size());
    st.counters["lookups_per_s"] = Counter(n, Counter::kIsIterationInvariantRate);
    st.counters["reads_per_lookup"] =
        static_cast<double>(c.reads) / (static_cast<double>(st.iterations()) * n);
    st.counters["bytes_per_lookup"] =
        static_cast<double>(c.bytes) / (static_cast<double>(st.iterations()) * n);
    st.counters["shadow_pages"] = static_cast<double>(p.vm().shadow_pages.size());
    st.counters["sample"] = n;
}

// What a command pays once before its lookups: our memseg table + tree header, or the index.
void bm_setup(State& st, uint64_t mib, Strategy strategy) {
    Prepared& p = prepared(spt_spec(mib, false), sim::Backend::flat);
    const uint64_t kvm = p.vm().kvm;
    BenchSession s(*p.target);
    const char* why = nullptr;
    bench_ours_t* ours = strategy == Strategy::avl ? bench_ours_open(s.module_handle(), &why) : nullptr;
    if (strategy == Strategy::avl && !ours) {
        st.SkipWithError(fmt::format("our dmod's lookup is unavailable: {}", why ? why : "?").c_str());
        return;
    }
    host::Session& hs = s.session();
    Meter m(p);
    m.start();
    for (auto _ : st) {
        hs.begin_command();
        if (ours) {
            benchmark::DoNotOptimize(bench_ours_begin(ours, kvm));
            bench_ours_end(ours);
        } else {
            FrameIndex index;
            benchmark::DoNotOptimize(index.build(kvm));
        }
        hs.end_command();
    }
    m.report(st);
    bench_ours_close(ours);
    st.counters["shadow_pages"] = static_cast<double>(p.vm().shadow_pages.size());
}

}  // namespace

void register_lookup_benchmarks() {
    for (uint64_t mib : {16ULL, 256ULL, 4096ULL}) {
        const std::string l = spt_label(mib, false);
        for (Sample which : {Sample::tables, Sample::leaves}) {
            for (Strategy strategy : {Strategy::original, Strategy::avl, Strategy::avl_1read, Strategy::index}) {
                benchmark::RegisterBenchmark(
                    fmt::format("lookup/{}/{}/{}", name(strategy), name(which), l).c_str(), bm_lookup, mib,
                    strategy, which)
                    ->Unit(benchmark::kMicrosecond);
            }
        }
        for (Strategy strategy : {Strategy::avl, Strategy::index}) {
            benchmark::RegisterBenchmark(fmt::format("lookup/setup/{}/{}", name(strategy), l).c_str(), bm_setup, mib,
                                         strategy)
                ->Unit(benchmark::kMicrosecond);
        }
    }
}

}  // namespace mdbsim::bench
