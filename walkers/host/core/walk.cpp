// The walk engine (modapi.md §6): init/step/fini, layered walks, the per-command work budget and
// SIGINT checks; walkers' code runs through guarded() (fault_guard.cpp). Walk records live in the current command's frame until the walk ends, so a
// command aborted mid-walk (a CommandAbort unwinding through here) still gets every owed fini
// from Session::end_command.
#include <algorithm>

#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"

namespace mdbsim::host {
namespace {

// Records are reused: a command makes a few walks (often the same ones) and each record would
// otherwise cost an allocation for itself, its walker's strings and its layer list.
constexpr size_t kSpareWalkRecords = 16;

WalkRecord* create_record(Session& s, const Walker& w, mdb_walk_cb_t cb, void* data, uintptr_t addr) {
    auto& st = s.command_state();
    std::unique_ptr<WalkRecord> rec;
    if (st.spare_walks.empty()) {
        rec = std::make_unique<WalkRecord>();
    } else {
        rec = std::move(st.spare_walks.back());
        st.spare_walks.pop_back();
        rec->state = {};
        rec->upper = nullptr;
        rec->layers.clear();
        rec->initialized = rec->failed = false;
        rec->fail_errno = 0;
    }
    // A copy (mdb_remove_walker during the walk is harmless), without the description that no
    // walk reads.
    rec->walker.name = w.name;
    rec->walker.descr.clear();
    rec->walker.init = w.init;
    rec->walker.step = w.step;
    rec->walker.fini = w.fini;
    rec->walker.init_arg = w.init_arg;
    rec->walker.module = w.module;
    rec->state.walk_callback = cb;
    rec->state.walk_cbdata = data;
    rec->state.walk_addr = addr;
    rec->state.walk_arg = w.init_arg;
    WalkRecord* r = rec.get();
    st.frames.back().walks.push_back(std::move(rec));
    st.live_walks.push_back(r);
    return r;
}

// Removes a record from whichever frame holds it (normally the newest).
void destroy_record(Session& s, WalkRecord* r) {
    auto& st = s.command_state();
    forget_live_walk(st, r);
    for (auto f = st.frames.rbegin(); f != st.frames.rend(); ++f) {
        auto& walks = f->walks;
        for (auto it = walks.rbegin(); it != walks.rend(); ++it) {
            if (it->get() == r) {
                auto base = std::next(it).base();
                if (st.spare_walks.size() < kSpareWalkRecords) st.spare_walks.push_back(std::move(*base));
                walks.erase(base);
                return;
            }
        }
    }
}

// The walker's module is the "calling module" while its code runs (mdb_ctf_vread reads into
// that module's types; mdb_ctf_module_lookup searches them). A fault recovered by guarded_call
// trims the stack back itself.
class WalkerModule {
public:
    WalkerModule(Session::CommandState& st, Module* m) : st_(st) { st_.executing.push_back(m); }
    ~WalkerModule() { st_.executing.pop_back(); }
    WalkerModule(const WalkerModule&) = delete;
    WalkerModule& operator=(const WalkerModule&) = delete;

private:
    Session::CommandState& st_;
};

// Calls a walker's init, step or fini as module code: with the activity set for stop messages and
// guarded against faults.
int call_walker(Session& s, WalkRecord* r, int (*fn)(mdb_walk_state_t*), const char* phase) {
    auto& st = s.command_state();
    ActivityScope running(st, Activity{st.activity.dcmd, st.activity.dcmd_addr, r, phase});
    WalkerModule module(st, r->walker.module);
    return guarded(s, r->walker.module, [&] { return fn(&r->state); });
}

void call_fini(Session& s, WalkRecord* r) {
    auto& st = s.command_state();
    ActivityScope running(st, Activity{st.activity.dcmd, st.activity.dcmd_addr, r, "fini"});
    WalkerModule module(st, r->walker.module);
    guarded(s, r->walker.module, [&] {
        r->walker.fini(&r->state);
        return 0;
    });
}

// fini (when owed) for the walk and then its remaining layers, and release them all.
void finish(Session& s, WalkRecord* r) {
    if (r->initialized && r->walker.fini) {
        r->initialized = false;
        call_fini(s, r);
    }
    r->initialized = false;
    std::vector<WalkRecord*> layers = std::move(r->layers);
    r->layers.clear();
    for (WalkRecord* l : layers) finish(s, l);
    destroy_record(s, r);
}

void mark_failed(WalkRecord* r, int e) {
    if (!r->failed) {
        r->failed = true;
        r->fail_errno = e;
    }
}

// One step, charged to the command's budget. The step that finds the budget spent fails its walk
// with a warning (decisions.md: the walk fails, mdb_pwalk returns -1), so the caller can report
// it; any work after that stops the command (Session::charge_work throws BudgetExhausted).
int call_step(Session& s, WalkRecord* r) {
    auto& st = s.command_state();
    if (st.work >= st.work_limit && !st.exhausted) {
        ++st.work;
        st.exhausted = st.exhausted_in_run = true;
        warn(s, "walk '%s' stopped at %#lx: step budget of %llu steps exhausted\n",
             r->walker.name.c_str(), static_cast<unsigned long>(r->state.walk_addr),
             static_cast<unsigned long long>(s.options().step_budget));
        mark_failed(r, EMDB_TGT);
        return WALK_ERR;
    }
    charge_work_fast(s);
    return call_walker(s, r, r->walker.step, "step");
}

int step_walk(Session& s, WalkRecord* r);

// The callback of a layer: position the upper walk on the lower object and step it.
int layer_callback(uintptr_t addr, const void* data, void* cbdata) {
    auto* upper = static_cast<WalkRecord*>(cbdata);
    upper->state.walk_addr = addr;
    upper->state.walk_layer = data;
    Session* s = current_session_fast();
    return call_step(s != nullptr ? *s : current_session(), upper);  // current_session() throws
}

int step_walk(Session& s, WalkRecord* r) {
    if (r->layers.empty()) return call_step(s, r);
    while (!r->layers.empty()) {
        WalkRecord* lower = r->layers.front();
        int rc = step_walk(s, lower);
        if (rc == WALK_NEXT && !lower->failed) return WALK_NEXT;
        bool lower_failed = lower->failed;
        int lower_errno = lower->fail_errno;
        r->layers.erase(r->layers.begin());
        finish(s, lower);
        if (lower_failed) {
            mark_failed(r, lower_errno);
            return WALK_ERR;
        }
        if (rc == WALK_DONE && !r->layers.empty()) continue;
        return rc;
    }
    return WALK_DONE;
}

int run_walk(Session& s, const Walker& w, mdb_walk_cb_t cb, void* data, uintptr_t addr) {
    charge_work_fast(s);
    WalkRecord* r = create_record(s, w, cb, data, addr);
    int rc = w.init ? call_walker(s, r, w.init, "init") : WALK_NEXT;
    if (rc != WALK_NEXT) {
        // No fini for a walk whose init failed; its layers were initialised, so they get theirs.
        finish(s, r);
        return rc == WALK_DONE ? 0 : set_errno(EMDB_WALKINIT);
    }
    r->initialized = true;
    while (!r->failed && step_walk(s, r) == WALK_NEXT) {
    }
    bool failed = r->failed;
    int e = r->fail_errno;
    finish(s, r);
    return failed ? set_errno(e) : 0;
}

}  // namespace

int fail_walk(mdb_walk_state_t* wsp, int e) {
    Session* s = Session::current();
    if (!s) return WALK_ERR;
    if (WalkRecord* r = find_live_walk(s->command_state(), wsp)) mark_failed(r, e);
    return WALK_ERR;
}

int Session::walk(std::string_view name, mdb_walk_cb_t cb, void* data, uintptr_t addr) {
    if (!cb) return set_errno(EINVAL);
    const Walker* w = registry_.find_walker(name);
    if (!w) return -1;
    return run_walk(*this, *w, cb, data, addr);
}

}  // namespace mdbsim::host

