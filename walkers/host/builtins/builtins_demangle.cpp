// C++ demangling builtins: $G turns demangled symbol names on and off, $g shows and sets what a
// demangled name keeps, ::dem demangles its arguments. The demangler is libstdc++'s (core/demangle).
#include <sys/mdb_modapi.h>

#include "builtins.hpp"
#include "demangle.hpp"
#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"

namespace mdbsim::host {
namespace {


// $G: mdb's $G once took a demangler library's path; today's mdb has the demangler built in and
// refuses an argument with its usage, as ours does.
int cmd_demangle(uintptr_t, uint_t, int argc, const mdb_arg_t*) {
    Session& s = current_session();
    Session::Settings& o = s.settings;
    if (argc > 0) return DCMD_USAGE;
    if (o.demangler_loaded && o.demangle) {
        o.demangler_loaded = o.demangle = false;
        o.demangle_flags = kDemangleScope;  // a new load starts from mdb's defaults
        s.out().puts("C++ symbol demangling disabled\n");
    } else {
        o.demangler_loaded = o.demangle = true;
        s.out().puts("C++ symbol demangling enabled\n");
    }
    return DCMD_OK;
}

// addr$g: the flags (only while demangling is on).
int cmd_demflags(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t*) {
    static const char* const kDescriptions[] = {
        "static/const/volatile member func qualifiers displayed",
        "scope resolution specifiers displayed",
        "function arguments displayed",
        "mangled name displayed",
    };
    Session& s = current_session();
    Session::Settings& o = s.settings;
    if (argc > 0) return DCMD_USAGE;
    if (!o.demangler_loaded || !o.demangle) {
        warn(s, "C++ demangling facility is currently disabled\n");
        return DCMD_ERR;
    }
    if (flags & DCMD_ADDRSPEC) o.demangle_flags = static_cast<unsigned>(addr) & kDemangleAll;
    for (unsigned i = 0; i < 4; ++i)
        s.out().printf("0x%x\t%s\t%s\n", 1u << i, (o.demangle_flags & (1u << i)) ? "on" : "off", kDescriptions[i]);
    return DCMD_OK;
}

int cmd_demstr(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if ((flags & DCMD_ADDRSPEC) || argc == 0) return DCMD_USAGE;
    for (int i = 0; i < argc; ++i)
        if (argv[i].a_type != MDB_TYPE_STRING) return DCMD_USAGE;
    s.settings.demangler_loaded = true;  // as mdb: loaded, but $G still decides what names show
    for (int i = 0; i < argc; ++i)
        s.out().printf("%s == %s\n", argv[i].a_un.a_str,
                       demangle_symbol(argv[i].a_un.a_str, s.settings.demangle_flags).c_str());
    return DCMD_OK;
}

}  // namespace

void register_demangle_builtins(Session& s) {
    static const mdb_dcmd_t dcmds[] = {
        {"$G", nullptr, "enable/disable C++ demangling support", cmd_demangle, nullptr, nullptr},
        {"$g", "?", "get/set C++ demangling options", cmd_demflags, nullptr, nullptr},
        {"dem", "name ...", "demangle C++ symbol names", cmd_demstr, nullptr, nullptr},
    };
    for (const mdb_dcmd_t& d : dcmds) s.registry().add_dcmd(s.registry().builtin_module(), d);
}

}  // namespace mdbsim::host
