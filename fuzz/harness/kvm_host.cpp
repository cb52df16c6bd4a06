// FuzzHost (kvm_host.hpp).
#include "kvm_host.hpp"

#include <dlfcn.h>
#include <link.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "guard_alloc.hpp"
#include "journal.hpp"
#include "mdbsim/host/output.hpp"

#ifndef MDBSIM_FUZZ_DEFAULT_DMOD
#define MDBSIM_FUZZ_DEFAULT_DMOD "kvm.so"
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MDBSIM_FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define MDBSIM_FUZZ_ASAN 1
#endif

namespace mdbsim::fuzz {

// CPU time per component (HostConfig::profile), keyed by the command with hex numbers blanked.
struct FuzzHost::Profile {
    struct Entry {
        uint64_t ns = 0, calls = 0;
    };
    std::map<std::string, Entry> parts;
    uint64_t inputs = 0;

    static uint64_t now() {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return uint64_t(ts.tv_sec) * 1000000000ULL + uint64_t(ts.tv_nsec);
    }
    // Adds the time since t to key; returns the time now.
    uint64_t lap(const std::string& key, uint64_t t) {
        const uint64_t n = now();
        add(key, n - t);
        return n;
    }
    void add(const std::string& key, uint64_t ns) {
        Entry& e = parts[key];
        e.ns += ns;
        ++e.calls;
    }
    static std::string blank(const std::string& cmd) {
        std::string out;
        for (size_t i = 0; i < cmd.size();) {
            if (cmd.compare(i, 2, "0x") == 0) {
                i += 2;
                while (i < cmd.size() && std::isxdigit(static_cast<unsigned char>(cmd[i]))) ++i;
                out += "N";
            } else {
                out += cmd[i++];
            }
        }
        return out;
    }
};

// Forwards every operation to the current input's address space (or to nothing between inputs).
struct FuzzHost::Proxy final : sim::Memory {
    sim::Memory* inner = nullptr;

    std::string_view backend() const override { return inner ? inner->backend() : "none"; }
    sim::Fault read(uint64_t addr, void* dst, size_t len) override {
        if (inner) return inner->read(addr, dst, len);
        return len ? sim::Fault{sim::FaultKind::unmapped, addr} : sim::Fault{};
    }
    sim::Fault write(uint64_t addr, const void* src, size_t len) override {
        if (inner) return inner->write(addr, src, len);
        return len ? sim::Fault{sim::FaultKind::unmapped, addr} : sim::Fault{};
    }
    sim::Fault poke(uint64_t addr, const void* src, size_t len) override {
        if (inner) return inner->poke(addr, src, len);
        return len ? sim::Fault{sim::FaultKind::unmapped, addr} : sim::Fault{};
    }
    void map(uint64_t base, uint64_t size, uint32_t prot, std::string name) override {
        if (!inner) throw sim::MapError("fuzz proxy: no target");
        inner->map(base, size, prot, std::move(name));
    }
    void protect(uint64_t base, uint64_t size, uint32_t prot) override {
        if (inner) inner->protect(base, size, prot);
    }
    void unmap(uint64_t base, uint64_t size) override {
        if (inner) inner->unmap(base, size);
    }
    std::vector<sim::Region> regions() const override { return inner ? inner->regions() : std::vector<sim::Region>{}; }
    const sim::Region* find_region(uint64_t addr) const override { return inner ? inner->find_region(addr) : nullptr; }
    const uint8_t* direct(uint64_t addr, size_t len) override { return inner ? inner->direct(addr, len) : nullptr; }
};

namespace {

const char* env(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
}

std::string default_dmod() {
    // Next to the executable first (an OSS-Fuzz $OUT keeps dmods/ beside the fuzzers).
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto beside = exe.parent_path() / "dmods" / "kvm.so";
        if (std::filesystem::exists(beside, ec)) return beside.string();
    }
    return MDBSIM_FUZZ_DEFAULT_DMOD;
}

struct FindObject {
    ElfW(Addr) base;
    std::vector<std::pair<char*, size_t>> writable;
};

// The dmod's writable PT_LOAD ranges, minus PT_GNU_RELRO (read-only once relocated).
int find_segments(struct dl_phdr_info* info, size_t, void* arg) {
    auto* f = static_cast<FindObject*>(arg);
    if (info->dlpi_addr != f->base) return 0;
    uintptr_t relro_lo = 0, relro_hi = 0;
    for (int i = 0; i < info->dlpi_phnum; ++i) {
        const auto& ph = info->dlpi_phdr[i];
        if (ph.p_type == PT_GNU_RELRO) {
            relro_lo = info->dlpi_addr + ph.p_vaddr;
            relro_hi = relro_lo + ph.p_memsz;
        }
    }
    const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE));
    relro_hi = (relro_hi + page - 1) & ~(page - 1);
    for (int i = 0; i < info->dlpi_phnum; ++i) {
        const auto& ph = info->dlpi_phdr[i];
        if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_W)) continue;
        uintptr_t lo = info->dlpi_addr + ph.p_vaddr, hi = lo + ph.p_memsz;
        if (relro_hi > relro_lo && lo < relro_hi && hi > relro_lo) {
            if (lo >= relro_lo) lo = std::min(hi, relro_hi);
            else hi = std::min(hi, relro_lo);
        }
        if (hi > lo) f->writable.emplace_back(reinterpret_cast<char*>(lo), hi - lo);
    }
    return 1;
}

