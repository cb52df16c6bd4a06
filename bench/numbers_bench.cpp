// The digits of the host's integer conversions, side by side: num_to_chars (the printf engine's
// own, two digits per step from a table) against std::to_chars and fmt's compiled format on the
// same values in one process. The hand-written routine stays only where it pays; the ratio is
// in docs/benchmarks.md. Values: fixed seeds, the shapes ::kvm_mmuinfo prints (kernel addresses
// and table entries in hex, indices and counts in decimal) plus full-width decimals.
#include <benchmark/benchmark.h>
#include <fmt/compile.h>
#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "num_chars.hpp"
#include "suite.hpp"

namespace mdbsim::bench {

namespace {

constexpr size_t kValues = 4096;

struct Shape {
    const char* name;
    int base;
    uint64_t lo, hi;  // uniform in [lo, hi]
};

constexpr Shape kShapes[] = {
    {"hex_addr", 16, 0xfffffe0000000000ULL, 0xffffffffffffffffULL},
    {"hex_small", 16, 0, 0xfff},
    {"dec_small", 10, 0, 999},
    {"dec_full", 10, 0, ~uint64_t{0}},
    {"oct", 8, 0, 0xffffffff},
};

std::vector<uint64_t> values(const Shape& s) {
    std::mt19937_64 rng(0x5eed + static_cast<unsigned>(s.base));
    std::uniform_int_distribution<uint64_t> d(s.lo, s.hi);
    std::vector<uint64_t> v(kValues);
    for (auto& x : v) x = d(rng);
    return v;
}

std::string_view hand(char (&buf)[host::kNumChars], uint64_t v, int base) {
    char* end = buf + sizeof buf;
    const char* p = host::num_to_chars(end, v, base, host::kNumUnsigned);
    return {p, static_cast<size_t>(end - p)};
}

std::string_view std_chars(char (&buf)[host::kNumChars], uint64_t v, int base) {
    auto r = std::to_chars(buf, buf + sizeof buf, v, base);
    return {buf, static_cast<size_t>(r.ptr - buf)};
}

std::string_view fmt_chars(char (&buf)[host::kNumChars], uint64_t v, int base) {
    char* e = base == 16  ? fmt::format_to(buf, FMT_COMPILE("{:x}"), v)
              : base == 8 ? fmt::format_to(buf, FMT_COMPILE("{:o}"), v)
                          : fmt::format_to(buf, FMT_COMPILE("{}"), v);
    return {buf, static_cast<size_t>(e - buf)};
}

using Conv = std::string_view (*)(char (&)[host::kNumChars], uint64_t, int);

void bm_digits(benchmark::State& st, Shape shape, Conv conv) {
    const std::vector<uint64_t> v = values(shape);
    // All three must print the same text, or the comparison means nothing.
    for (uint64_t x : v) {
        char a[host::kNumChars], b[host::kNumChars], c[host::kNumChars];
        if (hand(a, x, shape.base) != std_chars(b, x, shape.base) ||
            hand(a, x, shape.base) != fmt_chars(c, x, shape.base))
            throw std::runtime_error("digit routines disagree");
    }
    size_t bytes = 0;
    for (auto _ : st) {
        for (uint64_t x : v) {
            char buf[host::kNumChars];
            std::string_view s = conv(buf, x, shape.base);
            benchmark::DoNotOptimize(s.data());
            bytes += s.size();
        }
    }
    st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * kValues));
    st.counters["chars"] = benchmark::Counter(static_cast<double>(bytes) /
                                              static_cast<double>(st.iterations() * kValues));
}

}  // namespace

void register_number_benchmarks() {
    for (const Shape& s : kShapes) {
        const std::string n = s.name;
        benchmark::RegisterBenchmark(("digits/hand/" + n).c_str(), bm_digits, s, hand);
        benchmark::RegisterBenchmark(("digits/to_chars/" + n).c_str(), bm_digits, s, std_chars);
        benchmark::RegisterBenchmark(("digits/fmt/" + n).c_str(), bm_digits, s, fmt_chars);
    }
}

}  // namespace mdbsim::bench
