// The command language's built-in dcmds (modapi.md §15): ::echo ::eval ::map ::grep ::head $d
// > ::vars $v $q ::quit ::version $< $<<.
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "builtins.hpp"
#include "host_internal.hpp"
#include "lang_impl.hpp"
#include "mdbsim/host/output.hpp"

namespace mdbsim::host {

namespace {

// Variables mdb always has; the first group cannot be assigned with `>`.
const std::set<std::string, std::less<>> kReadOnlyVariables = {"b", "d", "e", "m", "t", "hits", "thread"};
const char* const kPredefinedVariables[] = {"0", "1", "2", "9", "b", "d", "e", "m", "t", "hits", "thread"};

bool valid_variable_name(std::string_view name) {
    if (name.empty() || name.size() > 255) return false;
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

bool is_predefined(std::string_view name) {
    for (const char* v : kPredefinedVariables)
        if (name == v) return true;
    return false;
}

// The single STRING argument of ::map and ::grep.
const char* expression_argument(int argc, const mdb_arg_t* argv) {
    if (argc != 1 || argv[0].a_type != MDB_TYPE_STRING) return nullptr;
    return argv[0].a_un.a_str;
}

int cmd_echo(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if (flags & DCMD_ADDRSPEC) return DCMD_USAGE;
    for (int i = 0; i < argc; ++i) {
        switch (argv[i].a_type) {
        case MDB_TYPE_STRING: s.out().printf("%s ", argv[i].a_un.a_str); break;
        case MDB_TYPE_IMMEDIATE: s.out().printf("%llr ", static_cast<unsigned long long>(argv[i].a_un.a_val)); break;
        case MDB_TYPE_CHAR: s.out().printf("%c ", argv[i].a_un.a_char); break;
        }
    }
    s.out().printf("\n");
    return DCMD_OK;
}

int cmd_eval(uintptr_t, uint_t, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if (argc < 1) return DCMD_USAGE;
    std::string cmd;
    for (int i = 0; i < argc; ++i) {
        if (argv[i].a_type != MDB_TYPE_STRING) return DCMD_USAGE;
        if (i) cmd += ' ';
        cmd += argv[i].a_un.a_str;
    }
    return s.eval(cmd) == 0 ? DCMD_OK : DCMD_ABORT;
}

int cmd_map(uintptr_t addr, uint_t, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    const char* expr = expression_argument(argc, argv);
    if (!expr) return DCMD_USAGE;
    s.dot = addr;
    if (s.eval(expr) != 0) return DCMD_ABORT;
    s.out().printf("%llr\n", static_cast<unsigned long long>(s.dot));
    return DCMD_OK;
}

int cmd_grep(uintptr_t addr, uint_t, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    const char* expr = expression_argument(argc, argv);
    if (!expr) return DCMD_USAGE;
    s.dot = addr;
    if (s.eval(expr) != 0) return DCMD_ABORT;
    const bool match = s.dot != 0;
    s.dot = addr;
    if (match) s.out().printf("%lr\n", static_cast<unsigned long>(addr));
    return DCMD_OK;
}

// ::head [-n N | -N]: N is decimal whatever the radix.
int cmd_head(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    uint64_t limit = 10;
    auto decimal = [](const char* text, uint64_t& out) {
        if (!text || !*text) return false;
        char* end = nullptr;
        errno = 0;
        unsigned long long v = std::strtoull(text, &end, 10);
        if (errno || *end || text[0] == '-' || text[0] == '+') return false;
        out = v;
        return true;
    };
    for (int i = 0; i < argc; ++i) {
        if (argv[i].a_type != MDB_TYPE_STRING) return DCMD_USAGE;
        const char* a = argv[i].a_un.a_str;
        if (std::strcmp(a, "-n") == 0) {
            if (++i >= argc || argv[i].a_type != MDB_TYPE_STRING || !decimal(argv[i].a_un.a_str, limit))
                return DCMD_USAGE;
        } else if (std::strncmp(a, "-n", 2) == 0) {
            if (!decimal(a + 2, limit)) return DCMD_USAGE;
        } else if (a[0] == '-') {
            if (!decimal(a + 1, limit)) return DCMD_USAGE;
        } else {
            return DCMD_USAGE;
        }
    }
    std::vector<uintptr_t> items;
    if (flags & DCMD_PIPE) {
        mdb_pipe_t p{};
        mdb_get_pipe(&p);
        for (size_t i = 0; i < p.pipe_len && i < limit; ++i) items.push_back(p.pipe_data[i]);
    } else if (flags & DCMD_ADDRSPEC) {
        if (limit > 0) items.push_back(addr);
    }
    if (flags & DCMD_PIPE_OUT) {
        mdb_pipe_t out{items.empty() ? nullptr : items.data(), items.size()};
        mdb_set_pipe(&out);
    } else {
        for (uintptr_t a : items) s.out().printf("%lx\n", static_cast<unsigned long>(a));
    }
    return DCMD_OK;
}

int cmd_radix(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t*) {
    Session& s = current_session();
    if (argc != 0) return DCMD_USAGE;
    if (flags & DCMD_ADDRSPEC) {
        if (addr < 2 || addr > 16) {
            warn(s, "expected radix from 2 to 16\n");
            return DCMD_ERR;
        }
        s.radix = static_cast<int>(addr);
    }
    s.out().printf("radix = %d base ten\n", s.radix);
    return DCMD_OK;
}

// `>var` and `>/c/var`: dot, cast to 1, 2, 4 or 8 bytes, into a variable.
int cmd_assign(uintptr_t addr, uint_t, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    uint64_t value = addr;
    int i = 0;
    if (argc > 0 && argv[0].a_type == MDB_TYPE_CHAR) {
        switch (argv[0].a_un.a_char) {
        case 'c': value &= 0xff; break;
        case 's': value &= 0xffff; break;
        case 'i': value &= 0xffffffffULL; break;
        default: break;
        }
        i = 1;
    }
    if (argc - i != 1 || argv[i].a_type != MDB_TYPE_STRING) return DCMD_USAGE;
    std::string_view name = argv[i].a_un.a_str;
    if (!valid_variable_name(name)) {
        warn(s, "'%s' may not be used as a variable name\n", argv[i].a_un.a_str);
        return DCMD_ABORT;
    }
    if (kReadOnlyVariables.count(name)) {
        warn(s, "variable %s is read-only\n", argv[i].a_un.a_str);
        return DCMD_ABORT;
    }
    s.variables[std::string(name)] = value;
    return DCMD_OK;
}

int list_variables(Session& s, bool nonzero, bool reprint, bool builtin_only, bool user_only) {
    for (const auto& [name, value] : s.variables) {
        if (nonzero && value == 0) continue;
        const bool predefined = is_predefined(name);
        if (builtin_only && !predefined) continue;
        // mdb's -t: the variables ::typeset -t tagged, whoever made them.
        if (user_only && !s.settings.tagged_variables.count(name)) continue;
        if (reprint)
            s.out().printf("0x%llx>%s\n", static_cast<unsigned long long>(value), name.c_str());
        else
            s.out().printf("%s = %llr\n", name.c_str(), static_cast<unsigned long long>(value));
    }
    return DCMD_OK;
}

int cmd_vars(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if (flags & DCMD_ADDRSPEC) return DCMD_USAGE;
    bool nonzero = false, reprint = false, tagged = false;
    for (int i = 0; i < argc; ++i) {
        if (argv[i].a_type != MDB_TYPE_STRING || argv[i].a_un.a_str[0] != '-' || !argv[i].a_un.a_str[1])
            return DCMD_USAGE;
        for (const char* c = argv[i].a_un.a_str + 1; *c; ++c) {
            if (*c == 'n') nonzero = true;
            else if (*c == 'p') reprint = true;
            else if (*c == 't') tagged = true;
            else return DCMD_USAGE;
        }
    }
    return list_variables(s, nonzero, reprint, false, tagged);
}

void help_vars() {
    current_session().out().puts(
        "-n  only variables whose value is not zero\n"
        "-p  print as commands that re-create the variables (value>name)\n"
        "-t  only variables tagged with ::typeset -t\n");
}

int cmd_nonzero_vars(uintptr_t, uint_t flags, int argc, const mdb_arg_t*) {
    if ((flags & DCMD_ADDRSPEC) || argc != 0) return DCMD_USAGE;
    return list_variables(current_session(), true, false, false, false);
}

int cmd_version(uintptr_t, uint_t flags, int argc, const mdb_arg_t*) {
    if ((flags & DCMD_ADDRSPEC) || argc != 0) return DCMD_USAGE;
    current_session().out().printf("mdbsim 0.1.0 (mdb module API %d)\n", MDB_API_VERSION);
    return DCMD_OK;
}

// $< and $<<: the named file as debugger input, nested in the current input.
int cmd_source(uintptr_t, uint_t, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if (argc != 1 || argv[0].a_type != MDB_TYPE_STRING) return DCMD_USAGE;
    const char* path = argv[0].a_un.a_str;
    std::ifstream in(path, std::ios::binary);
    // A bare name is also looked for in the macro path (::set -I), as mdb does.
    if (!in && std::strchr(path, '/') == nullptr) {
        for (const std::string& dir : s.settings.macro_path) {
            in.clear();
            in.open(dir + "/" + path, std::ios::binary);
            if (in) break;
        }
    }
    if (!in) {
        int e = errno;
        warn(s, "failed to open %s: %s\n", path, std::strerror(e));
        return DCMD_ERR;
    }
    std::stringstream text;
    text << in.rdbuf();
    s.variables["9"] = s.last_count;
    return s.run(text.str(), Session::InputKind::file, path) == 0 ? DCMD_OK : DCMD_ERR;
}

}  // namespace

int cmd_quit(uintptr_t, uint_t, int, const mdb_arg_t*) { throw QuitRequest{0}; }

void register_language_builtins(Session& s) {
    static const mdb_dcmd_t dcmds[] = {
        {"echo", "[args ...]", "echo arguments", cmd_echo, nullptr, nullptr},
        {"eval", "command", "evaluate the specified command", cmd_eval, nullptr, nullptr},
        {"map", "expr", "print dot after evaluating expression", cmd_map, nullptr, nullptr},
        {"grep", "expr", "print dot if expression is true", cmd_grep, nullptr, nullptr},
        {"head", "[-n num | -num]", "limit number of elements in pipe", cmd_head, nullptr, nullptr},
        {"$d", nullptr, "get/set default output radix", cmd_radix, nullptr, nullptr},
        {">", "variable-name", "assign variable", cmd_assign, nullptr, nullptr},
        {"vars", "[-npt]", "print listing of variables", cmd_vars, help_vars, nullptr},
        {"$v", nullptr, "print non-zero variables", cmd_nonzero_vars, nullptr, nullptr},
        {"$q", nullptr, "quit debugger", cmd_quit, nullptr, nullptr},
        {"quit", nullptr, "quit debugger", cmd_quit, nullptr, nullptr},
        {"version", nullptr, "print debugger version string", cmd_version, nullptr, nullptr},
        {"$<", "macro-name", "replace input with macro", cmd_source, nullptr, nullptr},
        {"$<<", "macro-name", "source macro", cmd_source, nullptr, nullptr},
    };
    for (const mdb_dcmd_t& d : dcmds) s.registry().add_dcmd(s.registry().builtin_module(), d);
    for (const char* v : kPredefinedVariables) s.variables.try_emplace(v, 0);
}

}  // namespace mdbsim::host