// Copies a dmod's data segment, redzones of an ASan-built dmod included: unchecked, byte by byte
// (a memcpy call would be intercepted and checked).
#if defined(__clang__) || defined(__GNUC__)
__attribute__((no_sanitize("address")))
#endif
void raw_copy(char* dst, const char* src, size_t n) {
    volatile char* d = dst;
    const volatile char* s = src;
    for (size_t i = 0; i < n; ++i) d[i] = s[i];
}

}  // namespace

HostConfig HostConfig::from_env() {
    HostConfig c;
    if (const char* b = env("MDBSIM_FUZZ_BACKEND")) c.backend = sim::backend_from_string(b);
    if (const char* d = env("MDBSIM_FUZZ_DMOD")) {
        c.dmod = d;
        c.external = true;
    } else {
        c.dmod = default_dmod();
        c.reset = Reset::none;  // ours keeps no static state (walkers/kvm: only const tables)
    }
    if (const char* r = env("MDBSIM_FUZZ_DMOD_RESET")) {
        const std::string_view v = r;
        if (v == "snapshot") c.reset = Reset::snapshot;
        else if (v == "reload") c.reset = Reset::reload;
        else if (v == "none") c.reset = Reset::none;
        else throw std::invalid_argument("MDBSIM_FUZZ_DMOD_RESET must be snapshot, reload or none");
    }
    if (const char* s = env("MDBSIM_FUZZ_STEP_BUDGET")) c.step_budget = std::strtoull(s, nullptr, 0);
#ifdef MDBSIM_FUZZ_ASAN
    c.guard = c.external;
#else
    c.guard = true;
#endif
    if (const char* g = env("MDBSIM_FUZZ_GUARD")) c.guard = std::strcmp(g, "0") != 0;
    c.verbose = env("MDBSIM_FUZZ_VERBOSE") != nullptr;
    c.profile = env("MDBSIM_FUZZ_PROFILE") != nullptr;
    if (const char* k = env("MDBSIM_FUZZ_CACHE")) c.cache_targets = std::strcmp(k, "0") != 0;
    return c;
}

const CommandResult* CaseResult::timeout() const {
    for (const auto& c : commands)
        if (c.budget_exhausted) return &c;
    return nullptr;
}

