// The module registry: the modules of a session in load order (the built-in `mdb` module first),
// the dcmds and walkers each registered, the callbacks they added, and lookup newest module first
// with "module`name" scoping (modapi.md §3). It is data and lookup only: loading a module (dlopen,
// running _mdb_init under the fault guard, warnings) is the session's (Session::load_module).
#pragma once

#include <sys/mdb_modapi.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mdbsim::host {

struct Module;

// Parser::lookup copies every field but descr into a stage: a field added here goes there too.
struct Dcmd {
    std::string name;
    const char* usage = nullptr;  // may be null
    std::string descr;
    mdb_dcmd_f* func = nullptr;
    void (*help)(void) = nullptr;
    mdb_dcmd_tab_f* tab = nullptr;  // dc_tabp: completes the dcmd's arguments (may be null)
    Module* module = nullptr;
};

struct Walker {
    std::string name;
    std::string descr;
    int (*init)(mdb_walk_state_t*) = nullptr;  // null = returns WALK_NEXT
    int (*step)(mdb_walk_state_t*) = nullptr;
    void (*fini)(mdb_walk_state_t*) = nullptr;
    void* init_arg = nullptr;
    Module* module = nullptr;
};

struct Module {
    std::string name;
    std::string path;          // empty for built-in and linked-in modules
    void* handle = nullptr;    // dlopen handle
    const mdb_modinfo_t* info = nullptr;
    void (*fini)(void) = nullptr;
    bool builtin = false;      // the `mdb` module: cannot be unloaded
    unsigned load_seq = 0;     // newer modules have larger numbers
};

// Dcmds and walkers one module registered, by name.
struct ModuleTable {
    std::map<std::string, Dcmd, std::less<>> dcmds;
    std::map<std::string, Walker, std::less<>> walkers;
};

// An MDB_CALLBACK_* callback a module added (mdb_callback_add); the handle is its address.
struct Callback {
    Module* module;
    int cls;
    mdb_callback_f func;
    void* arg;
};

class ModuleRegistry {
public:
    // With the built-in `mdb` module, empty; path: where ::load looks for a bare name.
    explicit ModuleRegistry(std::vector<std::string> path);
    ModuleRegistry(const ModuleRegistry&) = delete;
    ModuleRegistry& operator=(const ModuleRegistry&) = delete;

    // ---- modules ----
    const std::vector<std::unique_ptr<Module>>& modules() const { return modules_; }
    Module* find_module(std::string_view name);
    Module* builtin_module() { return modules_.front().get(); }
    std::vector<std::string>& module_path() { return module_path_; }
    // Adds m as the newest module (its load_seq is set) with nothing registered; returns it.
    Module* add_module(std::unique_ptr<Module> m);
    // Forgets m, its dcmds, walkers and callbacks (m is freed).
    void remove_module(Module* m);
    // The module whose _mdb_init or _mdb_fini is running, or null: the "calling module" of
    // registrations made from there (modapi.md §3). Set by the loader around those calls.
    Module* loading() const { return loading_; }
    Module* set_loading(Module* m) {
        Module* outer = loading_;
        loading_ = m;
        return outer;
    }

    // ---- dcmds and walkers ----
    // Registration in a module: EINVAL for a malformed definition, EMDB_DCMDEXISTS /
    // EMDB_WALKEXISTS for a name the module has already.
    int add_dcmd(Module* m, const mdb_dcmd_t& d);
    int add_walker(Module* m, const mdb_walker_t& w);
    int remove_walker(Module* m, std::string_view name);
    // Lookup: newest definition first; "mod`name" picks a module. Sets errno (EMDB_NODCMD,
    // EMDB_NOWALK, EMDB_NOMOD) and returns null when absent.
    const Dcmd* find_dcmd(std::string_view name) const;
    const Walker* find_walker(std::string_view name) const;
    // Every definition of a name, newest first (for DCMD_NEXT and ::which -v).
    std::vector<const Dcmd*> dcmd_definitions(std::string_view name) const;
    std::vector<const Walker*> walker_definitions(std::string_view name) const;
    std::vector<const Dcmd*> all_dcmds() const;  // newest definition of each name
    std::vector<const Walker*> all_walkers() const;
    // What m registered (empty for a module not in the registry).
    const ModuleTable& table(const Module* m) const;

    // ---- callbacks ----
    Callback* add_callback(Module* m, int cls, mdb_callback_f func, void* arg);
    void remove_callback(const void* handle);
    // The callbacks of one class, copied: a callback may remove itself while they run.
    std::vector<Callback> callbacks(int cls) const;

private:
    template <class T, class Get>
    std::vector<const T*> definitions(std::string_view full, Get get) const;
    template <class T, class Get>
    const T* find_newest(std::string_view full, Get get, int absent_errno) const;
    template <class T, class Get>
    std::vector<const T*> newest_of_each(Get get) const;
    template <class T, class Get>
    const T* find_newest_cached(std::string_view full, Get get, int absent_errno,
                                std::unordered_map<std::string, const T*>& cache) const;
    const Module* find_module_const(std::string_view name) const;
    void forget_newest() const {
        newest_dcmds_.clear();
        newest_walkers_.clear();
    }

    std::vector<std::unique_ptr<Module>> modules_;  // load order; [0] is the built-in `mdb` module
    std::map<const Module*, ModuleTable> tables_;
    std::vector<std::unique_ptr<Callback>> callbacks_;
    std::vector<std::string> module_path_;
    unsigned next_seq_ = 0;
    // The newest definition of each unscoped name found so far (every command line and walk
    // looks one up); emptied whenever a module, dcmd or walker comes or goes.
    mutable std::unordered_map<std::string, const Dcmd*> newest_dcmds_;
    mutable std::unordered_map<std::string, const Walker*> newest_walkers_;
    Module* loading_ = nullptr;
};

}  // namespace mdbsim::host
