// A libFuzzer-free driver: runs LLVMFuzzerTestOneInput over every file named on the command line
// (directories: every regular file in them, sorted). Used by the ordinary (gcc) test suite to
// replay the checked-in corpora and past findings on every CI run. A crash or a timeout-class
// abort fails the test like it fails a fuzzing run; the last line names the input.
//
// With --mutations N [--seed S] [--dict FILE] [--last FILE], it is also CI's smoke fuzzer: after the replay,
// every input is mutated N times and each mutant is run. libFuzzer cannot do this reproducibly,
// because its coverage feedback makes the sequence of inputs depend on how each one ran; here the
// mutants are a function of the seed, the inputs and the dictionary only (std::mt19937_64 is
// specified exactly by the standard), so a commit's result is the same on every run. Random,
// feedback-driven campaigns are scripts/fuzz.sh's. Each mutant is written to the --last file
// before it runs, so after a crash that file is the input to replay.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));

namespace {

using Bytes = std::vector<uint8_t>;

Bytes read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// libFuzzer's dictionary format: one "token" per line, C escapes \\ \" \xNN; # comments.
std::vector<Bytes> read_dict(const std::string& path) {
    std::vector<Bytes> tokens;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        const size_t open = line.find('"');
        const size_t close = line.rfind('"');
        if (line.empty() || line[0] == '#' || open == std::string::npos || close <= open) continue;
        Bytes t;
        for (size_t i = open + 1; i < close; ++i) {
            if (line[i] != '\\' || i + 1 >= close) {
                t.push_back(static_cast<uint8_t>(line[i]));
            } else if (line[i + 1] == 'x' && i + 3 < close) {
                t.push_back(static_cast<uint8_t>(std::strtoul(line.substr(i + 2, 2).c_str(), nullptr, 16)));
                i += 3;
            } else {
                t.push_back(static_cast<uint8_t>(line[++i]));
            }
        }
        if (!t.empty()) tokens.push_back(std::move(t));
    }
    return tokens;
}

// One to four edits of the kinds libFuzzer makes: bit flips, byte changes, insertions and
// erasures, copies within the input, dictionary tokens, and splices with another input.
class Mutator {
public:
    Mutator(uint64_t seed, const std::vector<Bytes>& dict, const std::vector<Bytes>& pool)
        : rng_(seed), dict_(dict), pool_(pool) {}

    Bytes mutate(Bytes b) {
        const int edits = 1 + static_cast<int>(below(4));
        for (int i = 0; i < edits; ++i) edit(b);
        if (b.size() > kMaxSize) b.resize(kMaxSize);
        return b;
    }

private:
    static constexpr size_t kMaxSize = 4096;

    uint64_t below(uint64_t n) { return n == 0 ? 0 : rng_() % n; }

    void edit(Bytes& b) {
        const size_t at = below(b.size() + 1);
        switch (below(8)) {
        case 0:
            if (!b.empty()) b[below(b.size())] ^= static_cast<uint8_t>(1u << below(8));
            break;
        case 1:
            if (!b.empty()) b[below(b.size())] = static_cast<uint8_t>(rng_());
            break;
        case 2:
            b.insert(b.begin() + static_cast<ptrdiff_t>(at), static_cast<uint8_t>(rng_()));
            break;
        case 3:
            if (!b.empty()) {
                const size_t from = below(b.size());
                const size_t n = std::min<size_t>(1 + below(4), b.size() - from);
                b.erase(b.begin() + static_cast<ptrdiff_t>(from), b.begin() + static_cast<ptrdiff_t>(from + n));
            }
            break;
        case 4:
            if (!b.empty()) {
                const size_t from = below(b.size());
                const size_t n = std::min<size_t>(1 + below(16), b.size() - from);
                const Bytes chunk(b.begin() + static_cast<ptrdiff_t>(from), b.begin() + static_cast<ptrdiff_t>(from + n));
                b.insert(b.begin() + static_cast<ptrdiff_t>(at), chunk.begin(), chunk.end());
            }
            break;
        case 5:
        case 6:
            if (!dict_.empty()) {
                const Bytes& t = dict_[below(dict_.size())];
                b.insert(b.begin() + static_cast<ptrdiff_t>(at), t.begin(), t.end());
            }
            break;
        default:
            if (!pool_.empty()) {
                const Bytes& other = pool_[below(pool_.size())];
                const size_t from = below(other.size() + 1);
                b.resize(at);
                b.insert(b.end(), other.begin() + static_cast<ptrdiff_t>(from), other.end());
            }
            break;
        }
    }

    std::mt19937_64 rng_;
    const std::vector<Bytes>& dict_;
    const std::vector<Bytes>& pool_;
};

int usage() {
    std::fprintf(stderr, "usage: fuzz replay [--mutations N] [--seed S] [--dict FILE] [--last FILE] INPUT...\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    uint64_t mutations = 0, seed = 1;
    std::vector<Bytes> dict;
    std::string last = "fuzz-smoke-last-input";
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--mutations" || arg == "--seed" || arg == "--dict" || arg == "--last") {
            if (i + 1 >= argc) return usage();
            const char* value = argv[++i];
            if (arg == "--dict") {
                dict = read_dict(value);
            } else if (arg == "--last") {
                last = value;
            } else {
                char* end = nullptr;
                const uint64_t n = std::strtoull(value, &end, 0);
                if (*value == '\0' || *end != '\0') return usage();
                (arg == "--seed" ? seed : mutations) = n;
            }
            continue;
        }
        const std::filesystem::path p = argv[i];
        if (std::filesystem::is_directory(p)) {
            std::vector<std::string> in_dir;
            for (const auto& e : std::filesystem::directory_iterator(p))
                if (e.is_regular_file() && e.path().filename().string()[0] != '.') in_dir.push_back(e.path().string());
            std::sort(in_dir.begin(), in_dir.end());
            files.insert(files.end(), in_dir.begin(), in_dir.end());
        } else if (std::filesystem::exists(p)) {
            files.push_back(p.string());
        } else {
            std::fprintf(stderr, "fuzz replay: no such input %s\n", argv[i]);
            return 2;
        }
    }
    std::vector<Bytes> inputs;
    for (const std::string& f : files) {
        inputs.push_back(read_file(f));
        std::fprintf(stderr, "fuzz replay: %s (%zu bytes)\n", f.c_str(), inputs.back().size());
        LLVMFuzzerTestOneInput(inputs.back().data(), inputs.back().size());
    }
    std::fprintf(stderr, "fuzz replay: %zu inputs, no crash\n", files.size());
    if (mutations == 0) return 0;

    std::fprintf(stderr, "fuzz smoke: %llu mutants of each input, seed %llu; each is written to %s before it runs\n",
                 static_cast<unsigned long long>(mutations), static_cast<unsigned long long>(seed), last.c_str());
    Mutator mutator(seed, dict, inputs);
    uint64_t runs = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
        for (uint64_t m = 0; m < mutations; ++m, ++runs) {
            const Bytes mutant = mutator.mutate(inputs[i]);
            std::ofstream(last, std::ios::binary | std::ios::trunc)
                .write(reinterpret_cast<const char*>(mutant.data()), static_cast<std::streamsize>(mutant.size()));
            LLVMFuzzerTestOneInput(mutant.data(), mutant.size());
        }
    }
    std::fprintf(stderr, "fuzz smoke: %llu mutants of %zu inputs, seed %llu, no crash\n",
                 static_cast<unsigned long long>(runs), inputs.size(), static_cast<unsigned long long>(seed));
    return 0;
}