std::string describe_case(const CaseResult& r) {
    std::string s = fmt::format("scenario: {}\n", r.spec);
    if (!r.build_error.empty()) s += fmt::format("  (not built: {})\n", r.build_error);
    if (r.edits.empty()) s += "edits: none\n";
    for (size_t i = 0; i < r.edits.size(); ++i) s += fmt::format("edit {}: {}\n", i, r.edits[i].description());
    return s;
}

std::optional<std::string> equivalent_spec(const KvmCase& c) {
    if (c.edits.empty()) return c.spec;
    std::string base;
    if (c.spec == "minimal,size=64K") base = "minimal";
    else if (c.spec == "spt,size=16M,large=0,scatter=0,vcpus=1") base = "spt";
    else return std::nullopt;
    std::string kinds;
    const auto& first = c.edits.front();
    for (const Edit& e : c.edits) {
        if (e.kind != Edit::Kind::typed || e.req.seed != first.req.seed || e.req.value != first.req.value) return std::nullopt;
        kinds += (kinds.empty() ? "" : "+") + std::string(sim::kvm::to_string(e.req.kind));
    }
    std::string spec = fmt::format("corrupt,base={},kind={},seed={}", base, kinds, first.req.seed);
    if (first.req.value) spec += fmt::format(",value={}", *first.req.value);
    return spec;
}

FuzzHost::FuzzHost(HostConfig cfg) : cfg_(std::move(cfg)) {
    guard_alloc_enable(cfg_.guard);
    auto v = std::make_unique<Proxy>();
    auto p = std::make_unique<Proxy>();
    vproxy_ = v.get();
    pproxy_ = p.get();
    outer_ = std::make_unique<sim::Target>(std::move(v), std::move(p));
    host::SessionOptions opts;
    opts.step_budget = cfg_.step_budget;
    opts.alloc_limit = 64ULL << 20;  // a size read from a corrupt target must not take the machine
    opts.recover_dmod_faults = false;  // a crash must stay a crash for the fuzzer to see it
    host::SessionStreams streams;
    streams.out = [this](std::string_view s) {
        if (sink_out_) sink_out_->append(s);
    };
    streams.err = [this](std::string_view s) {
        if (sink_err_ && sink_err_->size() < (1u << 20)) sink_err_->append(s);
    };
    session_ = std::make_unique<host::Session>(*outer_, opts, std::move(streams));
    std::string name = std::filesystem::path(cfg_.dmod).filename().string();
    if (name.size() > 3 && name.ends_with(".so")) name.resize(name.size() - 3);
    module_name_ = name;
    if (session_->load_module(cfg_.dmod) != 0)
        throw std::runtime_error("mdbsim-fuzz: cannot load the dmod under test " + cfg_.dmod);
    if (cfg_.reset == HostConfig::Reset::snapshot) {
        host::Module* m = session_->registry().find_module(module_name_);
        struct link_map* lm = nullptr;
        if (m && m->handle && dlinfo(m->handle, RTLD_DI_LINKMAP, &lm) == 0 && lm) {
            FindObject f{lm->l_addr, {}};
            dl_iterate_phdr(find_segments, &f);
            for (auto& [addr, len] : f.writable) {
                Segment seg{addr, std::vector<char>(len)};
                raw_copy(seg.saved.data(), addr, len);
                segments_.push_back(std::move(seg));
            }
        }
    }
    guard_alloc_end_command();
}

// One built scenario: its target with a journal under each address space.
struct FuzzHost::Built {
    std::unique_ptr<sim::Target> target;
    JournalMemory* vjournal = nullptr;
    JournalMemory* pjournal = nullptr;
    fixtures::ScenarioInfo info;
    std::map<std::string, std::string> target_info;  // Target::info() as built
};

sim::Target* FuzzHost::current_target() {
    if (!active_) return nullptr;
    unbind();  // whole again: its symbols and info back from the session
    info_lent_ = true;  // the caller may change Target::info() (the replay tool does): restore it
    return active_->target.get();
}
const fixtures::ScenarioInfo* FuzzHost::current_info() const { return active_ ? &active_->info : nullptr; }

