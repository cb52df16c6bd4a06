// The module registry (modules.hpp): the dcmd and walker name spaces, registration per module,
// lookup newest module first, "module`name" scoping (modapi.md §3), and the modules' callbacks.
#include <algorithm>
#include <cerrno>

#include "host_internal.hpp"

namespace mdbsim::host {
namespace {

auto dcmds_of = [](const ModuleTable& t) -> auto& { return t.dcmds; };
auto walkers_of = [](const ModuleTable& t) -> auto& { return t.walkers; };

const ModuleTable kEmptyTable;

}  // namespace

ModuleRegistry::ModuleRegistry(std::vector<std::string> path) : module_path_(std::move(path)) {
    auto mdb = std::make_unique<Module>();
    mdb->name = "mdb";
    mdb->builtin = true;
    add_module(std::move(mdb));
}

Module* ModuleRegistry::find_module(std::string_view name) {
    return const_cast<Module*>(find_module_const(name));
}

const Module* ModuleRegistry::find_module_const(std::string_view name) const {
    for (auto& m : modules_)
        if (m->name == name) return m.get();
    return nullptr;
}

Module* ModuleRegistry::add_module(std::unique_ptr<Module> m) {
    m->load_seq = next_seq_++;
    forget_newest();
    tables_[m.get()];
    modules_.push_back(std::move(m));
    return modules_.back().get();
}

void ModuleRegistry::remove_module(Module* m) {
    forget_newest();
    tables_.erase(m);
    std::erase_if(callbacks_, [&](auto& cb) { return cb->module == m; });
    if (loading_ == m) loading_ = nullptr;
    std::erase_if(modules_, [&](auto& p) { return p.get() == m; });
}

const ModuleTable& ModuleRegistry::table(const Module* m) const {
    auto it = tables_.find(m);
    return it != tables_.end() ? it->second : kEmptyTable;
}

template <class T, class Get>
std::vector<const T*> ModuleRegistry::definitions(std::string_view full, Get get) const {
    std::vector<const T*> found;
    ScopedName n = split_scope(full);
    auto look = [&](const Module* m) {
        auto& t = get(table(m));
        if (auto it = t.find(n.name); it != t.end()) found.push_back(&it->second);
    };
    if (n.scoped) {
        if (const Module* m = find_module_const(n.module)) look(m);
        return found;
    }
    for (auto it = modules_.rbegin(); it != modules_.rend(); ++it) look(it->get());
    return found;
}

template <class T, class Get>
const T* ModuleRegistry::find_newest(std::string_view full, Get get, int absent_errno) const {
    ScopedName n = split_scope(full);
    if (n.scoped && !find_module_const(n.module)) {
        set_errno(EMDB_NOMOD);
        return nullptr;
    }
    // The first definition newest first, without collecting the others (every walk step of a
    // pipeline and every command line looks names up).
    const T* found = nullptr;
    auto look = [&](const Module* m) {
        auto& t = get(table(m));
        if (auto it = t.find(n.name); it != t.end()) found = &it->second;
    };
    if (n.scoped)
        look(find_module_const(n.module));
    else
        for (auto it = modules_.rbegin(); it != modules_.rend() && found == nullptr; ++it) look(it->get());
    if (found == nullptr) set_errno(absent_errno);
    return found;
}

template <class T, class Get> std::vector<const T*> ModuleRegistry::newest_of_each(Get get) const {
    std::map<std::string_view, const T*> newest;
    for (auto it = modules_.rbegin(); it != modules_.rend(); ++it)
        for (auto& [name, def] : get(table(it->get()))) newest.try_emplace(name, &def);
    std::vector<const T*> out;
    out.reserve(newest.size());
    for (auto& [name, def] : newest) out.push_back(def);
    return out;
}

int ModuleRegistry::add_dcmd(Module* m, const mdb_dcmd_t& d) {
    if (!m || !d.dc_name || !d.dc_funcp) return set_errno(EINVAL);
    auto& table = tables_[m].dcmds;
    if (table.count(std::string_view(d.dc_name))) return set_errno(EMDB_DCMDEXISTS);
    forget_newest();
    Dcmd dc;
    dc.name = d.dc_name;
    dc.usage = d.dc_usage;
    dc.descr = d.dc_descr ? d.dc_descr : "";
    dc.func = d.dc_funcp;
    dc.help = d.dc_help;
    dc.tab = d.dc_tabp;
    dc.module = m;
    table.emplace(dc.name, std::move(dc));
    return 0;
}

int ModuleRegistry::add_walker(Module* m, const mdb_walker_t& w) {
    if (!m || !w.walk_name || !w.walk_descr || !w.walk_step) return set_errno(EINVAL);
    auto& table = tables_[m].walkers;
    if (table.count(std::string_view(w.walk_name))) return set_errno(EMDB_WALKEXISTS);
    forget_newest();
    Walker wk;
    wk.name = w.walk_name;
    wk.descr = w.walk_descr;
    wk.init = w.walk_init;
    wk.step = w.walk_step;
    wk.fini = w.walk_fini;
    wk.init_arg = w.walk_init_arg;
    wk.module = m;
    table.emplace(wk.name, std::move(wk));
    return 0;
}

int ModuleRegistry::remove_walker(Module* m, std::string_view name) {
    auto& table = tables_[m].walkers;
    auto it = table.find(name);
    if (it == table.end()) return set_errno(EMDB_NOWALK);
    forget_newest();
    table.erase(it);
    return 0;
}

template <class T, class Get>
const T* ModuleRegistry::find_newest_cached(std::string_view full, Get get, int absent_errno,
                                            std::unordered_map<std::string, const T*>& cache) const {
    const bool scoped = full.find('`') != std::string_view::npos;
    std::string key;
    if (!scoped) {
        key.assign(full);
        if (auto it = cache.find(key); it != cache.end()) return it->second;
    }
    const T* found = find_newest<T>(full, get, absent_errno);
    if (found != nullptr && !scoped) cache.emplace(std::move(key), found);
    return found;
}

const Dcmd* ModuleRegistry::find_dcmd(std::string_view name) const {
    return find_newest_cached<Dcmd>(name, dcmds_of, EMDB_NODCMD, newest_dcmds_);
}

const Walker* ModuleRegistry::find_walker(std::string_view name) const {
    return find_newest_cached<Walker>(name, walkers_of, EMDB_NOWALK, newest_walkers_);
}

std::vector<const Dcmd*> ModuleRegistry::dcmd_definitions(std::string_view name) const {
    return definitions<Dcmd>(name, dcmds_of);
}

std::vector<const Walker*> ModuleRegistry::walker_definitions(std::string_view name) const {
    return definitions<Walker>(name, walkers_of);
}

std::vector<const Dcmd*> ModuleRegistry::all_dcmds() const { return newest_of_each<Dcmd>(dcmds_of); }

std::vector<const Walker*> ModuleRegistry::all_walkers() const {
    return newest_of_each<Walker>(walkers_of);
}

Callback* ModuleRegistry::add_callback(Module* m, int cls, mdb_callback_f func, void* arg) {
    callbacks_.push_back(std::make_unique<Callback>(Callback{m, cls, func, arg}));
    return callbacks_.back().get();
}

void ModuleRegistry::remove_callback(const void* handle) {
    std::erase_if(callbacks_, [&](auto& cb) { return cb.get() == handle; });
}

std::vector<Callback> ModuleRegistry::callbacks(int cls) const {
    std::vector<Callback> list;
    for (auto& cb : callbacks_)
        if (cb->cls == cls) list.push_back(*cb);
    return list;
}

}  // namespace mdbsim::host
