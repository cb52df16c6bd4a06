// The built-in dcmds about modules, walkers and help (modapi.md §15): ::walk ::walkers ::dcmds
// ::dmods ::help ::which/::whence ::load ::unload.
#include <sys/mdb_modapi.h>

#include <algorithm>
#include <string>
#include <vector>

#include "builtins.hpp"
#include "complete_impl.hpp"
#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"

namespace mdbsim::host {
namespace {


// ---- ::walk ----

// mdb's target-derived variables, which a dcmd may not assign.
bool read_only_variable(std::string_view name) {
    static constexpr std::string_view kReadOnly[] = {"b", "d", "e", "m", "t", "hits", "thread"};
    return std::find(std::begin(kReadOnly), std::end(kReadOnly), name) != std::end(kReadOnly);
}

bool valid_walk_variable(std::string_view name) {
    static constexpr std::string_view kIllegal = "#%^&*-+=,:$/\\?<>;|!`'\"[]\n\t() {}";
    return !name.empty() && name.find_first_of(kIllegal) == std::string_view::npos;
}

struct WalkPrint {
    Session* s;
    const char* variable;
};

int walk_print(uintptr_t addr, const void*, void* data) {
    auto* wp = static_cast<WalkPrint*>(data);
    if (wp->variable) wp->s->variables[wp->variable] = addr;
    wp->s->out().printf("%#lr\n", static_cast<unsigned long>(addr));
    return WALK_NEXT;
}

int cmd_walk(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if (argc < 1 || argc > 2 || !is_string(argv[0]) || (argc == 2 && !is_string(argv[1])))
        return DCMD_USAGE;
    WalkPrint wp{&s, argc == 2 ? argv[1].a_un.a_str : nullptr};
    if (wp.variable) {
        if (!valid_walk_variable(wp.variable)) {
            warn(s, "'%s' may not be used as a variable name\n", wp.variable);
            return DCMD_ABORT;
        }
        if (read_only_variable(wp.variable)) {
            warn(s, "variable %s is read-only\n", wp.variable);
            return DCMD_ABORT;
        }
    }
    if (wp.variable && (flags & DCMD_PIPE_OUT) && s.pipe.output) {
        // Piped: the next stage sets it to each address as it processes that address.
        s.variables.try_emplace(wp.variable, 0);
        s.pipe.output->variable = wp.variable;
        wp.variable = nullptr;
    }
    uintptr_t start = (flags & DCMD_ADDRSPEC) ? addr : 0;
    if (s.walk(argv[0].a_un.a_str, walk_print, &wp, start) == -1) {
        warn(s, "failed to perform walk");
        return DCMD_ERR;
    }
    return DCMD_OK;
}

// ---- ::walkers ::dcmds ::dmods ----

int cmd_walkers(uintptr_t, uint_t flags, int argc, const mdb_arg_t*) {
    if ((flags & DCMD_ADDRSPEC) || argc != 0) return DCMD_USAGE;
    Session& s = current_session();
    for (const Walker* w : s.registry().all_walkers())
        if (!w->descr.empty()) s.out().printf("%-24s - %s\n", w->name.c_str(), w->descr.c_str());
    return DCMD_OK;
}

int cmd_dcmds(uintptr_t, uint_t flags, int argc, const mdb_arg_t*) {
    if ((flags & DCMD_ADDRSPEC) || argc != 0) return DCMD_USAGE;
    Session& s = current_session();
    for (const Dcmd* d : s.registry().all_dcmds())
        if (!d->descr.empty()) s.out().printf("%-24s - %s\n", d->name.c_str(), d->descr.c_str());
    return DCMD_OK;
}

void print_module_contents(Session& s, const Module& m) {
    s.out().printf("\n%<u>%-70s%</u>\n", m.name.c_str());
    const ModuleTable& table = s.registry().table(&m);
    for (auto& [name, d] : table.dcmds)
        s.out().printf("  dcmd %-20s - %s\n", name.c_str(), d.descr.c_str());
    for (auto& [name, w] : table.walkers)
        s.out().printf("  walk %-20s - %s\n", name.c_str(), w.descr.c_str());
}

int cmd_dmods(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    if (flags & DCMD_ADDRSPEC) return DCMD_USAGE;
    uint_t long_form = 0;
    int i = mdb_getopts(argc, argv, 'l', MDB_OPT_SETBITS, 1u, &long_form, NULL);
    if (i < argc - 1 || (i == argc - 1 && !is_string(argv[i]))) return DCMD_USAGE;
    Session& s = current_session();
    const char* only = i < argc ? argv[i].a_un.a_str : nullptr;

    std::vector<const Module*> mods;
    for (auto& m : s.registry().modules())
        if (!only || m->name == only) mods.push_back(m.get());
    std::sort(mods.begin(), mods.end(), [](auto* a, auto* b) { return a->name < b->name; });
    if (only && mods.empty()) {
        warn(s, "%s module not loaded\n", only);
        return DCMD_OK;
    }
    for (const Module* m : mods) {
        if (long_form)
            print_module_contents(s, *m);
        else
            s.out().printf("%s\n", m->name.c_str());
    }
    return DCMD_OK;
}

// ---- ::help ----

const char kGeneralHelp[] =
    "\nEach debugger command in mdb is structured as follows:\n\n"
    "      [ address [, count]] verb [ arguments ... ]\n"
    "             ^       ^      ^      ^\n"
    " the start --+       |      |      +-- arguments are strings which can be\n"
    " address can be an   |      |          quoted using \"\" or '' or\n"
    " expression          |      |          expressions enclosed in $[ ]\n"
    "                     |      |\n"
    " the repeat count ---+      +--------- the verb is a name which begins\n"
    " is also an expression                 with either $, :, or ::.  it can also\n"
    "                                       be a format specifier (/ \\ ? or =)\n\n"
    "For information on debugger commands (dcmds) and walkers, type:\n\n"
    "      ::help cmdname ... for more detailed information on a command\n"
    "      ::dcmds        ... for a list of dcmds and their descriptions\n"
    "      ::walkers      ... for a list of walkers and their descriptions\n"
    "      ::dmods -l     ... for a list of modules and their dcmds and walkers\n"
    "      ::formats      ... for a list of format characters for / \\ ? and =\n\n"
    "For information on command-line options, type:\n\n"
    "      $ mdb -?       ... in your shell for a complete list of options\n\n";

void print_dcmd_help(Session& s, const Dcmd& d) {
    Output& out = s.out();
    out.printf("\n%<b>NAME%</b>\n  %s - %s\n\n", d.name.c_str(), d.descr.c_str());
    out.printf("%<b>SYNOPSIS%</b>\n  ");
    std::string_view usage = d.usage ? d.usage : "";
    if (!usage.empty() && usage[0] == '?') {
        out.printf("[ %<u>addr%</u> ] ");
        usage.remove_prefix(1);
    } else if (!usage.empty() && usage[0] == ':') {
        out.printf("%<u>addr%</u> ");
        usage.remove_prefix(1);
    }
    bool bare = !d.name.empty() && std::string_view(":$=/\\?>").find(d.name[0]) != std::string_view::npos;
    std::string rest(usage);
    out.printf("%s%s %s\n\n", bare ? "" : "::", d.name.c_str(), rest.c_str());
    if (d.help) {
        out.printf("%<b>DESCRIPTION%</b>\n");
        out.inc_indent(2);
        guarded(s, d.module, [&d] {
            d.help();
            return 0;
        });
        out.dec_indent(2);
        out.printf("\n");
    }
    out.printf("%<b>ATTRIBUTES%</b>\n\n");
    out.printf("  Target: %s\n", s.options().kernel ? "kvm" : "raw");
    out.printf("  Module: %s\n", d.module ? d.module->name.c_str() : "mdb");
    out.printf("  Interface Stability: %s\n\n", d.module && d.module->builtin ? "Evolving" : "Unstable");
}

int cmd_help(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    if ((flags & DCMD_ADDRSPEC) || argc > 1 || (argc == 1 && !is_string(argv[0]))) return DCMD_USAGE;
    Session& s = current_session();
    if (argc == 0) {
        s.out().puts(kGeneralHelp);
        return DCMD_OK;
    }
    std::string_view name = argv[0].a_un.a_str;
    if (name.substr(0, 2) == "::") name.remove_prefix(2);
    const Dcmd* d = s.registry().find_dcmd(name);
    if (!d) {
        std::string n(name);
        warn(s, "unknown command: %s\n", n.c_str());
        return DCMD_ERR;
    }
    print_dcmd_help(s, *d);
    return DCMD_OK;
}

void help_help() {
    mdb_printf("Without an argument, prints an overview of the debugger's command syntax.\n"
               "With a command name, prints that command's synopsis, description and "
               "attributes.\n");
}

// ---- ::which / ::whence ----

int cmd_which(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    if (flags & DCMD_ADDRSPEC) return DCMD_USAGE;
    uint_t verbose = 0;
    int i = mdb_getopts(argc, argv, 'v', MDB_OPT_SETBITS, 1u, &verbose, NULL);
    if (i >= argc) return DCMD_USAGE;
    Session& s = current_session();
    for (; i < argc; ++i) {
        if (!is_string(argv[i])) return DCMD_USAGE;
        std::string_view name = argv[i].a_un.a_str;
        if (name.substr(0, 2) == "::") name.remove_prefix(2);
        std::string n(name);
        auto dcmds = s.registry().dcmd_definitions(n);
        auto walkers = s.registry().walker_definitions(n);
        if (dcmds.empty() && walkers.empty()) {
            warn(s, "%s not found\n", n.c_str());
            continue;
        }
        auto describe = [&](const char* kind, const Module* m, const auto& defs) {
            if (m->builtin)
                s.out().printf("%s is a built-in %s\n", n.c_str(), kind);
            else
                s.out().printf("%s is a %s from module %s\n", n.c_str(), kind, m->name.c_str());
            if (!verbose) return;
            s.out().printf("   >  definition list:\n");
            for (size_t k = 0; k < defs.size(); ++k)
                s.out().printf("  [%zu] %s`%s\n", k, defs[k]->module->name.c_str(), defs[k]->name.c_str());
        };
        if (!dcmds.empty()) describe("dcmd", dcmds.front()->module, dcmds);
        if (!walkers.empty()) describe("walker", walkers.front()->module, walkers);
    }
    return DCMD_OK;
}

// ---- ::load ::unload ----

int cmd_load(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    if (flags & DCMD_ADDRSPEC) return DCMD_USAGE;
    uint_t silent = 0, global = 0;
    int i = mdb_getopts(argc, argv, 's', MDB_OPT_SETBITS, 1u, &silent, 'g', MDB_OPT_SETBITS, 1u,
                        &global, NULL);
    if (i != argc - 1 || !is_string(argv[i])) return DCMD_USAGE;
    Session& s = current_session();
    return load_module_quietly(s, argv[i].a_un.a_str, global != 0, silent != 0) == 0 ? DCMD_OK : DCMD_ERR;
}

int cmd_unload(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    if ((flags & DCMD_ADDRSPEC) || argc != 1 || !is_string(argv[0])) return DCMD_USAGE;
    Session& s = current_session();
    const char* name = argv[0].a_un.a_str;
    if (s.unload_module(name) != 0) {
        warn(s, "failed to unload %s", name);
        return DCMD_ERR;
    }
    return DCMD_OK;
}

const mdb_dcmd_t kModuleDcmds[] = {
    {"walk", "?name [variable]", "walk data structure", cmd_walk, nullptr, tab_walk},
    {"walkers", nullptr, "list available walkers", cmd_walkers, nullptr, nullptr},
    {"dcmds", nullptr, "list available debugger commands", cmd_dcmds, nullptr, nullptr},
    {"dmods", "[-l] [mod]", "list loaded debugger modules", cmd_dmods, nullptr, nullptr},
    {"help", "[cmd]", "list commands/command help", cmd_help, help_help, tab_help},
    {"which", "[-v] name ...", "show source of walk or dcmd", cmd_which, nullptr, nullptr},
    {"whence", "[-v] name ...", "show source of walk or dcmd", cmd_which, nullptr, nullptr},
    {"load", "[-sg] module", "load debugger module", cmd_load, nullptr, nullptr},
    {"unload", "module", "unload debugger module", cmd_unload, nullptr, nullptr},
};

}  // namespace

void register_module_builtins(Session& s) {
    for (const mdb_dcmd_t& d : kModuleDcmds) s.registry().add_dcmd(s.registry().builtin_module(), d);
}

}  // namespace mdbsim::host