FuzzHost::~FuzzHost() {
    session_.reset();
    release_active();
    cache_.clear();
    owned_.reset();
    guard_alloc_end_command();
}

std::unique_ptr<FuzzHost::Built> FuzzHost::build(const std::string& spec, std::string& error) {
    auto b = std::make_unique<Built>();
    b->target = std::make_unique<sim::Target>(cfg_.backend);
    b->target->wrap_vmem([&](std::unique_ptr<sim::Memory> m) {
        auto j = std::make_unique<JournalMemory>(std::move(m));
        b->vjournal = j.get();
        return j;
    });
    b->target->wrap_pmem([&](std::unique_ptr<sim::Memory> m) {
        auto j = std::make_unique<JournalMemory>(std::move(m));
        b->pjournal = j.get();
        return j;
    });
    try {
        b->info = fixtures::build_scenario(*b->target, spec);
    } catch (const std::exception& e) {
        error = e.what();
        return nullptr;
    }
    b->target_info = b->target->info();
    return b;
}

// Detaches the session from the current target and rolls that target back to its build.
void FuzzHost::release_active() {
    vproxy_->inner = nullptr;
    pproxy_->inner = nullptr;
    if (!active_) return;
    active_->vjournal->record(false);
    active_->pjournal->record(false);
    active_->vjournal->rollback();
    active_->pjournal->rollback();
    // Target::info() (hundreds of "placed." entries) changes only through current_target().
    if (info_lent_) active_->target->info() = active_->target_info;
    info_lent_ = false;
    active_->target->set_writable(true);
    active_ = nullptr;
}

void FuzzHost::unbind() {
    if (!bound_) return;
    std::swap(outer_->symbols(), bound_->target->symbols());
    std::swap(outer_->info(), bound_->target->info());
    bound_ = nullptr;
}

void FuzzHost::drop_binding() {
    if (!bound_) return;
    outer_->symbols() = sim::SymbolTable{};
    outer_->info().clear();
    bound_ = nullptr;
}

void FuzzHost::finish() {
    const uint64_t t = profile_ ? Profile::now() : 0;
    release_active();
    if (profile_) profile_->lap("(reset: roll the last input's target back)", t);
}

void FuzzHost::reset_dmod() {
    switch (cfg_.reset) {
    case HostConfig::Reset::snapshot:
        for (auto& s : segments_) raw_copy(s.addr, s.saved.data(), s.saved.size());
        break;
    case HostConfig::Reset::reload:
        session_->unload_module(module_name_);
        if (session_->load_module(cfg_.dmod) != 0) throw std::runtime_error("mdbsim-fuzz: reloading " + cfg_.dmod + " failed");
        break;
    case HostConfig::Reset::none:
        break;
    }
}

