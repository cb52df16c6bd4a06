// Session lifetime, the per-command frames (UM_GC blocks, walk records), the per-command work
// budget and time limit, and SIGINT handling.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "builtins.hpp"
#include "print_builtins.hpp"
#include "host_internal.hpp"
#include "mdbsim/host/lang.hpp"
#include "mdbsim/host/output.hpp"

extern "C" {
// Target properties a dmod reads directly (modapi.md §2); the newest session sets them.
int mdb_prop_postmortem = 1;
int mdb_prop_kernel = 1;
}

namespace mdbsim::host {

volatile std::sig_atomic_t sigint_pending = 0;

Session* g_current_session = nullptr;

namespace {

// Live sessions, oldest first: the current one is the newest still alive, whatever order they
// are destroyed in (a stack of links would dangle when an older one goes first).
std::vector<Session*>& live_sessions() {
    static std::vector<Session*> live;
    return live;
}

void update_current(const std::vector<Session*>& live) { g_current_session = live.empty() ? nullptr : live.back(); }
extern "C" void on_sigint(int) { sigint_pending = 1; }

std::vector<std::string> default_module_path() {
    std::vector<std::string> path;
    if (const char* env = std::getenv("MDBSIM_MODPATH")) {
        std::string_view rest = env;
        while (!rest.empty()) {
            size_t colon = rest.find(':');
            std::string_view dir = rest.substr(0, colon);
            if (!dir.empty()) path.emplace_back(dir);
            if (colon == std::string_view::npos) break;
            rest.remove_prefix(colon + 1);
        }
    }
#ifdef MDBSIM_DMOD_DIR
    path.emplace_back(MDBSIM_DMOD_DIR);
#endif
    return path;
}

}  // namespace

Session::Session(sim::Target& target, SessionOptions opts, SessionStreams streams)
    : target_(target), opts_(opts), registry_(default_module_path()),
      cmd_(std::make_unique<CommandState>()) {
    live_sessions().push_back(this);
    update_current(live_sessions());
    mdb_prop_kernel = opts_.kernel ? 1 : 0;
    mdb_prop_postmortem = opts_.kernel ? 1 : 0;
    cmd_->frames.emplace_back();

    if (streams.out_buffer)
        out_ = std::make_unique<Output>(*this, streams.out_kind, std::move(streams.out_buffer), opts_.output_columns);
    else
        out_ = std::make_unique<Output>(*this, streams.out_kind, std::move(streams.out), opts_.output_columns);
    err_ = std::make_unique<Output>(*this, streams.err_kind, std::move(streams.err), opts_.output_columns);
    lang_ = std::make_unique<Language>(*this);

    register_module_builtins(*this);
    register_format_builtins(*this);
    register_language_builtins(*this);
    register_session_builtins(*this);
    register_symbol_builtins(*this);
    register_target_builtins(*this);
    register_dis_builtins(*this);
    register_demangle_builtins(*this);
    register_linked_walkers(*this);
    register_type_builtins(*this);
}

Session::~Session() {
    // Walks and UM_GC blocks of unfinished commands first: their fini may call into modules.
    while (cmd_->frames.size() > 1) end_command();
    end_command();
    while (registry_.modules().size() > 1) {
        Module* m = registry_.modules().back().get();
        if (unload_module(m->name) != 0) registry_.remove_module(m);
    }
    try {
        out_->flush();
        err_->flush();
    } catch (...) {
        // A sink that fails while the session goes away has nowhere left to report to.
    }
    auto& live = live_sessions();
    live.erase(std::remove(live.begin(), live.end(), this), live.end());
    update_current(live);
}

Session* Session::current() { return g_current_session; }

Session& current_session() {
    Session* s = Session::current();
    if (s == nullptr) throw CommandAbort{"no debugging session", false};
    return *s;
}

void Session::begin_command() {
    if (!cmd_->spare_frames.empty()) {
        cmd_->frames.push_back(std::move(cmd_->spare_frames.back()));
        cmd_->spare_frames.pop_back();
    } else {
        cmd_->frames.emplace_back();
    }
    if (cmd_->frames.size() == 2) {
        CommandState& st = *cmd_;
        st.work = 0;
        st.work_limit = opts_.step_budget == 0 ? ~uint64_t{0} : opts_.step_budget;
        st.exhausted = false;
        st.has_deadline = opts_.timeout_seconds > 0;
        if (st.has_deadline) {
            const auto limit = std::chrono::duration<double>(std::min(opts_.timeout_seconds, 1e9));
            st.deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(limit);
        }
        sigint_pending = 0;
    }
}

void Session::end_command() {
    CommandFrame frame = std::move(cmd_->frames.back());
    if (cmd_->frames.size() > 1)
        cmd_->frames.pop_back();
    else
        cmd_->frames.back() = CommandFrame{};

    // Walks left behind by an abort, oldest first, so an upper walk's fini runs before the fini
    // of the layers (created by its init) whose data it may point into.
    for (auto& rec : frame.walks) {
        WalkRecord& r = *rec;
        forget_live_walk(*cmd_, &r);
        if (r.initialized && r.walker.fini) {
            try {
                guarded(*this, r.walker.module, [&r] {
                    r.walker.fini(&r.state);
                    return 0;
                });
            } catch (...) {
                // The command is already being abandoned; a failing fini cannot stop that.
            }
        }
    }
    for (void* block : frame.gc_blocks) std::free(block);
    constexpr size_t kSpareFrames = 4;  // nested mdb_eval commands each take one
    if (cmd_->spare_frames.size() < kSpareFrames) {
        frame.walks.clear();
        frame.gc_blocks.clear();
        cmd_->spare_frames.push_back(std::move(frame));
    }
}

void* Session::gc_register(void* block) {
    if (block) cmd_->frames.back().gc_blocks.push_back(block);
    return block;
}

bool Session::interrupted() const { return sigint_pending != 0; }
bool Session::in_command() const { return cmd_->frames.size() > 1; }

// Called from mdb_vread and the walk loop, so the throw often unwinds through a dmod's C frames;
// x86-64 gcc and clang emit unwind tables for C by default, which is what makes that safe.
void Session::check_interrupt() {
    if (sigint_pending) {
        sigint_pending = 0;
        throw Interrupted("interrupted", stop_site());
    }
    const CommandState& st = *cmd_;
    if (st.has_deadline && std::chrono::steady_clock::now() >= st.deadline) {
        throw CommandTimedOut(fmt::format("command timed out after {:g} s {} (--timeout)", opts_.timeout_seconds,
                                          stop_site().describe()),
                              stop_site());
    }
}

void Session::charge_work() {
    CommandState& st = *cmd_;
    ++st.work;
    if (st.work > st.work_limit || st.exhausted) {
        st.exhausted = st.exhausted_in_run = true;
        throw BudgetExhausted(fmt::format("command stopped {}: step budget of {} units exhausted (--step-budget)",
                                          stop_site().describe(), opts_.step_budget),
                              stop_site());
    }
    // The clock is read every 1024 units: a read or a step is far cheaper than now().
    if (sigint_pending || (st.has_deadline && (st.work & 1023) == 0)) check_interrupt();
}

uint64_t Session::work_done() const { return cmd_->work; }
bool Session::budget_exhausted() const { return cmd_->exhausted || cmd_->exhausted_in_run; }

StopSite Session::stop_site() const {
    const Activity& a = cmd_->activity;
    StopSite site;
    if (a.dcmd) {
        site.dcmd = a.dcmd->name;
        site.dcmd_addr = a.dcmd_addr;
        if (a.dcmd->module) site.module = site.dcmd_module = a.dcmd->module->name;
    }
    if (a.walk) {
        site.walker = a.walk->walker.name;
        site.phase = a.phase ? a.phase : "";
        site.walk_addr = a.walk->state.walk_addr;
        if (a.walk->walker.module) site.module = site.walker_module = a.walk->walker.module->name;
    }
    return site;
}

namespace {
std::string scoped_name(const std::string& module, const std::string& name) {
    return module.empty() || module == "mdb" ? "'" + name + "'" : "'" + module + "`" + name + "'";
}
}  // namespace

std::string StopSite::describe() const {
    std::string text;
    if (!walker.empty()) {
        text = "in walker " + scoped_name(walker_module, walker);
        if (!phase.empty()) text += fmt::format(" ({})", phase);
        text += fmt::format(" at {:#x}", walk_addr);
    }
    if (!dcmd.empty()) {
        if (!text.empty()) text += ", ";
        text += fmt::format("in dcmd {} at {:#x}", scoped_name(dcmd_module, dcmd), dcmd_addr);
    }
    return text.empty() ? "outside any dcmd" : text;
}

void Session::install_sigint_handler() {
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
}

std::unique_ptr<Output> Session::swap_out(std::unique_ptr<Output> o) {
    std::swap(out_, o);
    return o;
}

const sim::Symbol* Session::lookup_symbol(std::string_view name) const {
    const ScopedName n = split_scope(name);
    if (!n.scoped) {
        for (const sim::Symbol& p : private_symbols)
            if (p.name == n.name) return &p;
        return target_.symbols().lookup(n.name);
    }
    if (n.module.empty()) return target_.symbols().lookup(n.name);
    return target_.symbols().lookup(n.module, n.name);
}

const sim::Symbol* Session::lookup_symbol_by_addr(uint64_t addr, bool exact) const {
    const sim::Symbol* best = nullptr;
    for (const sim::Symbol& p : private_symbols) {
        if (exact ? p.value() != addr : (p.value() > addr || (p.size() != 0 && addr - p.value() >= p.size())))
            continue;
        if (!best || p.value() > best->value()) best = &p;
    }
    if (best) return best;
    return target_.symbols().lookup_by_addr(addr, exact);
}

Module* calling_module(Session& s) {
    auto& st = s.command_state();
    if (Module* m = s.registry().loading()) return m;
    if (!st.executing.empty() && st.executing.back()) return st.executing.back();
    return s.registry().builtin_module();
}

void run_callbacks(Session& s, int cls) {
    for (const Callback& cb : s.registry().callbacks(cls)) {
        guarded(s, cb.module, [&cb] {
            cb.func(cb.arg);
            return 0;
        });
    }
}

void Session::run_prompt_callbacks() { run_callbacks(*this, MDB_CALLBACK_PROMPT); }

}  // namespace mdbsim::host
