// The dmod loader (modapi.md §3): dlopen, _mdb_init/_mdb_fini, API version checks, name
// validation, registration of the modinfo arrays, and unloading.
#include <dlfcn.h>
#include <unistd.h>

#include <cstring>

#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"
#include "mdbsim/host/types.hpp"

namespace mdbsim::host {
namespace {

// Closes a module's object. The session's compiled printf formats go first: those of string
// literals in the object are not compared with their text on use, and another object may be
// mapped at the same addresses later.
void close_object(Session& s, void* handle) {
    forget_printf_plans(s);
    dlclose(handle);
}

// mdb's MDB_NV_NAMELEN: longest accepted module name.
constexpr size_t kMaxModuleName = 31;

// The dcmd element of API versions 1-3 (no dc_tabp).
struct DcmdV1 {
    const char* dc_name;
    const char* dc_usage;
    const char* dc_descr;
    mdb_dcmd_f* dc_funcp;
    void (*dc_help)(void);
};
static_assert(sizeof(DcmdV1) == 40 && sizeof(mdb_dcmd_t) == 48);

bool valid_name(std::string_view name) {
    static constexpr std::string_view kIllegal = "#%^&*-+=,:$/\\?<>;|!`'\"[]\n\t() {}";
    return name.find_first_of(kIllegal) == std::string_view::npos;
}

// Warnings of a load, suppressed by ::load -s.
void load_warn(Session& s, bool quiet, const char* fmt, const char* a, const char* b = nullptr) {
    if (!quiet) warn(s, fmt, a, b);
}

std::string module_name_of(const std::string& path) {
    std::string base = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
    if (base.size() >= 3 && base.compare(base.size() - 3, 3, ".so") == 0) base.resize(base.size() - 3);
    return base;
}

// A bare name is looked up in the module path as NAME.so (or NAME when it already ends so).
std::string resolve_path(Session& s, const std::string& arg) {
    if (arg.find('/') != std::string::npos) return arg;
    std::string file = arg.size() >= 3 && arg.compare(arg.size() - 3, 3, ".so") == 0 ? arg : arg + ".so";
    for (const std::string& dir : s.registry().module_path()) {
        std::string candidate = dir + "/" + file;
        if (access(candidate.c_str(), F_OK) == 0) return candidate;
    }
    return {};
}

std::vector<mdb_dcmd_t> dcmd_array(const mdb_modinfo_t& info) {
    std::vector<mdb_dcmd_t> out;
    if (!info.mi_dcmds) return out;
    if (info.mi_dvers >= 4) {
        for (const mdb_dcmd_t* d = info.mi_dcmds; d->dc_name; ++d) out.push_back(*d);
    } else {
        for (auto* d = reinterpret_cast<const DcmdV1*>(info.mi_dcmds); d->dc_name; ++d)
            out.push_back(mdb_dcmd_t{d->dc_name, d->dc_usage, d->dc_descr, d->dc_funcp, d->dc_help, nullptr});
    }
    return out;
}

void forget_module(Session& s, Module* m) { s.registry().remove_module(m); }

// The common part of loading a dlopen'd or linked-in module. Takes ownership of handle.
int finish_load(Session& s, const std::string& name, const std::string& path, void* handle,
                const mdb_modinfo_t* (*init)(void), void (*fini)(void), bool quiet) {
    ModuleRegistry& reg = s.registry();
    auto owned = std::make_unique<Module>();
    owned->name = name;
    owned->path = path;
    owned->handle = handle;
    Module* m = reg.add_module(std::move(owned));

    auto abandon = [&] {
        forget_module(s, m);
        if (handle) close_object(s, handle);
        return -1;
    };

    Module* outer_loading = reg.set_loading(m);
    const mdb_modinfo_t* info = nullptr;
    try {
        guarded(s, m, [&] {
            info = init();
            return 0;
        });
    } catch (...) {
        reg.set_loading(outer_loading);
        abandon();
        throw;
    }
    reg.set_loading(outer_loading);

    if (!info) {
        load_warn(s, quiet, "%s module failed to initialize\n", name.c_str());
        return abandon();
    }
    if (info->mi_dvers > MDB_API_VERSION) {
        if (!quiet)
            warn(s, "%s module requires newer mdb API version (%hu) than debugger (%d)\n", name.c_str(),
                 info->mi_dvers, MDB_API_VERSION);
        return abandon();
    }
    if (info->mi_dvers == 0) {
        if (!quiet) warn(s, "%s module is compiled for obsolete mdb API version %hu\n", name.c_str(), info->mi_dvers);
        return abandon();
    }
    m->info = info;
    if (!register_modinfo(s, *m, *info, quiet)) return abandon();
    m->fini = fini;
    if (!quiet) warn_dmod_layouts(s, *m);
    return 0;
}

}  // namespace

bool register_modinfo(Session& s, Module& m, const mdb_modinfo_t& info, bool quiet) {
    std::vector<mdb_dcmd_t> dcmds = dcmd_array(info);
    // Validate everything first: any bad entry abandons the whole load.
    for (const mdb_dcmd_t& d : dcmds) {
        if (!valid_name(d.dc_name)) {
            load_warn(s, quiet, "dcmd name '%s' contains illegal characters\n", d.dc_name);
            return false;
        }
        if (!d.dc_descr) {
            load_warn(s, quiet, "dcmd '%s' must have a description\n", d.dc_name);
            return false;
        }
        if (!d.dc_funcp) {
            load_warn(s, quiet, "dcmd '%s' has a NULL function pointer\n", d.dc_name);
            return false;
        }
    }
    if (info.mi_walkers) {
        for (const mdb_walker_t* w = info.mi_walkers; w->walk_name; ++w) {
            if (!valid_name(w->walk_name)) {
                load_warn(s, quiet, "walk name '%s' contains illegal characters\n", w->walk_name);
                return false;
            }
            if (!w->walk_descr) {
                load_warn(s, quiet, "walk '%s' must have a description\n", w->walk_name);
                return false;
            }
            if (!w->walk_step) {
                load_warn(s, quiet, "walk '%s' has a NULL walk_step function\n", w->walk_name);
                return false;
            }
        }
    }
    for (const mdb_dcmd_t& d : dcmds) {
        if (s.registry().add_dcmd(&m, d) != 0)
            load_warn(s, quiet, "failed to load dcmd %s`%s: dcmd name already in use\n", m.name.c_str(),
                      d.dc_name);
    }
    if (info.mi_walkers) {
        for (const mdb_walker_t* w = info.mi_walkers; w->walk_name; ++w) {
            if (s.registry().add_walker(&m, *w) != 0)
                load_warn(s, quiet, "failed to load walk %s`%s: walk name already in use\n", m.name.c_str(),
                          w->walk_name);
        }
    }
    return true;
}

int load_module_quietly(Session& s, const std::string& arg, bool global_scope, bool quiet);

int Session::load_module(const std::string& arg, bool global_scope) {
    return load_module_quietly(*this, arg, global_scope, false);
}

int load_module_quietly(Session& s, const std::string& arg, bool global_scope, bool quiet) {
    std::string name = module_name_of(arg);
    if (name.empty()) {
        if (!quiet) warn(s, "no module name was specified\n");
        return set_errno(EMDB_NAMEBAD);
    }
    if (name.size() > kMaxModuleName) {
        load_warn(s, quiet, "module name '%s' exceeds name length limit\n", name.c_str());
        return set_errno(EMDB_NAME2BIG);
    }
    if (!valid_name(name)) {
        load_warn(s, quiet, "module name '%s' contains illegal characters\n", name.c_str());
        return set_errno(EMDB_NAMEBAD);
    }
    if (s.registry().find_module(name)) {
        load_warn(s, quiet, "%s module is already loaded\n", name.c_str());
        return set_errno(EMDB_NAMEBAD);
    }
    std::string path = resolve_path(s, arg);
    if (path.empty()) {
        load_warn(s, quiet, "failed to load %s: %s\n", arg.c_str(), "No such file or directory");
        return set_errno(ENOENT);
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | (global_scope ? RTLD_GLOBAL : RTLD_LOCAL));
    if (!handle) {
        const char* msg = dlerror();
        load_warn(s, quiet, "%s\n", msg ? msg : "dlopen failed");
        return set_errno(EMDB_RTLD);
    }
    auto init = reinterpret_cast<const mdb_modinfo_t* (*)(void)>(dlsym(handle, "_mdb_init"));
    if (!init) {
        load_warn(s, quiet, "%s module is missing _mdb_init definition\n", name.c_str());
        close_object(s, handle);
        return set_errno(EMDB_RTLD);
    }
    auto fini = reinterpret_cast<void (*)(void)>(dlsym(handle, "_mdb_fini"));
    return finish_load(s, name, path, handle, init, fini, quiet);
}

int Session::add_linked_module(const std::string& name, const mdb_modinfo_t* (*init)(void),
                               void (*fini)(void)) {
    if (name.empty() || !init) return set_errno(EINVAL);
    if (registry_.find_module(name)) {
        warn(*this, "%s module is already loaded\n", name.c_str());
        return set_errno(EMDB_NAMEBAD);
    }
    return finish_load(*this, name, "", nullptr, init, fini, false);
}

int Session::unload_module(const std::string& name) {
    Module* m = registry_.find_module(name);
    if (!m) return set_errno(EMDB_NOMOD);
    if (m->builtin) return set_errno(EMDB_BUILTINMOD);
    if (m->fini) {
        Module* outer = registry_.set_loading(m);
        try {
            guarded(*this, m, [m] {
                m->fini();
                return 0;
            });
        } catch (...) {
            // An abort or a fault in _mdb_fini must not leave the module half unloaded.
        }
        registry_.set_loading(outer);
    }
    void* handle = m->handle;
    forget_module(*this, m);
    if (handle) close_object(*this, handle);
    return 0;
}

}  // namespace mdbsim::host
