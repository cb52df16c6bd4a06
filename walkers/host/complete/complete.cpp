// Splitting the line for completion and running the completer of the dcmd it names.
#include "mdbsim/host/complete.hpp"

#include <cctype>
#include <string>
#include <vector>

#include "complete_impl.hpp"
#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"

namespace mdbsim::host {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

// Characters of a symbol name as the lexer reads one, plus ` for obj`name.
bool is_symbol_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '`' || c == '$';
}

// Keeps the calling module right for mdb_tab_* calls made by a dmod's completer.
class Executing {
public:
    Executing(Session& s, Module* m) : st_(s.command_state()) { st_.executing.push_back(m); }
    ~Executing() { st_.executing.pop_back(); }
    Executing(const Executing&) = delete;
    Executing& operator=(const Executing&) = delete;

private:
    Session::CommandState& st_;
};

struct CommandBracket {
    Session& s;
    explicit CommandBracket(Session& s) : s(s) { s.begin_command(); }
    ~CommandBracket() { s.end_command(); }
    CommandBracket(const CommandBracket&) = delete;
    CommandBracket& operator=(const CommandBracket&) = delete;
};

// The dcmd's completer runs like a command: UM_GC memory is freed at the end, a fault is
// reported (and its module unloaded) as the command language does, and a stop keeps what the
// completer inserted so far.
void run_completer(Session& s, const Dcmd& d, mdb_tab_cookie_t* mcp, uint_t flags, std::vector<mdb_arg_t>& argv) {
    CommandBracket command(s);
    try {
        Executing executing(s, d.module);
        ActivityScope running(s.command_state(), Activity{&d, 0, nullptr, nullptr});
        guarded(s, d.module, [&] {
            return d.tab(mcp, flags, static_cast<int>(argv.size()), argv.empty() ? nullptr : argv.data());
        });
    } catch (const DmodFault& f) {
        s.err().puts(f.message);
        s.note_recovered_fault();
        const Module* m = s.registry().find_module(f.site.module);
        if (m != nullptr && !m->builtin && !m->path.empty()) {
            s.err().puts("mdb: unloading module '" + f.site.module + "' ...\n");
            s.unload_module(f.site.module);
        }
    } catch (const CommandAbort& a) {
        if (!a.reported) s.err().puts("mdb: " + a.message + (a.message.ends_with('\n') ? "" : "\n"));
    }
    s.err().flush();
}

void finish(const mdb_tab_cookie_t& cookie, Completion& out) {
    out.base = cookie.base;
    out.matches.assign(cookie.matches.begin(), cookie.matches.end());
    if (out.matches.empty()) {
        out.common = out.base;
        return;
    }
    out.common = out.matches.front();
    for (const std::string& m : out.matches) {
        size_t i = 0;
        while (i < out.common.size() && i < m.size() && out.common[i] == m[i]) ++i;
        out.common.resize(i);
    }
}

}  // namespace

std::vector<std::string> complete_symbols(Session& s, std::string_view word, size_t limit) {
    std::vector<std::string> out;
    const sim::SymbolTable& table = s.target().symbols();
    size_t tick = word.rfind('`');
    if (tick == std::string_view::npos) {
        table.for_each_name(word, [&](const std::string& name) {
            out.push_back(name);
            return limit == 0 || out.size() < limit;
        });
        return out;
    }
    // obj`name: names of that object, offered with the object in front.
    std::string_view object = word.substr(0, tick);
    std::string_view prefix = word.substr(tick + 1);
    table.for_each_name(prefix, [&](const std::string& name) {
        if (object.empty() || table.lookup(object, name) != nullptr) out.push_back(std::string(word.substr(0, tick + 1)) + name);
        return limit == 0 || out.size() < limit;
    });
    return out;
}

