#include <cerrno>

#include <fmt/format.h>

#include "builtins.hpp"
#include "lang_impl.hpp"
#include "mdbsim/host/output.hpp"
#include "mdbsim/mdb_errno.h"

namespace mdbsim::host {

namespace {

// Brackets one statement so UM_GC memory and walks are released however it ends.
struct CommandScope {
    Session& s;
    explicit CommandScope(Session& s) : s(s) { s.begin_command(); }
    ~CommandScope() { s.end_command(); }
    CommandScope(const CommandScope&) = delete;
    CommandScope& operator=(const CommandScope&) = delete;
};

struct DepthScope {
    int& d;
    explicit DepthScope(int& d) : d(d) { ++d; }
    ~DepthScope() { --d; }
};

}  // namespace

namespace lang {

std::string escape_token(std::string_view text) {
    std::string out;
    for (unsigned char c : text) {
        switch (c) {
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        default:
            if (c < 0x20 || c >= 0x7f) out += fmt::format("\\{:03o}", c);
            else out += char(c);
        }
    }
    return out;
}

std::string format_parse_error(const ParseError& e, Session::InputKind kind, std::string_view name) {
    std::string msg = "mdb: " + e.message;
    if (!e.message.empty() && e.message.back() == '\n') return msg;
    if (kind != Session::InputKind::terminal) msg += fmt::format(" on line {} of {}", e.line, name);
    msg += fmt::format(" near \"{}\"\n", escape_token(e.near));
    return msg;
}

}  // namespace lang

Language::Language(Session& s) : s_(s), impl_(std::make_unique<Impl>(s)) {}
Language::~Language() = default;

int Language::run(std::string_view text, Session::InputKind kind, std::string_view name) {
    return impl_->run(text, kind, name, 1);
}

int Language::run(std::string_view text, Session::InputKind kind, std::string_view name, int first_line) {
    return impl_->run(text, kind, name, first_line);
}

int Language::eval(std::string_view cmd) {
    if (impl_->run(cmd, Session::InputKind::string, "(string)", 1) == 0) return 0;
    errno = s_.interrupted() ? EMDB_CANCEL : EMDB_EVAL;
    return -1;
}

lang::LexContext Language::Impl::lex_context() {
    lang::LexContext ctx;
    ctx.radix = [this] { return s.radix; };
    ctx.symbol = [this](std::string_view name) -> std::optional<uint64_t> {
        if (const sim::Symbol* sym = s.lookup_symbol(name)) return sym->value();
        return std::nullopt;
    };
    return ctx;
}

void Language::Impl::report(const lang::ParseError& e, Session::InputKind kind, std::string_view name) {
    s.err().puts(lang::format_parse_error(e, kind, name));
    s.err().flush();
}

// Statements run one at a time: each is lexed and parsed, then executed, so it sees what the
// previous one did (radix, dot, loaded modules). An error abandons the statement; then string,
// pipe and terminal input stop, and file input resumes after the next ';' or newline (§16.6).
int Language::Impl::run(std::string_view text, Session::InputKind kind, std::string_view name, int first_line) {
    if (depth >= kMaxDepth) {
        s.err().puts("mdb: input is nested too deeply\n");
        s.err().flush();
        return -1;
    }
    if (depth == 0) log_input(s, text);
    DepthScope nest(depth);
    lang::Lexer lx(text, lex_context(), first_line);
    lang::Parser parser(s, lx);
    const bool file = kind == Session::InputKind::file;
    for (;;) {
        bool parsed = false;
        try {
            CommandScope command(s);
            lang::Statement st = parser.statement();
            parsed = true;
            if (st.kind == lang::Statement::Kind::eof) break;
            execute(st, kind);
        } catch (const lang::ParseError& e) {
            report(e, kind, name);
            s.out().reset();
            if (!file) return -1;
            if (!parsed) lx.skip_statement();
            continue;
        } catch (const DmodFault& f) {
            // As mdb's "recover": the report, then the module goes, since its state can no longer
            // be trusted. The input ends unless it comes from the terminal.
            if (depth > 1) throw;
            s.err().puts(f.message);
            s.note_recovered_fault();
            const Module* m = s.registry().find_module(f.site.module);
            if (m != nullptr && !m->builtin && !m->path.empty()) {
                s.err().puts("mdb: unloading module '" + f.site.module + "' ...\n");
                s.unload_module(f.site.module);
            }
            s.err().flush();
            s.out().reset();
            s.last_status = DCMD_ERR;
            if (kind != Session::InputKind::terminal) return -1;
            continue;
        } catch (const CommandAbort& a) {
            // A stop (^C, budget, time limit) abandons the whole command line, not only a
            // nested mdb_eval.
            if (depth > 1 && dynamic_cast<const CommandStop*>(&a) != nullptr) throw;
            if (kind == Session::InputKind::terminal && dynamic_cast<const Interrupted*>(&a) != nullptr) {
                // As mdb: the command's pending output is dropped, a newline ends the line the
                // ^C was typed on, and the prompt comes back; there is no message.
                s.out().reset();
                s.out().newline();
                s.out().flush();
                return -1;
            }
            if (!a.reported) {
                s.err().puts("mdb: " + a.message + (a.message.ends_with('\n') ? "" : "\n"));
            }
            s.err().flush();
            s.out().reset();
            if (!file) return -1;
            if (!parsed) lx.skip_statement();
            continue;
        }
        s.out().flush();
        s.err().flush();
    }
    s.out().flush();
    return 0;
}

}  // namespace mdbsim::host
