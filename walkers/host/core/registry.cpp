// The dcmd and walker name spaces: registration per module, lookup newest module first, and
// "module`name" scoping (modapi.md §3).
#include <algorithm>
#include <cerrno>

#include "host_internal.hpp"

namespace mdbsim::host {
namespace {

// Modules newest first; modules_ is in load order.
template <class Fn> void for_each_newest_first(Session& s, Fn&& fn) {
    auto& mods = SessionAccess::modules(s);
    for (auto it = mods.rbegin(); it != mods.rend(); ++it)
        if (!fn(**it)) return;
}

template <class T, class Get>
std::vector<const T*> definitions(Session& s, std::string_view full, Get get) {
    std::vector<const T*> found;
    ScopedName n = split_scope(full);
    auto& st = SessionAccess::state(s);
    if (n.scoped) {
        Module* m = s.find_module(n.module);
        if (!m) return found;
        auto& table = get(st.tables[m]);
        if (auto it = table.find(n.name); it != table.end()) found.push_back(&it->second);
        return found;
    }
    for_each_newest_first(s, [&](Module& m) {
        auto& table = get(st.tables[&m]);
        if (auto it = table.find(n.name); it != table.end()) found.push_back(&it->second);
        return true;
    });
    return found;
}

template <class T, class Get>
const T* find_newest(Session& s, std::string_view full, Get get, int absent_errno) {
    ScopedName n = split_scope(full);
    if (n.scoped && !s.find_module(n.module)) {
        set_errno(EMDB_NOMOD);
        return nullptr;
    }
    // The first definition newest first, without collecting the others (every walk step of a
    // pipeline and every command line looks names up).
    const T* found = nullptr;
    auto& st = SessionAccess::state(s);
    auto look = [&](Module& m) {
        auto& table = get(st.tables[&m]);
        if (auto it = table.find(n.name); it != table.end()) found = &it->second;
        return found == nullptr;
    };
    if (n.scoped)
        look(*s.find_module(n.module));
    else
        for_each_newest_first(s, look);
    if (found == nullptr) set_errno(absent_errno);
    return found;
}

template <class T, class Get> std::vector<const T*> newest_of_each(Session& s, Get get) {
    std::map<std::string_view, const T*> newest;
    auto& st = SessionAccess::state(s);
    for_each_newest_first(s, [&](Module& m) {
        for (auto& [name, def] : get(st.tables[&m])) newest.try_emplace(name, &def);
        return true;
    });
    std::vector<const T*> out;
    out.reserve(newest.size());
    for (auto& [name, def] : newest) out.push_back(def);
    return out;
}

auto dcmds_of = [](ModuleTable& t) -> auto& { return t.dcmds; };
auto walkers_of = [](ModuleTable& t) -> auto& { return t.walkers; };

}  // namespace

Module* Session::find_module(std::string_view name) {
    for (auto& m : modules_)
        if (m->name == name) return m.get();
    return nullptr;
}

int Session::add_dcmd(Module* m, const mdb_dcmd_t& d) {
    if (!m || !d.dc_name || !d.dc_funcp) return set_errno(EINVAL);
    auto& table = cmd_->tables[m].dcmds;
    if (table.count(std::string_view(d.dc_name))) return set_errno(EMDB_DCMDEXISTS);
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

int Session::add_walker(Module* m, const mdb_walker_t& w) {
    if (!m || !w.walk_name || !w.walk_descr || !w.walk_step) return set_errno(EINVAL);
    auto& table = cmd_->tables[m].walkers;
    if (table.count(std::string_view(w.walk_name))) return set_errno(EMDB_WALKEXISTS);
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

int Session::remove_walker(Module* m, std::string_view name) {
    auto& table = cmd_->tables[m].walkers;
    auto it = table.find(name);
    if (it == table.end()) return set_errno(EMDB_NOWALK);
    table.erase(it);
    return 0;
}

const Dcmd* Session::find_dcmd(std::string_view name) const {
    return find_newest<Dcmd>(const_cast<Session&>(*this), name, dcmds_of, EMDB_NODCMD);
}

const Walker* Session::find_walker(std::string_view name) const {
    return find_newest<Walker>(const_cast<Session&>(*this), name, walkers_of, EMDB_NOWALK);
}

std::vector<const Dcmd*> Session::dcmd_definitions(std::string_view name) const {
    return definitions<Dcmd>(const_cast<Session&>(*this), name, dcmds_of);
}

std::vector<const Walker*> Session::walker_definitions(std::string_view name) const {
    return definitions<Walker>(const_cast<Session&>(*this), name, walkers_of);
}

std::vector<const Dcmd*> Session::all_dcmds() const {
    return newest_of_each<Dcmd>(const_cast<Session&>(*this), dcmds_of);
}

std::vector<const Walker*> Session::all_walkers() const {
    return newest_of_each<Walker>(const_cast<Session&>(*this), walkers_of);
}

}  // namespace mdbsim::host