CaseResult FuzzHost::prepare(const KvmCase& c) {
    CaseResult r;
    r.spec = c.spec;
    uint64_t t = profile_ ? Profile::now() : 0;
    const bool rollback = active_ != nullptr;  // finish() was not called
    release_active();
    if (owned_) {
        drop_binding();
        owned_.reset();
    }
    if (profile_ && rollback) t = profile_->lap("(reset: roll the last input's target back)", t);
    Built* previous = bound_;
    Built* b = nullptr;
    if (cfg_.cache_targets) {
        auto it = cache_.find(c.spec);
        if (it == cache_.end()) {
            if (cache_.size() >= 64) {  // bound the memory of many distinct specs
                drop_binding();
                cache_.clear();
                previous = nullptr;
            }
            const uint64_t t0 = profile_ ? Profile::now() : 0;
            auto built = build(c.spec, r.build_error);
            if (profile_) profile_->add("(build a scenario: first input of each spec)", Profile::now() - t0);
            if (!built) return r;
            it = cache_.emplace(c.spec, std::move(built)).first;
        }
        b = it->second.get();
    } else {
        const uint64_t t0 = profile_ ? Profile::now() : 0;
        owned_ = build(c.spec, r.build_error);
        if (profile_) profile_->add("(build a scenario: first input of each spec)", Profile::now() - t0);
        if (!owned_) return r;
        b = owned_.get();
        previous = nullptr;
    }
    active_ = b;
    b->vjournal->record(true);
    b->pjournal->record(true);
    if (profile_) t = Profile::now();
    r.edits = apply_edits(*b->target, b->info.kvm, c.edits);
    if (profile_) t = profile_->lap("(reset: apply the edits)", t);
    vproxy_->inner = &b->target->vmem();
    pproxy_->inner = &b->target->pmem();
    if (previous != b) {
        unbind();
        // The dmod reads by the target's types (kvmd_offsetof): a scenario of another layout
        // profile brings other CTF. Scenarios of one profile share theirs.
        const auto it = b->target->info().find("layout");
        const std::string layout = it == b->target->info().end() ? std::string() : it->second;
        if (outer_->ctf().empty() || layout != ctf_layout_) {
            outer_->ctf() = b->target->ctf();
            ctf_layout_ = layout;
            session_->target_types_changed();
        }
        // The session reads the scenario's symbols and info (hundreds of placed.* entries) and
        // changes neither: they are lent to it, not copied, until another scenario comes.
        std::swap(outer_->symbols(), b->target->symbols());
        std::swap(outer_->info(), b->target->info());
        bound_ = b;
    }
    outer_->set_writable(b->target->writable());
    if (profile_) profile_->lap("(reset: switch the session to the target)", t);
    return r;
}

std::vector<std::string> FuzzHost::commands(const KvmCase& c, bool all_groups) const {
    std::vector<std::string> cmds;
    for (unsigned g = 0; g < kCommandGroups; ++g)
        if (all_groups || CommandGroup(g) == c.group) add_group(c, CommandGroup(g), cmds);
    return cmds;
}

void FuzzHost::add_group(const KvmCase& c, CommandGroup g, std::vector<std::string>& cmds) const {
    // The dmod's additions beyond the original (kvm-dmod.md) are in the groups as well: for
    // another dmod they are unknown names, which costs a lookup.
    static const std::vector<sim::kvm::BuiltVm> none;
    const auto& vms = active_ ? active_->info.kvm.vms : none;
    switch (g) {
    case CommandGroup::vms:
        cmds.emplace_back("::walk kvm");
        cmds.emplace_back("::kvm");
        break;
    case CommandGroup::memslots:
        cmds.emplace_back("::walk kvm | ::walk kvm_memory_slot");
        break;
    case CommandGroup::aliases:
        cmds.emplace_back("::walk kvm | ::walk kvm_mem_alias");
        cmds.emplace_back("::walk kvm_mem_alias");
        break;
    case CommandGroup::gsiroutes:
        cmds.emplace_back("::walk kvm | ::kvm_gsiroutes");
        break;
    case CommandGroup::mmuinfo:
        cmds.emplace_back("::walk kvm | ::kvm_mmuinfo");
        cmds.emplace_back(c.mmu_variant ? "::walk kvm | ::kvm_mmuinfo -l -c 1" : "::walk kvm | ::kvm_mmuinfo -v");
        break;
    case CommandGroup::mmu_pages:
        cmds.emplace_back("::walk kvm | ::walk kvm_mmu_page");
        break;
    case CommandGroup::vcpus:
        cmds.emplace_back("::walk kvm | ::walk kvm_vcpu");
        break;
    case CommandGroup::ring_entries:
    case CommandGroup::rings: {
        std::vector<uint64_t> rings;
        for (const auto& vm : vms)
            for (const auto& vc : vm.vcpus)
                if (rings.size() < 8) rings.push_back(vc.ringbuf);
        if (rings.empty()) break;
        if (g == CommandGroup::ring_entries)
            cmds.push_back(fmt::format("{:#x}::walk kvm_ringbuf_entry | ::kvm_ringbuf_entry", rings[c.ring_pick % rings.size()]));
        else
            for (uint64_t ring : rings) cmds.push_back(fmt::format("{:#x}::walk kvm_ringbuf_entry", ring));
        break;
    }
    case CommandGroup::gpa2qva:
        for (size_t v = 0; v < vms.size() && v < 4; ++v) {
            const auto& vm = vms[v];
            std::vector<uint64_t> gpas = {c.gpa, 0x123456};
            if (!vm.alias_entries.empty()) gpas.push_back((vm.alias_entries.front().base_gfn << 12) | 0x10);
            for (uint64_t gpa : gpas) cmds.push_back(fmt::format("{:#x}::kvm_gpa2qva {:#x}", gpa, vm.kvm));
        }
        break;
    case CommandGroup::count_:
        break;
    }
}