Completion complete(Session& s, std::string_view line) {
    Completion result;
    mdb_tab_cookie_t cookie;
    size_t cmd = line.rfind("::");
    std::string_view rest = cmd == std::string_view::npos ? std::string_view{} : line.substr(cmd + 2);
    bool dcmd_context = cmd != std::string_view::npos && rest.find_first_of(";|") == std::string_view::npos;

    if (!dcmd_context) {
        // An expression: the symbol name under the cursor (mdbsim's addition; mdb has none).
        size_t start = line.size();
        while (start > 0 && is_symbol_char(line[start - 1])) --start;
        std::string_view word = line.substr(start);
        if (word.empty() || std::isdigit(static_cast<unsigned char>(word[0]))) return result;
        cookie.base = std::string(word);
        for (std::string& name : complete_symbols(s, word)) cookie.matches.insert(std::move(name));
        finish(cookie, result);
        return result;
    }

    size_t sp = 0;
    while (sp < rest.size() && !is_space(rest[sp])) ++sp;
    if (sp == rest.size()) {
        tab_complete_dcmds(s, &cookie, std::string(rest).c_str());
        finish(cookie, result);
        return result;
    }

    // As mdb: the arguments are the words after the dcmd name, all strings, and DCMD_TAB_SPACE
    // says the line ends with blanks (a new word is being started).
    const Dcmd* d = s.registry().find_dcmd(rest.substr(0, sp));
    if (d == nullptr || d->tab == nullptr) return result;
    std::vector<std::string> words;
    for (size_t i = sp; i < rest.size();) {
        while (i < rest.size() && is_space(rest[i])) ++i;
        size_t j = i;
        while (j < rest.size() && !is_space(rest[j])) ++j;
        if (j > i) words.emplace_back(rest.substr(i, j - i));
        i = j;
    }
    std::vector<mdb_arg_t> argv(words.size());
    for (size_t i = 0; i < words.size(); ++i) {
        argv[i].a_type = MDB_TYPE_STRING;
        argv[i].a_un.a_str = words[i].c_str();
    }
    uint_t flags = is_space(rest.back()) ? DCMD_TAB_SPACE : 0;
    run_completer(s, *d, &cookie, flags, argv);
    finish(cookie, result);
    return result;
}

void tab_complete_dcmds(Session& s, mdb_tab_cookie_t* mcp, const char* prefix) {
    if (prefix != nullptr) mcp->base = prefix;
    // As mdb: names that do not start with a letter or digit ($<, /, =) are not offered.
    for (const Dcmd* d : s.registry().all_dcmds())
        if (!d->name.empty() && std::isalnum(static_cast<unsigned char>(d->name[0]))) mdb_tab_insert(mcp, d->name.c_str());
}

void tab_complete_walkers(Session& s, mdb_tab_cookie_t* mcp, const char* prefix) {
    if (prefix != nullptr) mcp->base = prefix;
    for (const Walker* w : s.registry().all_walkers()) mdb_tab_insert(mcp, w->name.c_str());
}

namespace {

// ::walk and ::help complete one name: the word being typed, or every name after a blank.
int complete_one_name(mdb_tab_cookie_t* mcp, uint_t flags, int argc, const mdb_arg_t* argv,
                      void (*names)(Session&, mdb_tab_cookie_t*, const char*)) {
    Session* s = Session::current();
    if (s == nullptr || argc > 1) return 1;
    if (argc == 1 && argv[0].a_type == MDB_TYPE_STRING) {
        names(*s, mcp, argv[0].a_un.a_str);
        return 0;
    }
    if (argc == 0 && (flags & DCMD_TAB_SPACE)) {
        names(*s, mcp, nullptr);
        return 0;
    }
    return 1;
}

}  // namespace

int tab_walk(mdb_tab_cookie_t* mcp, uint_t flags, int argc, const mdb_arg_t* argv) {
    return complete_one_name(mcp, flags, argc, argv, tab_complete_walkers);
}

int tab_help(mdb_tab_cookie_t* mcp, uint_t flags, int argc, const mdb_arg_t* argv) {
    return complete_one_name(mcp, flags, argc, argv, tab_complete_dcmds);
}

// As mdb's: the options are passed over (with the values of -c, -l and -s), then the rest is
// "type [member]".
int tab_print(mdb_tab_cookie_t* mcp, uint_t flags, int argc, const mdb_arg_t* argv) {
    int i = 0;
    while (i < argc && argv[i].a_type == MDB_TYPE_STRING && argv[i].a_un.a_str[0] == '-') {
        std::string_view opt = argv[i].a_un.a_str;
        ++i;
        if (opt.size() == 2 && (opt[1] == 'c' || opt[1] == 'l' || opt[1] == 's')) ++i;
    }
    if (i > argc) return 1;
    // A word being typed that is itself an option: nothing to offer.
    if (i == argc && argc > 0 && !(flags & DCMD_TAB_SPACE)) return 1;
    return mdb_tab_complete_mt(mcp, flags, argc - i, argv + i);
}

int tab_sizeof(mdb_tab_cookie_t* mcp, uint_t flags, int argc, const mdb_arg_t* argv) {
    if (argc == 0) return (flags & DCMD_TAB_SPACE) ? mdb_tab_complete_type(mcp, nullptr, 0) : 1;
    char type[MDB_SYM_NAMLEN];
    int ret = mdb_tab_typename(&argc, &argv, type, sizeof type);
    if (ret < 0 || ret == DCMD_USAGE || argc != 1) return 1;
    if (ret == 0 && (flags & DCMD_TAB_SPACE)) return 1;  // the type is complete
    return mdb_tab_complete_type(mcp, type, 0);
}

}  // namespace mdbsim::host