using namespace mdbsim::host;

extern "C" {

int mdb_pwalk(const char* name, mdb_walk_cb_t func, void* data, uintptr_t addr) {
    Session* s = Session::current();
    if (!s) return set_errno(EMDB_NOPROC);
    if (!name) return set_errno(EINVAL);
    return s->walk(name, func, data, addr);
}

int mdb_walk(const char* name, mdb_walk_cb_t func, void* data) { return mdb_pwalk(name, func, data, 0); }

int mdb_layered_walk(const char* name, mdb_walk_state_t* wsp) {
    Session* s = Session::current();
    if (!s) return set_errno(EMDB_NOPROC);
    if (!name || !wsp) return set_errno(EINVAL);
    const Walker* w = s->registry().find_walker(name);
    if (!w) return -1;
    auto& st = s->command_state();
    WalkRecord* upper = find_live_walk(st, wsp);
    if (upper == nullptr) return set_errno(EMDB_BADWCB);
    if (w->name == upper->walker.name && w->module == upper->walker.module)
        return set_errno(EMDB_WALKLOOP);

    s->charge_work();
    WalkRecord* lower = create_record(*s, *w, layer_callback, upper, wsp->walk_addr);
    lower->upper = upper;
    int rc = w->init ? call_walker(*s, lower, w->init, "init") : WALK_NEXT;
    if (rc != WALK_NEXT) {
        finish(*s, lower);
        return set_errno(EMDB_WALKINIT);
    }
    lower->initialized = true;
    upper->layers.push_back(lower);
    return 0;
}

}  // extern "C"

extern "C" {

int mdb_add_walker(const mdb_walker_t* w) {
    Session* s = Session::current();
    if (!s) return set_errno(EMDB_NOPROC);
    if (!w) return set_errno(EINVAL);
    return s->registry().add_walker(calling_module(*s), *w);
}

int mdb_remove_walker(const char* name) {
    Session* s = Session::current();
    if (!s) return set_errno(EMDB_NOPROC);
    if (!name) return set_errno(EINVAL);
    return s->registry().remove_walker(calling_module(*s), name);
}

}  // extern "C"