CaseResult FuzzHost::run(const KvmCase& c, bool capture, const Hook& before_each, const Hook& after_each,
                         bool all_groups) {
    if (!handler_installed_) {
        install_fault_handler(crash_reporter_);
        handler_installed_ = true;
    }
    if (cfg_.profile && !profile_) profile_ = std::make_unique<Profile>();
    reset_dmod();
    CaseResult r = prepare(c);
    uint64_t t0 = 0;
    if (profile_) {
        ++profile_->inputs;
        t0 = Profile::now();
    }
    if (!r.build_error.empty()) return r;
    for (const std::string& cmd : commands(c, all_groups)) {
        if (before_each) before_each(r, cmd);
        CommandResult cr;
        cr.command = cmd;
        sink_out_ = capture ? &cr.out : nullptr;
        sink_err_ = capture ? &cr.err : nullptr;
        try {
            cr.rc = session_->run(cmd + "\n", host::Session::InputKind::string, "(fuzz)");
        } catch (const host::CommandAbort& a) {
            cr.rc = -1;
            if (capture && !a.reported) cr.err += a.message + "\n";
        } catch (const host::QuitRequest&) {
            cr.rc = -1;
        }
        session_->out().flush();
        session_->err().flush();
        guard_alloc_end_command();
        cr.status = session_->last_status;
        cr.budget_exhausted = session_->budget_exhausted();
        sink_out_ = sink_err_ = nullptr;
        r.commands.push_back(std::move(cr));
        if (profile_) {
            const uint64_t t1 = Profile::now();
            profile_->add(Profile::blank(cmd), t1 - t0);
            t0 = t1;
        }
        if (after_each) after_each(r, cmd);
    }
    return r;
}

std::string FuzzHost::profile_report() const {
    if (!profile_) return "mdbsim-fuzz profile: nothing run\n";
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const double process = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                           double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    uint64_t total = 0;
    for (const auto& [k, e] : profile_->parts) total += e.ns;
    std::vector<std::pair<std::string, Profile::Entry>> rows(profile_->parts.begin(), profile_->parts.end());
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.ns > b.second.ns; });
    const double n = double(std::max<uint64_t>(profile_->inputs, 1));
    std::string s = fmt::format("mdbsim-fuzz profile: {} inputs, process CPU {:.2f} s, in the target {:.2f} s "
                                "({:.1f} us/input), elsewhere (engine, start-up, scenario builds) {:.2f} s\n",
                                profile_->inputs, process, double(total) / 1e9, double(total) / 1e3 / n,
                                process - double(total) / 1e9);
    s += "| component | us/input | share of the target | runs |\n|---|---|---|---|\n";
    for (const auto& [k, e] : rows)
        s += fmt::format("| `{}` | {:.1f} | {:.1f}% | {} |\n", k, double(e.ns) / 1e3 / n,
                         100.0 * double(e.ns) / double(std::max<uint64_t>(total, 1)), e.calls);
    return s;
}

}  // namespace mdbsim::fuzz
