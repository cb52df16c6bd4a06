// The host core's private state: module tables, walk records, per-command frames. Shared by the
// files of libmdbsim_host that implement the module API, the walk engine and the loader; nothing
// outside the library sees it.
#pragma once

#include <sys/mdb_modapi.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "mdbsim/host/session.hpp"
#include "mdbsim/mdb_errno.h"
#include "mdbsim/sim/memory.hpp"

namespace mdbsim::host {

// One walk in progress. mdb_layered_walk and fail_walk receive its mdb_walk_state_t* and map it
// back to the record through CommandState::live_walks.
struct WalkRecord {
    mdb_walk_state_t state{};
    Walker walker;                     // a copy: mdb_remove_walker during the walk is harmless
    WalkRecord* upper = nullptr;       // for a layer: the walk whose steps it drives
    std::vector<WalkRecord*> layers;   // lower walks, the first one drives this walk
    bool initialized = false;          // init returned WALK_NEXT: fini is owed
    bool failed = false;               // the walk must return -1 (host walkers, step budget)
    int fail_errno = 0;
};

// What one command (and each nested mdb_eval command) owns until it ends.
struct CommandFrame {
    std::vector<void*> gc_blocks;
    std::vector<std::unique_ptr<WalkRecord>> walks;  // every live record of this command
};

// What is running, for stop messages (StopSite): the innermost dcmd and the innermost walk.
// Set and restored around every call into module code (ActivityScope).
struct Activity {
    const Dcmd* dcmd = nullptr;
    uint64_t dcmd_addr = 0;
    const WalkRecord* walk = nullptr;
    const char* phase = nullptr;  // "init", "step", "fini"
};

// What the core keeps per session about running commands (Session::command_state()).
struct Session::CommandState {
    std::vector<CommandFrame> frames;  // frames[0] holds what runs outside any command
    // Frames of ended commands, emptied but with their vectors' room: the next command's walk
    // records and UM_GC blocks go there without growing a vector from nothing each time.
    std::vector<CommandFrame> spare_frames;
    // The records of the walks in progress, oldest first (a handful at most: searched in turn).
    std::vector<WalkRecord*> live_walks;
    std::vector<std::unique_ptr<WalkRecord>> spare_walks;  // finished records, for reuse
    std::vector<Module*> executing;    // modules of the dcmds being executed, innermost last
    Activity activity;
    // The work budget and time limit of the current top-level command (Session::charge_work).
    uint64_t work = 0;
    uint64_t work_limit = ~uint64_t{0};  // the budget, or all ones for none
    bool exhausted = false;              // the budget ran out: further work stops the command
    // Some command of the current top-level Session::run ran out of budget. Kept apart from
    // `exhausted` because the input loop opens one more command scope for the end of the input,
    // which resets the budget before run() returns (Session::budget_exhausted).
    bool exhausted_in_run = false;
    bool has_deadline = false;
    std::chrono::steady_clock::time_point deadline;
};

// The session the module API acts on (Session::current()), kept beside the list of live sessions
// so that the library's own hot paths (every read, every walk step) read one pointer instead of
// calling through the PLT.
[[gnu::visibility("hidden")]] extern Session* g_current_session;
inline Session* current_session_fast() { return g_current_session; }

// Session::charge_work with its common case inline: under budget, no ^C, no clock check due.
// Everything else (and the throw) is the out-of-line call, which charges the unit itself.
inline void charge_work_fast(Session& s) {
    Session::CommandState& st = s.command_state();
    const uint64_t next = st.work + 1;
    if (next <= st.work_limit && !st.exhausted && !sigint_pending && !(st.has_deadline && (next & 1023) == 0)) {
        st.work = next;
        return;
    }
    s.charge_work();
}

// The live walk whose state wsp is, or null.
inline WalkRecord* find_live_walk(const Session::CommandState& st, const mdb_walk_state_t* wsp) {
    for (auto it = st.live_walks.rbegin(); it != st.live_walks.rend(); ++it)
        if (&(*it)->state == wsp) return *it;
    return nullptr;
}
inline void forget_live_walk(Session::CommandState& st, const WalkRecord* r) {
    for (auto it = st.live_walks.rbegin(); it != st.live_walks.rend(); ++it) {
        if (*it == r) {
            st.live_walks.erase(std::next(it).base());
            return;
        }
    }
}

// Runs call() (module code: a dcmd, a walker's init/step/fini, _mdb_init/_mdb_fini, a callback)
// so that a SIGSEGV or SIGBUS inside it throws DmodFault naming the signal, the faulting address,
// the frames, the module and what ran (fault_guard.cpp). Code of the built-in and linked-in
// modules is the host's own: it runs unguarded, so a bug there still ends the program, as mdb
// does for its own modules; so does every call when SessionOptions::recover_dmod_faults is off.
int guarded_call(Session& s, const Module* m, int (*call)(void*), void* arg);

template <class F>
int guarded(Session& s, const Module* m, F&& f) {
    if (m == nullptr || m->path.empty() || !s.options().recover_dmod_faults) return f();
    return guarded_call(s, m, [](void* p) -> int { return (*static_cast<std::remove_reference_t<F>*>(p))(); }, &f);
}

// Sets the activity for a call into module code and puts the previous one back however the call
// ends (a fault recovered by guarded_call restores it from its own copy).
class ActivityScope {
public:
    ActivityScope(Session::CommandState& st, Activity now) : st_(st), saved_(st.activity) { st.activity = now; }
    ~ActivityScope() { st_.activity = saved_; }
    ActivityScope(const ActivityScope&) = delete;
    ActivityScope& operator=(const ActivityScope&) = delete;

private:
    Session::CommandState& st_;
    Activity saved_;
};

// "module`name" for dcmds and walkers, "object`name" for symbols: what comes before the last '`'
// and what follows it. Without a '`' the name is not scoped and module is empty; a scoped name
// with an empty module ("`name") names no module of the registry, and every object for symbols.
struct ScopedName {
    std::string_view module;
    std::string_view name;
    bool scoped = false;
};
inline ScopedName split_scope(std::string_view full) {
    const size_t tick = full.rfind('`');
    if (tick == std::string_view::npos) return {{}, full, false};
    return {full.substr(0, tick), full.substr(tick + 1), true};
}

// The session a module API call or a built-in dcmd acts on, for code that cannot go on without
// one. The lookup itself is Session::current(), null when no session is alive; with none, calls
// that report errors fail with EMDB_NOPROC (or do nothing, as mdb_set_dot), and this is for the
// rest (mdb_getopts, mdb_strtoull, built-in dcmds and format verbs called directly, a layered
// walk's step): it abandons the command with CommandAbort "no debugging session".
Session& current_session();

// The module add_walker/callback_add attach to (modapi.md §3 "Calling module").
Module* calling_module(Session& s);

// Ends a walk from inside a host walker's step with -1 and errno e (decisions.md: the host's
// own walkers fail a corrupt walk). Returns WALK_ERR for the step to return.
int fail_walk(mdb_walk_state_t* wsp, int e);

// errno for a failed transfer, and -1; records the partial sizes for the EMDB_PARTIAL text.
ssize_t fault_to_errno(const sim::Fault& f, uint64_t addr, size_t len);
void set_partial_sizes(size_t done, size_t total);

// Registration of the whole dcmd/walker arrays of a modinfo (loader.cpp), shared by dlopen'd and
// linked-in modules. Returns false after a warning when the load must be abandoned.
bool register_modinfo(Session& s, Module& m, const mdb_modinfo_t& info, bool quiet);

// Session::load_module with the ::load -s choice: quiet suppresses the warnings.
int load_module_quietly(Session& s, const std::string& arg, bool global_scope, bool quiet);

// Calls every callback of class cls (MDB_CALLBACK_PROMPT before a prompt, STCHG on change).
void run_callbacks(Session& s, int cls);

// Cycle detection over a sequence of addresses (Brent): visit() returns true when the address
// was already seen in the cycle being measured. Constant memory, O(tail + cycle) steps.
class CycleDetector {
public:
    bool visit(uint64_t addr) {
        if (have_ && addr == tortoise_) return true;
        if (!have_ || lam_ == power_) {
            tortoise_ = addr;
            have_ = true;
            power_ *= 2;
            lam_ = 0;
        }
        ++lam_;
        return false;
    }

private:
    uint64_t tortoise_ = 0;
    uint64_t power_ = 1;
    uint64_t lam_ = 0;
    bool have_ = false;
};

// The largest element a host walker copies from target memory (list_size, avl_size).
inline constexpr uint64_t kMaxWalkObjectSize = 16ULL << 20;

}  // namespace mdbsim::host
