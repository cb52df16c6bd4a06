// mdbsim-fuzz-replay: a fuzzing input (a corpus entry or a crash file) as a human-readable case.
//
//   mdbsim-fuzz-replay [--target kvm|lang|image] [--save-image FILE] [--no-run] [--full] [--all-groups] INPUT...
//   mdbsim-fuzz-replay --write-seeds DIR        (the kvm seed corpus, from kind names)
//   mdbsim-fuzz-replay --write-image-seeds DIR  (small mdbsim images for the image corpus)
//
// kvm (default): prints the scenario, every corruption and edit in the corruption API's words,
// then runs each command of the input's command group (--all-groups: of every group) with its
// status, standard output and errors. The
// command is printed before it runs, so a crash is attributed. --save-image writes the corrupted
// target (before any command runs) as an mdbsim image: `mdbsim FILE` opens it for inspection,
// with the kvm dmod autoloaded; the image's info carries the scenario and the edits. When the
// case can be written as a scenario spec, the equivalent `mdbsim --scenario ...` is printed too.
// The same environment as the fuzz target applies (MDBSIM_FUZZ_DMOD, MDBSIM_FUZZ_BACKEND, ...).
//
// lang: prints the selected target, input kind and text, and how to feed it to mdbsim.
// image: opens the input as an image and prints what open_image says.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "harness/kvm_host.hpp"
#include "mdbsim/sim/image.hpp"

using namespace mdbsim::fuzz;

namespace {

struct Options {
    std::string target = "kvm";
    std::string save_image;
    bool run = true;
    bool full = false;
    bool all_groups = false;
    std::vector<std::string> inputs;
};

std::vector<uint8_t> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void print_block(const char* label, const std::string& text, bool full) {
    if (text.empty()) return;
    std::istringstream in(text);
    std::string line;
    size_t n = 0, total = 0;
    for (char c : text) total += c == '\n';
    while (std::getline(in, line)) {
        if (!full && n == 12 && total > 14) {
            std::printf("    %s ... (%zu more lines; --full prints them)\n", label, total - n);
            break;
        }
        std::printf("    %s %s\n", label, line.c_str());
        ++n;
    }
}

int replay_kvm(FuzzHost& host, const std::vector<uint8_t>& bytes, const Options& o) {
    const KvmCase c = decode_kvm_case(bytes.data(), bytes.size());
    const CaseResult prepared = host.prepare(c);
    std::printf("%s", describe_case(prepared).c_str());
    std::printf("command group: %s%s\n", to_string(c.group), o.all_groups ? " (--all-groups: running every group)" : "");
    if (!prepared.build_error.empty()) return 0;
    if (auto spec = equivalent_spec(c)) std::printf("same target: mdbsim --scenario '%s'\n", spec->c_str());
    if (!o.save_image.empty()) {
        auto& info = host.current_target()->info();
        info["fuzz.dmod"] = host.config().dmod;
        for (size_t i = 0; i < prepared.edits.size(); ++i) info[fmt::format("fuzz.edit.{}", i)] = prepared.edits[i].description();
        const auto stats = mdbsim::sim::save_image(*host.current_target(), o.save_image);
        std::printf("saved the corrupted target: %s (%zu+%zu segments, %zu symbols); inspect with: mdbsim %s\n",
                    o.save_image.c_str(), stats.virtual_segments, stats.physical_segments, stats.symbols,
                    o.save_image.c_str());
    }
    if (!o.run) return 0;
    std::printf("dmod under test: %s (%s backend, step budget %llu)\n", host.config().dmod.c_str(),
                mdbsim::sim::to_string(host.config().backend), static_cast<unsigned long long>(host.config().step_budget));
    int timeouts = 0;
    const CaseResult r = host.run(
        c, true,
        [](const CaseResult&, const std::string& cmd) {
            std::printf("> %s\n", cmd.c_str());
            std::fflush(stdout);
        },
        [&](const CaseResult& r, const std::string&) {
            const CommandResult& cr = r.commands.back();
            print_block("|", cr.out, o.full);
            print_block("!", cr.err, o.full);
            std::printf("    => %s, status %d%s\n", cr.rc == 0 ? "completed" : "input ended with an error", cr.status,
                        cr.budget_exhausted ? ", STEP BUDGET EXHAUSTED (timeout-class finding)" : "");
            timeouts += cr.budget_exhausted;
            std::fflush(stdout);
        },
        o.all_groups);
    std::printf("result: %zu commands, %s\n", r.commands.size(),
                timeouts ? fmt::format("{} exhausted the step budget", timeouts).c_str() : "no crash, no timeout");
    return timeouts ? 2 : 0;
}

std::string escape(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (c == '\\' || c == '"') out += fmt::format("\\{}", char(c));
        else if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c >= 0x7f) out += fmt::format("\\x{:02x}", c);
        else out += char(c);
    }
    return out;
}

