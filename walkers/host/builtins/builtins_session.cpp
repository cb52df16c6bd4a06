// The session's built-in dcmds: ::set and the debugger options it changes (mdb's option names,
// mdb_set.c's messages and ::set layout), ::typeset ::unset, ::log $>, ::cat, $P $w $s $M,
// ::showrev ::term ::xdata.
#include <sys/mdb_modapi.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "builtins.hpp"
#include "host_internal.hpp"
#include "lang_impl.hpp"
#include "mdbsim/host/output.hpp"

namespace mdbsim::host {
namespace {


std::vector<std::string> split_path(std::string_view text) {
    std::vector<std::string> out;
    std::stringstream in{std::string(text)};
    std::string one;
    while (std::getline(in, one, ':'))
        if (!one.empty()) out.push_back(one);
    return out;
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// One `-o` / `+o` name: false when the value is not acceptable.
struct OptionDesc {
    const char* name;
    bool takes_value;  // "name=value" (the value options), else a flag
    bool (*apply)(Session& s, bool enable, std::string_view value);
};

bool* flag_of(Session& s, std::string_view name) {
    Session::Settings& o = s.settings;
    if (name == "pager") return &o.pager;
    if (name == "ignoreeof") return &o.ignoreeof;
    if (name == "latest") return &o.latest;
    if (name == "noctf") return &o.noctf;
    if (name == "nomods") return &o.nomods;
    if (name == "showlmid") return &o.showlmid;
    if (name == "lmraw") return &o.lmraw;
    if (name == "stop_on_bpt_nosym") return &o.stop_on_bpt_nosym;
    if (name == "write_readback") return &o.write_readback;
    if (name == "allow_io_access") return &o.allow_io_access;
    if (name == "nostop") return &o.nostop;
    if (name == "autowrap") return &s.autowrap;
    if (name == "repeatlast") return &s.language().impl().repeatlast;
    return nullptr;
}

bool set_limit(unsigned& limit, std::string_view value) {
    if (value == "none") {
        limit = Session::Settings::kNoLimit;
        return true;
    }
    if (!all_digits(value)) return false;
    limit = static_cast<unsigned>(std::strtoul(std::string(value).c_str(), nullptr, 10));
    return true;
}

const OptionDesc kOptions[] = {
    // adb compatibility: no prompt, no pager, repeatlast and nomods.
    {"adb", false, [](Session& s, bool on, std::string_view) {
         Session::Settings& o = s.settings;
         if (on)
             o.prompt.clear();
         else if (o.prompt.empty())
             o.prompt = "> ";
         o.pager = !on;
         o.adb = on;
         o.nomods = on;
         s.language().impl().repeatlast = on;
         return true;
     }},
    {"array_mem_limit", true, [](Session& s, bool, std::string_view v) { return set_limit(s.settings.array_mem_limit, v); }},
    {"array_str_limit", true, [](Session& s, bool, std::string_view v) { return set_limit(s.settings.array_str_limit, v); }},
    {"follow_exec_mode", true, [](Session& s, bool, std::string_view v) {
         if (v != "ask" && v != "stop" && v != "follow") return false;
         s.settings.follow_exec_mode = std::string(v);
         return true;
     }},
    {"follow_fork_mode", true, [](Session& s, bool, std::string_view v) {
         if (v != "ask" && v != "parent" && v != "child") return false;
         s.settings.follow_fork_mode = std::string(v);
         return true;
     }},
    {"term", true, [](Session& s, bool, std::string_view v) {
         s.settings.term = std::string(v);
         return true;
     }},
};

const char* const kFlagOptions[] = {"pager",  "autowrap", "ignoreeof", "repeatlast",        "latest",
                                    "noctf",  "nomods",   "showlmid",  "lmraw",             "stop_on_bpt_nosym",
                                    "write_readback", "allow_io_access", "nostop"};

// mdb_set_options: a comma-separated list of names, each NAME or NAME=VALUE. Every problem is
// warned about; the rest of the list still applies.
void set_options(Session& s, std::string_view list, bool enable) {
    std::stringstream in{std::string(list)};
    std::string item;
    while (std::getline(in, item, ',')) {
        if (item.empty()) continue;
        std::string name = item;
        std::optional<std::string> value;
        if (auto eq = item.find('='); eq != std::string::npos) {
            name = item.substr(0, eq);
            value = item.substr(eq + 1);
        }
        bool known = false;
        for (const char* f : kFlagOptions) {
            if (name != f) continue;
            known = true;
            if (value)
                warn(s, "option does not accept an argument -- %s\n", name.c_str());
            else
                *flag_of(s, name) = enable;
        }
        for (const OptionDesc& d : kOptions) {
            if (name != d.name) continue;
            known = true;
            if (d.takes_value && !value)
                warn(s, "option requires an argument -- %s\n", name.c_str());
            else if (!d.takes_value && value)
                warn(s, "option does not accept an argument -- %s\n", name.c_str());
            else if (!d.apply(s, enable, value ? *value : std::string_view{}))
                warn(s, "invalid argument for option %s -- %s\n", name.c_str(), value ? value->c_str() : "");
        }
        if (!known) warn(s, "invalid debugger option -- %s\n", name.c_str());
    }
}

void print_path(Output& out, const std::vector<std::string>& path) {
    for (size_t i = 0; i < path.size(); ++i) {
        if (i == 0)
            out.printf("%s\n", path[i].c_str());
        else
            out.printf("%*s%s\n", 14, " ", path[i].c_str());
    }
    out.printf("\n");
}

constexpr int kLabelIndent = 26;

void print_properties(Session& s) {
    Output& out = s.out();
    const Session::Settings& o = s.settings;
    out.printf("\n  macro path: ");
    print_path(out, o.macro_path);
    out.printf(" module path: ");
    print_path(out, s.registry().module_path());
    out.printf("%*s %lr (%s)\n", kLabelIndent, "symbol matching distance:", static_cast<unsigned long>(o.symdist),
               o.symdist ? "absolute mode" : "smart mode");
    out.printf("%*s ", kLabelIndent, "array member print limit:");
    if (o.array_mem_limit != Session::Settings::kNoLimit)
        out.printf("%u\n", o.array_mem_limit);
    else
        out.printf("none\n");
    out.printf(" array string print limit: ");
    if (o.array_str_limit != Session::Settings::kNoLimit)
        out.printf("%u\n", o.array_str_limit);
    else
        out.printf("none\n");
    out.printf("%*s \"%s\"\n", kLabelIndent, "command prompt:", o.prompt.c_str());

    // mdb wraps the option lists at the terminal width, continuing under the first option.
    const bool saved_force = out.force_autowrap;
    out.force_autowrap = true;
    out.printf("%*s ", kLabelIndent, "debugger options:");
    out.inc_indent(kLabelIndent + 1);
    auto comma = [&out](const char* name) {
        out.printf(", ");
        out.printf("%s", name);
    };
    out.printf("follow_exec_mode=");
    out.printf("%s", o.follow_exec_mode.c_str());
    // mdb prints this one without its '=' (", follow_fork_modeask").
    comma("follow_fork_mode");
    out.printf("%s", o.follow_fork_mode.c_str());
    if (o.adb) comma("adb");
    if (s.autowrap) comma("autowrap");
    if (o.ignoreeof) comma("ignoreeof");
    if (o.lmraw) comma("lmraw");
    if (o.pager) comma("pager");
    if (s.language().impl().repeatlast) comma("repeatlast");
    if (o.showlmid) comma("showlmid");
    if (o.stop_on_bpt_nosym) comma("stop_on_bpt_nosym");
    if (o.write_readback) comma("write_readback");
    out.printf("\n");
    out.dec_indent(kLabelIndent + 1);

    out.printf("%*s ", kLabelIndent, "target options:");
    out.inc_indent(kLabelIndent + 1);
    out.printf("%s", s.target().writable() ? "read-write" : "read-only");
    if (o.allow_io_access) comma("allow-io-access");
    if (o.force_attach) comma("force-attach");
    if (o.nostop) comma("no-stop");
    out.printf("\n");
    out.dec_indent(kLabelIndent + 1);
    out.force_autowrap = saved_force;
}

// ::set [-wF] [+/-o opt] [-s dist] [-I path] [-L path] [-P prompt] (also -W, +w, +W; -D is
// mdb's own debugging and is accepted and ignored).
int cmd_set(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if (flags & DCMD_ADDRSPEC) return DCMD_USAGE;
    if (argc == 0) {
        print_properties(s);
        return DCMD_OK;
    }
    const char *opt_I = nullptr, *opt_L = nullptr, *opt_P = nullptr, *opt_D = nullptr;
    // As in mdb, a later -o (or +o) replaces an earlier one: give several options with commas.
    std::optional<std::string> opt_o, opt_plus_o;
    uint_t opt_w = 0, opt_plus_w = 0, opt_W = 0, opt_plus_W = 0, opt_F = 0;
    uintptr_t opt_s = ~uintptr_t{0};
    while (argc > 0) {
        const char* o = nullptr;
        int i = mdb_getopts(argc, argv, 'F', MDB_OPT_SETBITS, 1u, &opt_F, 'I', MDB_OPT_STR, &opt_I, 'L',
                            MDB_OPT_STR, &opt_L, 'P', MDB_OPT_STR, &opt_P, 'o', MDB_OPT_STR, &o, 's',
                            MDB_OPT_UINTPTR, &opt_s, 'w', MDB_OPT_SETBITS, 1u, &opt_w, 'W', MDB_OPT_SETBITS, 1u,
                            &opt_W, 'D', MDB_OPT_STR, &opt_D, NULL);
        if (o) opt_o = o;
        if (i < 0) return DCMD_USAGE;
        argv += i;
        argc -= i;
        if (argc == 0) break;
        if (argv[0].a_type != MDB_TYPE_STRING) return DCMD_USAGE;
        std::string_view a = argv[0].a_un.a_str;
        int used = 1;
        if (a == "+W") {
            opt_plus_W = 1;
        } else if (a == "+w") {
            opt_plus_w = 1;
        } else if (a == "+o" && argc >= 2 && argv[1].a_type == MDB_TYPE_STRING) {
            opt_plus_o = argv[1].a_un.a_str;
            used = 2;
        } else {
            return DCMD_USAGE;
        }
        argv += used;
        argc -= used;
    }
    if ((opt_w && opt_plus_w) || (opt_W && opt_plus_W)) return DCMD_USAGE;

    if (opt_w) s.target().set_writable(true);
    if (opt_plus_w) s.target().set_writable(false);
    if (opt_W) s.settings.allow_io_access = true;
    if (opt_plus_W) s.settings.allow_io_access = false;
    if (opt_F) s.settings.force_attach = true;
    if (opt_o) set_options(s, *opt_o, true);
    if (opt_plus_o) set_options(s, *opt_plus_o, false);
    if (opt_I) s.settings.macro_path = split_path(opt_I);
    if (opt_L) s.registry().module_path() = split_path(opt_L);
    if (opt_P) s.settings.prompt = opt_P;
    if (opt_s != ~uintptr_t{0}) s.settings.symdist = opt_s;
    return DCMD_OK;
}

void help_set() {
    current_session().out().puts(
        "Without arguments, prints the debugger's properties.\n"
        "-w            open the target for writing (+w: read-only again)\n"
        "-W            allow access to I/O space (+W: disallow)\n"
        "-F            force attach (recorded; a postmortem target has nothing to attach)\n"
        "-o opt[,...]  turn options on; +o opt turns them off; name=value sets a value:\n"
        "              autowrap, pager, repeatlast, ignoreeof, latest, noctf, nomods, showlmid,\n"
        "              lmraw, stop_on_bpt_nosym, write_readback, allow_io_access, nostop, adb,\n"
        "              array_mem_limit=N|none, array_str_limit=N|none, term=TYPE,\n"
        "              follow_exec_mode=ask|stop|follow, follow_fork_mode=ask|parent|child\n"
        "-s dist       symbol matching distance (0: smart mode)\n"
        "-I path       macro path searched by $< and $<< (directories separated by ':')\n"
        "-L path       module path searched by ::load\n"
        "-P prompt     the prompt string\n");
}

// ---- ::typeset ::unset ----

bool bad_identifier(std::string_view name, char& bad) {
    static constexpr std::string_view kIllegal = "#%^&*-+=,:$/\\?<>;|!`'\"[]\n\t() {}";
    const size_t at = name.find_first_of(kIllegal);
    if (at == std::string_view::npos) return false;
    bad = name[at];
    return true;
}

int cmd_typeset(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if (argc == 0) return s.eval("::vars") == 0 ? DCMD_OK : DCMD_ERR;
    bool add_tag = false, del_tag = false;
    if (argv[0].a_type == MDB_TYPE_STRING && (argv[0].a_un.a_str[0] == '-' || argv[0].a_un.a_str[0] == '+')) {
        if (argv[0].a_un.a_str[1] != 't') return DCMD_USAGE;
        (argv[0].a_un.a_str[0] == '-' ? add_tag : del_tag) = true;
        ++argv;
        --argc;
    }
    const uint64_t value = (flags & DCMD_ADDRSPEC) ? addr : 0;  // new variables are zero otherwise
    for (; argc-- > 0; ++argv) {
        if (argv->a_type != MDB_TYPE_STRING) continue;
        const char* name = argv->a_un.a_str;
        if (name[0] == '-' || name[0] == '+') {
            warn(s, "ignored bad option -- %s\n", name);
            continue;
        }
        char bad;
        if (bad_identifier(name, bad)) {
            warn(s, "'%c' may not be used in a variable name\n", bad);
            return DCMD_ERR;
        }
        auto [it, inserted] = s.variables.try_emplace(name, value);
        if (!inserted && (flags & DCMD_ADDRSPEC)) it->second = value;
        if (add_tag) s.settings.tagged_variables.insert(name);
        if (del_tag) s.settings.tagged_variables.erase(std::string(name));
    }
    return DCMD_OK;
}

int cmd_unset(uintptr_t, uint_t, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    for (int i = 0; i < argc; ++i) {
        if (argv[i].a_type != MDB_TYPE_STRING) {
            warn(s, "bad option: arg %lu is not a string\n", static_cast<unsigned long>(i + 1));
            return DCMD_USAGE;
        }
    }
    for (int i = 0; i < argc; ++i) {
        auto it = s.variables.find(std::string_view(argv[i].a_un.a_str));
        if (it == s.variables.end()) {
            warn(s, "variable '%s' not defined\n", argv[i].a_un.a_str);
            continue;
        }
        s.settings.tagged_variables.erase(it->first);
        s.variables.erase(it);
    }
    return DCMD_OK;
}

// ---- ::log $> ----

// The open log: standard output and standard error are copied to it as they are written
// (Output::set_tee), the input as it is read (log_input).
struct LogState {
    std::FILE* file = nullptr;
    Output* out = nullptr;
    Output* err = nullptr;
    ~LogState() {
        if (file) std::fclose(file);
    }
};

LogState* log_state(Session& s) { return static_cast<LogState*>(s.settings.log_state.get()); }

void log_write(LogState* l, std::string_view text) {
    if (l && l->file) {
        std::fwrite(text.data(), 1, text.size(), l->file);
        std::fflush(l->file);
    }
}

void log_push(Session& s) {
    LogState* l = log_state(s);
    l->out = &s.out();
    l->err = &s.err();
    l->out->set_tee([l](std::string_view t) { log_write(l, t); });
    l->err->set_tee([l](std::string_view t) { log_write(l, t); });
    s.settings.log_enabled = true;
}

void log_pop(Session& s) {
    LogState* l = log_state(s);
    l->out->set_tee({});
    l->err->set_tee({});
    s.settings.log_enabled = false;
}

int cmd_log(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    uint_t opt_d = 0, opt_e = 0;
    const int i = mdb_getopts(argc, argv, 'd', MDB_OPT_SETBITS, 1u, &opt_d, 'e', MDB_OPT_SETBITS, 1u, &opt_e, NULL);
    if ((i != argc && i != argc - 1) || (opt_d && opt_e) || (i != argc && argv[i].a_type != MDB_TYPE_STRING) ||
        (i != argc && opt_d) || (flags & DCMD_ADDRSPEC))
        return DCMD_USAGE;
    if (s.language().impl().depth != 1) {
        warn(s, "log may not be manipulated in this context\n");
        return DCMD_ABORT;
    }
    Session::Settings& o = s.settings;
    if (argc == 0) {
        if (o.log_state)
            s.out().printf("mdb: logging to \"%s\" is currently %s\n", o.log_path.c_str(),
                           o.log_enabled ? "enabled" : "disabled");
        else
            s.out().printf("mdb: no log is active\n");
        return DCMD_OK;
    }
    if (opt_d) {
        if (o.log_enabled)
            log_pop(s);
        else
            warn(s, "logging is already disabled\n");
        return DCMD_OK;
    }
    if (i != argc) {
        const char* path = argv[i].a_un.a_str;
        if (o.log_enabled) log_pop(s);
        std::FILE* f = std::fopen(path, "a");
        if (!f) {
            const int e = errno;
            o.log_state.reset();
            o.log_path.clear();
            errno = e;
            mdb_warn("failed to open %s", path);
            return DCMD_ERR;
        }
        auto l = std::make_shared<LogState>();
        l->file = f;
        o.log_state = l;
        o.log_path = path;
    }
    if (!o.log_state) {
        warn(s, "no log file has been selected\n");
        return DCMD_ERR;
    }
    if (!o.log_enabled) log_push(s);
    s.out().printf("mdb: logging to \"%s\"\n", o.log_path.c_str());
    return DCMD_OK;
}

int cmd_old_log(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    if (argc == 0) {
        mdb_arg_t d{};
        d.a_type = MDB_TYPE_STRING;
        d.a_un.a_str = "-d";
        return cmd_log(addr, flags, 1, &d);
    }
    return cmd_log(addr, flags, argc, argv);
}

// ---- ::cat ----

int cmd_cat(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if (flags & DCMD_ADDRSPEC) return DCMD_USAGE;
    int status = DCMD_OK;
    for (int i = 0; i < argc; ++i) {
        if (argv[i].a_type != MDB_TYPE_STRING) {
            warn(s, "expected string argument\n");
            status = DCMD_ERR;
            continue;
        }
        std::ifstream in(argv[i].a_un.a_str, std::ios::binary);
        if (!in) {
            errno = errno ? errno : ENOENT;
            mdb_warn("failed to open %s", argv[i].a_un.a_str);
            status = DCMD_ERR;
            continue;
        }
        s.out().flush();
        char buf[8192];
        while (in.read(buf, sizeof buf) || in.gcount() > 0) {
            s.charge_work();
            s.out().emit(std::string_view(buf, static_cast<size_t>(in.gcount())));
            if (in.eof()) break;
        }
        if (in.bad()) warn(s, "error while reading %s\n", argv[i].a_un.a_str);
    }
    return status;
}

// ---- $P $w $s $M ----

int cmd_prompt(uintptr_t, uint_t, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if (argc > 1 || (argc == 1 && argv[0].a_type != MDB_TYPE_STRING)) return DCMD_USAGE;
    s.settings.prompt = argc == 1 ? argv[0].a_un.a_str : "";
    return DCMD_OK;
}

int cmd_pgwidth(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t*) {
    Session& s = current_session();
    if (argc != 0) return DCMD_USAGE;
    if (flags & DCMD_ADDRSPEC) {
        s.out().set_columns(static_cast<int>(addr));
        s.options().output_columns = static_cast<int>(addr);
    }
    s.out().printf("output page width = %lu\n", static_cast<unsigned long>(s.out().columns()));
    return DCMD_OK;
}

int cmd_symdist(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t*) {
    Session& s = current_session();
    if (argc != 0) return DCMD_USAGE;
    if (flags & DCMD_ADDRSPEC) s.settings.symdist = addr;
    s.out().printf("symbol matching distance = %lr (%s)\n", static_cast<unsigned long>(s.settings.symdist),
                   s.settings.symdist ? "absolute mode" : "smart mode");
    return DCMD_OK;
}

// $M lists the old adb macros that have a dcmd equivalent; mdbsim's targets have none of the
// kernel modules those macros were written for, so the list is empty.
int cmd_macalias_list(uintptr_t, uint_t flags, int argc, const mdb_arg_t*) {
    if (argc != 0 || (flags & DCMD_ADDRSPEC)) return DCMD_USAGE;
    return DCMD_OK;
}

// ---- ::showrev ::term ::xdata ----

int cmd_showrev(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    uint_t opt_p = 0, opt_v = 0;
    if ((flags & DCMD_ADDRSPEC) ||
        mdb_getopts(argc, argv, 'p', MDB_OPT_SETBITS, 1u, &opt_p, 'v', MDB_OPT_SETBITS, 1u, &opt_v, NULL) != argc)
        return DCMD_USAGE;
    Output& out = s.out();
    if (opt_p || opt_v) {
        // Objects grouped by the version their CTF labels give; without CTF every one is
        // "Unknown", which is not a patch, so only -v shows it.
        if (!opt_v) return DCMD_OK;
        out.printf("%s: %s  Objects: ", "Version", "Unknown");
        out.inc_indent(2);
        for (const std::string& o : s.target().symbols().objects()) out.printf("%s ", o.c_str());
        out.dec_indent(2);
        out.printf("\n");
        return DCMD_OK;
    }
    out.printf("Hostname: %s\n", "mdbsim");
    out.printf("Release: %s\n", "5.11");
    out.printf("Kernel architecture: %s\n", "i86pc");
    out.printf("Application architecture: %s\n", "amd64");
    out.printf("Kernel version: %s %s %s %s\n", "SunOS", "5.11", "i86pc", "mdbsim");
    out.printf("Platform: %s\n", "i86pc");
    return DCMD_OK;
}

int cmd_term(uintptr_t, uint_t, int, const mdb_arg_t*) {
    Session& s = current_session();
    const char* env = std::getenv("TERM");
    const std::string term = !s.settings.term.empty() ? s.settings.term : env ? env : "";
    s.out().printf("%s\n", term.empty() ? "<NULL>" : term.c_str());
    return DCMD_OK;
}

// External data buffers (a crash dump's extra sections): mdbsim's targets carry none.
int cmd_xdata(uintptr_t, uint_t flags, int argc, const mdb_arg_t*) {
    if (argc != 0 || (flags & DCMD_ADDRSPEC)) return DCMD_USAGE;
    return DCMD_OK;
}

}  // namespace

void log_input(Session& s, std::string_view text) {
    if (s.settings.log_enabled) log_write(log_state(s), text);
}

void register_session_builtins(Session& s) {
    static const mdb_dcmd_t dcmds[] = {
        {"set", "[-wF] [+/-o opt] [-s dist] [-I path] [-L path] [-P prompt]", "get/set debugger properties",
         cmd_set, help_set, nullptr},
        {"typeset", "[+/-t] var ...", "set variable attributes", cmd_typeset, nullptr, nullptr},
        {"unset", "[name ...]", "unset variables", cmd_unset, nullptr, nullptr},
        {"log", "[-d | [-e] file]", "log session to a file", cmd_log, nullptr, nullptr},
        {"$>", "[file]", "log session to a file", cmd_old_log, nullptr, nullptr},
        {"cat", "[file ...]", "concatenate and display files", cmd_cat, nullptr, nullptr},
        {"$P", "[prompt]", "set debugger prompt string", cmd_prompt, nullptr, nullptr},
        {"$w", nullptr, "get/set output page width", cmd_pgwidth, nullptr, nullptr},
        {"$s", nullptr, "get/set symbol matching distance", cmd_symdist, nullptr, nullptr},
        {"$M", nullptr, "list macro aliases", cmd_macalias_list, nullptr, nullptr},
        {"showrev", "[-pv]", "print version information", cmd_showrev, nullptr, nullptr},
        {"term", nullptr, "display current terminal type", cmd_term, nullptr, nullptr},
        {"xdata", nullptr, "print list of external data buffers", cmd_xdata, nullptr, nullptr},
    };
    for (const mdb_dcmd_t& d : dcmds) s.registry().add_dcmd(s.registry().builtin_module(), d);
}

}  // namespace mdbsim::host
