#include "lang_parser.hpp"

#include <cerrno>
#include <climits>
#include <cstring>

#include <fmt/format.h>

#include "mdbsim/mdb_errno.h"

namespace mdbsim::host::lang {

namespace {

constexpr uint64_t kSignBit = 1ULL << 63;

// Binary operators by precedence level, lowest first (§16.4). All are left-associative.
constexpr int kLevels = 8;
bool at_level(const Token& t, int level) {
    if (t.kind != Tok::op) return false;
    const std::string& o = t.text;
    switch (level) {
    case 1: return o == "|";
    case 2: return o == "^";
    case 3: return o == "&";
    case 4: return o == "==" || o == "!=";
    case 5: return o == "<<" || o == ">>";
    case 6: return o == "+" || o == "-";
    case 7: return o == "*" || o == "%" || o == "#";
    case 8: return o == "%%";
    default: return false;
    }
}

}  // namespace

[[noreturn]] void Parser::syntax_error() { throw ParseError{"syntax error", std::string(lx_.last_text()), lx_.line()}; }

[[noreturn]] void Parser::arith_error(const char* message) {
    throw ParseError{std::string(message) + "\n", std::string(lx_.last_text()), lx_.line()};
}

bool Parser::starts_expression(const Token& t) const {
    switch (t.kind) {
    case Tok::number:
    case Tok::dot:
    case Tok::variable:
    case Tok::deref:
        return true;
    case Tok::op:
        return t.text == "(" || t.text == "-" || t.text == "~" || t.text == "#" || t.text == "*" ||
               t.text == "%" || t.text == "+" || t.text == "^" || t.text == "&";
    default:
        return false;
    }
}

bool Parser::starts_command(const Token& t) {
    return t.kind == Tok::dcmd_verb || t.kind == Tok::old_verb || t.kind == Tok::fmt_verb ||
           t.kind == Tok::write_verb || t.kind == Tok::assign;
}

Statement Parser::statement() {
    terminated_ = false;
    depth_ = 0;
    Statement st;
    const Token& t = lx_.peek();
    if (t.kind == Tok::eof) {
        terminated_ = true;
        return st;
    }
    if (t.kind == Tok::end) {
        lx_.next();
        terminated_ = true;
        st.kind = Statement::Kind::empty;
        return st;
    }
    if (t.kind == Tok::shell_input) {
        st.kind = Statement::Kind::shell_input;
        st.command = lx_.next().text;
        expect_terminator();
        return st;
    }
    if (t.kind == Tok::shell) {
        st.kind = Statement::Kind::pipeline;
        pipeline(st);
        return st;
    }
    if (starts_expression(t)) st.addr = expression();
    if (lx_.peek().is_op(",")) {
        lx_.next();
        st.count = expression();
    }
    const Token& u = lx_.peek();
    if (starts_command(u)) {
        st.kind = Statement::Kind::pipeline;
        pipeline(st);
        return st;
    }
    if ((u.kind == Tok::end || u.kind == Tok::eof) && (st.addr || st.count)) {
        st.kind = Statement::Kind::expr_only;
        expect_terminator();
        return st;
    }
    syntax_error();
}

std::optional<uint64_t> Parser::pipe_line() {
    terminated_ = false;
    depth_ = 0;
    const Token& t = lx_.peek();
    if (t.kind == Tok::eof || t.kind == Tok::end) {
        expect_terminator();
        return std::nullopt;
    }
    if (!starts_expression(t)) syntax_error();
    uint64_t v = expression();
    expect_terminator();
    return v;
}

void Parser::expect_terminator() {
    const Token& t = lx_.peek();
    if (t.kind == Tok::end) {
        lx_.next();
        terminated_ = true;
        return;
    }
    if (t.kind == Tok::eof) {
        terminated_ = true;
        return;
    }
    syntax_error();
}

// stage ('|' stage)* with quote-delimited shell commands allowed as filters between stages and
// at the head; an unquoted shell command takes the rest of the line and must come last.
void Parser::pipeline(Statement& st) {
    for (;;) {
        const Token& t = lx_.peek();
        if (t.kind == Tok::shell) {
            if (!st.stages.empty() && st.stages.back().kind == Stage::Kind::shell) syntax_error();
            Token sh = lx_.next();
            Stage stage;
            stage.kind = Stage::Kind::shell;
            stage.verb.assign(1, '!');  // not = "!": see Parser::command
            stage.shell = std::move(sh.text);
            st.stages.push_back(std::move(stage));
            if (!sh.quoted) {
                expect_terminator();
                return;
            }
        } else if (starts_command(t)) {
            st.stages.push_back(command());
            if (lx_.peek().kind == Tok::shell) continue;
            if (lx_.peek().kind == Tok::shell_input) {
                // `pipeline !< cmd`: the pipeline's output through cmd, read back as input.
                Token sh = lx_.next();
                Stage stage;
                stage.kind = Stage::Kind::shell;
                stage.verb.assign("!<");
                stage.shell = std::move(sh.text);
                stage.reads_back = true;
                st.stages.push_back(std::move(stage));
                expect_terminator();
                return;
            }
        } else {
            syntax_error();
        }
        if (lx_.peek().is_op("|")) {
            lx_.next();
            if (!starts_command(lx_.peek())) syntax_error();
            continue;
        }
        expect_terminator();
        return;
    }
}

Dcmd Parser::lookup(const std::string& name, const std::string& verb) {
    const Dcmd* d = s_.registry().find_dcmd(name);
    if (!d) {
        int e = errno;
        if (e < EMDB_BASE) e = EMDB_NODCMD;
        throw ParseError{fmt::format("invalid command '{}': {}\n", verb, strerror_mdb(e)), std::string(lx_.last_text()), lx_.line()};
    }
    // The stage's copy, without the description that running a stage never reads (copying it
    // was a heap allocation per command).
    Dcmd copy;
    copy.name = d->name;
    copy.usage = d->usage;
    copy.func = d->func;
    copy.help = d->help;
    copy.tab = d->tab;
    copy.module = d->module;
    return copy;
}

Stage Parser::command() {
    Token v = lx_.next();
    Stage stage;
    switch (v.kind) {
    case Tok::dcmd_verb:
        stage.verb = "::" + v.text;
        stage.dcmd = lookup(v.text, stage.verb);
        arguments(stage);
        break;
    case Tok::old_verb:
        stage.verb = v.text;
        stage.dcmd = lookup(v.text, stage.verb);
        arguments(stage);
        break;
    case Tok::fmt_verb:
        stage.verb = std::string(1, v.ch);
        stage.dcmd = lookup(stage.verb, stage.verb);
        arguments(stage);
        break;
    case Tok::write_verb: {
        stage.verb = std::string(1, v.ch);
        stage.dcmd = lookup(stage.verb, stage.verb);
        Arg mode;
        mode.type = MDB_TYPE_CHAR;
        mode.ch = v.text.empty() ? 'v' : v.text[0];
        stage.args.push_back(mode);
        arguments(stage);
        break;
    }
    case Tok::assign: {
        stage.verb.assign(1, '>');  // not = ">": gcc 12 -Werror=restrict false positive (PR 105329)
        stage.dcmd = lookup(">", stage.verb);
        if (v.ch) {
            Arg cast;
            cast.type = MDB_TYPE_CHAR;
            cast.ch = v.ch;
            stage.args.push_back(cast);
        }
        arguments(stage);
        break;
    }
    default:
        syntax_error();
    }
    return stage;
}

void Parser::arguments(Stage& stage) {
    for (;;) {
        const Token& t = lx_.peek();
        Arg a;
        switch (t.kind) {
        case Tok::arg_string:
        case Tok::fmt_string:
            a.type = MDB_TYPE_STRING;
            a.str = lx_.next().text;
            break;
        case Tok::fmt_count:
            a.type = MDB_TYPE_IMMEDIATE;
            a.value = lx_.next().value;
            break;
        case Tok::fmt_char:
            a.type = MDB_TYPE_CHAR;
            a.ch = lx_.next().ch;
            break;
        case Tok::expr_open:
            a.type = MDB_TYPE_IMMEDIATE;
            a.value = bracketed_expression();
            break;
        default:
            return;
        }
        stage.args.push_back(std::move(a));
    }
}

uint64_t Parser::bracketed_expression() {
    lx_.next();  // "$["
    uint64_t v = expression();
    if (lx_.peek().kind != Tok::expr_close) syntax_error();
    lx_.next();
    return v;
}

uint64_t Parser::expression() { return binary(1); }

uint64_t Parser::binary(int level) {
    if (level > kLevels) return unary();
    uint64_t lhs = binary(level + 1);
    while (at_level(lx_.peek(), level)) {
        const std::string o = lx_.next().text;
        uint64_t rhs = binary(level + 1);
        const int64_t sl = static_cast<int64_t>(lhs), sr = static_cast<int64_t>(rhs);
        if (o == "|") lhs |= rhs;
        else if (o == "^") lhs ^= rhs;
        else if (o == "&") lhs &= rhs;
        else if (o == "==") lhs = lhs == rhs;
        else if (o == "!=") lhs = lhs != rhs;
        else if (o == "<<") lhs <<= (rhs & 63);
        else if (o == ">>") lhs >>= (rhs & 63);
        else if (o == "+") lhs += rhs;
        else if (o == "-") lhs -= rhs;
        else if (o == "*") lhs *= rhs;
        else if (o == "%") {
            if (rhs == 0) arith_error("attempted to divide by zero");
            if (sl == INT64_MIN && sr == -1) arith_error("divide overflow");
            lhs = static_cast<uint64_t>(sl / sr);
        } else if (o == "#") {
            if (rhs == 0) arith_error("attempted to divide by zero");
            const int64_t up = static_cast<int64_t>(lhs + rhs - 1);
            if (up == INT64_MIN && sr == -1) arith_error("divide overflow");
            lhs = static_cast<uint64_t>(up / sr) * rhs;
        } else if (o == "%%") {
            if (rhs == 0) arith_error("attempted to divide by zero");
            lhs %= rhs;
        }
    }
    return lhs;
}

uint64_t Parser::unary() {
    const Token& t = lx_.peek();
    if (t.kind == Tok::deref || (t.kind == Tok::op && (t.text == "-" || t.text == "~" || t.text == "#" ||
                                                       t.text == "*" || t.text == "%" || t.text == "("))) {
        if (++depth_ > Lexer::kMaxExprDepth) arith_error("expression is nested too deeply");
        Token op = lx_.next();
        uint64_t v;
        if (op.kind == Tok::deref) {
            v = dereference(op.ch, static_cast<unsigned>(op.value), unary());
        } else if (op.text == "(") {
            v = expression();
            if (!lx_.peek().is_op(")")) syntax_error();
            lx_.next();
        } else {
            uint64_t e = unary();
            if (op.text == "-") v = ~e + 1;
            else if (op.text == "~") v = ~e;
            else if (op.text == "#") v = e == 0;
            else v = dereference(op.text[0], 8, e);
        }
        --depth_;
        return v;
    }
    return primary();
}

uint64_t Parser::primary() {
    const Token& t = lx_.peek();
    switch (t.kind) {
    case Tok::number: return lx_.next().value;
    case Tok::dot: lx_.next(); return s_.dot;
    case Tok::variable: return variable(lx_.next().text);
    case Tok::op:
        if (t.text == "+") {
            lx_.next();
            uint64_t v = s_.dot + s_.increment;
            if ((v ^ s_.dot) & kSignBit) arith_error("'+' would cause '.' to overflow");
            return v;
        }
        if (t.text == "^") {
            lx_.next();
            if (s_.increment > s_.dot) arith_error("'^' would cause '.' to underflow");
            return s_.dot - s_.increment;
        }
        if (t.text == "&") {
            lx_.next();
            return s_.last_addr;
        }
        break;
    default:
        break;
    }
    syntax_error();
}

uint64_t Parser::variable(const std::string& name) {
    auto it = s_.variables.find(name);
    if (it == s_.variables.end())
        throw ParseError{fmt::format("variable '{}' is not defined\n", name), std::string(lx_.last_text()), lx_.line()};
    return it->second;
}

uint64_t Parser::dereference(char space, unsigned size, uint64_t addr) {
    uint64_t v = 0;  // little-endian host: the low bytes are filled, the rest stay zero
    int e = 0;
    if (space == '*') {
        s_.charge_work();
        sim::Fault f = s_.target().vmem().read(addr, &v, size);
        if (f) {
            if (f.addr == addr) {
                e = EMDB_NOMAP;
            } else {
                throw ParseError{fmt::format("failed to read from address {:x}: only {} of {} bytes could be read\n",
                                             addr, f.addr - addr, size),
                                 std::string(lx_.last_text()), lx_.line()};
            }
        }
    } else {
        errno = 0;
        if (mdb_fread(&v, size, addr) != static_cast<ssize_t>(size)) e = errno ? errno : EMDB_NOMAP;
    }
    if (e) throw ParseError{fmt::format("failed to read from address {:x}: {}\n", addr, strerror_mdb(e)), std::string(lx_.last_text()), lx_.line()};
    return v;
}

}  // namespace mdbsim::host::lang