void replay_lang(const std::string& path, const std::vector<uint8_t>& bytes) {
    if (bytes.empty()) {
        std::printf("empty input\n");
        return;
    }
    const std::string text(bytes.begin() + 1, bytes.end());
    std::printf("target: %s, input kind: %s\ninput (%zu bytes): \"%s\"\n", (bytes[0] & 1) ? "minimal" : "empty",
                (bytes[0] & 2) ? "file" : "string", text.size(), escape(text).c_str());
    std::printf("reproduce: tail -c +2 %s | mdbsim --scenario %s\n", path.c_str(), (bytes[0] & 1) ? "minimal" : "empty");
}

void replay_image(const std::string& path) {
    mdbsim::sim::ImageFacts facts;
    try {
        auto t = mdbsim::sim::open_image(path, {}, &facts);
        std::printf("opens as %s: %zu virtual and %zu physical segments, %zu symbols\n", mdbsim::sim::to_string(facts.kind),
                    facts.virtual_segments, facts.physical_segments, facts.symbols);
    } catch (const std::exception& e) {
        std::printf("refused: %s\n", e.what());
    }
    std::printf("reproduce: mdbsim %s\n", path.c_str());
}

// The kvm seed corpus: base-*-GROUP: each small scenario untouched, once per command group;
// typed-*: minimal (64K) with one typed corruption of each kind, running the group of commands
// that read what the kind damages; edit-*: examples of raw and pointer edits, likewise.
int write_seeds(const std::string& dir) {
    using G = CommandGroup;
    size_t written = 0;
    auto put = [&](const std::string& name, const std::vector<uint8_t>& bytes) {
        std::ofstream out(dir + "/" + name, std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        if (!out) throw std::runtime_error("cannot write " + dir + "/" + name);
        ++written;
    };
    const struct { const char* name; uint8_t sel, vcpus; } bases[] = {
        {"minimal-16k", 0x00, 0}, {"minimal-64k", 0x08, 0}, {"minimal-256k-noaccessed", 0x38, 0},
        {"typical", 0x03, 0}, {"spt-64k", 0x04, 0}, {"spt-1m-2vcpus", 0x14, 1},
        {"spt-2m-large", 0x24, 0}, {"spt-256k-scatter", 0x4c, 0}, {"noroot", 0x06, 0},
    };
    for (const auto& b : bases)
        for (unsigned g = 0; g < kCommandGroups; ++g)
            put(fmt::format("base-{}-{}", b.name, to_string(G(g))), encode_kvm_case(b.sel, b.vcpus, G(g), 0x1000, {}));
    // The commands that read what a corruption kind damages, from the kind's name.
    auto group_of = [](std::string_view kind) {
        const std::pair<std::string_view, G> by_name[] = {
            {"alias", G::aliases}, {"irq-routing", G::gsiroutes}, {"memslots", G::memslots}, {"ring", G::ring_entries},
            {"vcpu", G::vcpus},    {"vm-list", G::vms},           {"unmap-kvm", G::vms},
        };
        for (const auto& [part, g] : by_name)
            if (kind.find(part) != std::string_view::npos) return g;
        return G::mmuinfo;  // avl-*, memseg-*, pte-*, root-*, spt-*, unmap-pae-root, unmap-spt
    };
    const auto& kinds = mdbsim::sim::kvm::all_corruptions();
    for (size_t i = 0; i < kinds.size(); ++i) {
        const std::string kind(mdbsim::sim::kvm::to_string(kinds[i]));
        put(fmt::format("typed-{}", kind), encode_kvm_case(0x08, 0, group_of(kind), 0x1000, {{0x00, uint8_t(i), 1, 0}}));
    }
    // raw: op 1 | width 8 (3<<2) | set (0<<4) | named field (0x40): class, index, field, value
    auto raw = [](ObjClass c, uint8_t field, uint64_t v) {
        std::vector<uint8_t> e{uint8_t(0x01 | (3 << 2) | 0x40), uint8_t(c), 0, field, 0};
        for (int k = 0; k < 8; ++k) e.push_back(uint8_t(v >> (8 * k)));
        return e;
    };
    // pointer: op 2 | mode (m<<2) | named field: class, index, field, target class, target index, delta
    auto ptr = [](ObjClass c, uint8_t field, unsigned mode, ObjClass to, int16_t delta) {
        return std::vector<uint8_t>{uint8_t(0x02 | (mode << 2) | 0x40), uint8_t(c), 0, field, 0, uint8_t(to), 0,
                                    uint8_t(uint16_t(delta) & 0xff), uint8_t(uint16_t(delta) >> 8)};
    };
    put("edit-memslots-nmemslots", encode_kvm_case(0x08, 0, G::memslots, 0x1000, {raw(ObjClass::memslots, 0, 1000)}));
    put("edit-ringbuf-ent", encode_kvm_case(0x08, 0, G::ring_entries, 0x1000, {raw(ObjClass::ringbuf, 0, 0x7fffffff)}));
    put("edit-mmu-root-level", encode_kvm_case(0x04, 0, G::mmuinfo, 0x1000, {raw(ObjClass::mmu, 1, 7)}));
    put("edit-avl-numnodes", encode_kvm_case(0x03, 0, G::mmu_pages, 0x1000, {raw(ObjClass::kvm, 10, 1ULL << 40)}));
    put("edit-spt-entry-to-kvm", encode_kvm_case(0x04, 0, G::mmuinfo, 0x1000, {ptr(ObjClass::spt, 0, 0, ObjClass::kvm, 0x27)}));
    put("edit-mmu-page-sptkma-self", encode_kvm_case(0x08, 0, G::mmuinfo, 0x1000, {ptr(ObjClass::mmu_page, 3, 3, ObjClass::kvm, 0)}));
    put("edit-vm-list-wild", encode_kvm_case(0x03, 0, G::vms, 0x1000, {ptr(ObjClass::vm_list, 2, 1, ObjClass::kvm, 5)}));
    put("edit-memseg-next-null", encode_kvm_case(0x08, 0, G::mmuinfo, 0x1000, {ptr(ObjClass::memseg, 4, 2, ObjClass::kvm, 0)}));
    std::printf("wrote %zu seeds to %s\n", written, dir.c_str());
    return 0;
}

// Image seeds: mdbsim images of an empty target and of a tiny one (a virtual and a physical page,
// two symbols, info), small enough for the image fuzzer's max_len.
int write_image_seeds(const std::string& dir) {
    mdbsim::sim::Target empty(mdbsim::sim::Backend::flat);
    mdbsim::sim::save_image(empty, dir + "/empty.core");
    mdbsim::sim::Target t(mdbsim::sim::Backend::flat);
    t.vmem().map(0xfffffe0000000000ULL, 4096, mdbsim::sim::kProtRW, "kmem");
    t.pmem().map(0x100000, 4096, mdbsim::sim::kProtRead, "frames");
    t.put<uint64_t>(0xfffffe0000000000ULL, 0xfffffe0000000010ULL);
    t.pput<uint64_t>(0x100008, 0x27);
    t.symbols().add("unix", "memsegs", 0xfffffe0000000000ULL, 8);
    t.symbols().add("kvm", "vm_list", 0xfffffe0000000010ULL, 32);
    t.info()["scenario"] = "tiny";
    mdbsim::sim::save_image(t, dir + "/tiny.core");
    std::printf("wrote empty.core, tiny.core (and their .syms) to %s\n", dir.c_str());
    return 0;
}

int usage() {
    std::fprintf(stderr, "usage: mdbsim-fuzz-replay [--target kvm|lang|image] [--save-image FILE] [--no-run] [--full] [--all-groups] INPUT...\n");
    return 64;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--target" && i + 1 < argc) o.target = argv[++i];
        else if (a == "--save-image" && i + 1 < argc) o.save_image = argv[++i];
        else if (a == "--no-run") o.run = false;
        else if (a == "--full") o.full = true;
        else if (a == "--all-groups") o.all_groups = true;
        else if (a == "--write-seeds" && i + 1 < argc) return write_seeds(argv[i + 1]);
        else if (a == "--write-image-seeds" && i + 1 < argc) return write_image_seeds(argv[i + 1]);
        else if (a == "-h" || a == "--help") return usage(), 0;
        else if (!a.empty() && a[0] == '-') return usage();
        else o.inputs.push_back(a);
    }
    if (o.inputs.empty() || (o.target != "kvm" && o.target != "lang" && o.target != "image")) return usage();
    if (!o.save_image.empty() && o.inputs.size() != 1) {
        std::fprintf(stderr, "mdbsim-fuzz-replay: --save-image takes one input\n");
        return 64;
    }
    int rc = 0;
    try {
        std::unique_ptr<FuzzHost> host;
        if (o.target == "kvm") {
            HostConfig cfg = HostConfig::from_env();
            cfg.cache_targets = false;  // a freshly built target per case (and for --save-image)
            host = std::make_unique<FuzzHost>(cfg);
        }
        for (const std::string& path : o.inputs) {
            std::printf("== %s\n", path.c_str());
            const auto bytes = read_file(path);
            if (o.target == "kvm") rc = std::max(rc, replay_kvm(*host, bytes, o));
            else if (o.target == "lang") replay_lang(path, bytes);
            else replay_image(path);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mdbsim-fuzz-replay: %s\n", e.what());
        return 1;
    }
    return rc;
}
