#include "lang_lexer.hpp"

#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "numbers.hpp"

namespace mdbsim::host::lang {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) { return is_hex_digit(c); }
bool is_symbol_start(char c) { return is_alpha(c) || c == '_' || c == '.'; }
bool is_symbol_char(char c) { return is_symbol_start(c) || is_digit(c) || c == '`'; }
bool is_terminator(char c) { return c == ';' || c == '\n'; }

// Characters that end an ARGLIST word (§16.3); quotes are embedded, not terminators.
bool ends_word(char c) { return is_blank(c) || c == '\n' || c == ';' || c == '!' || c == '|' || c == '$'; }

bool valid_first_digit(char c, int base) { return digit_value(c) < base; }

// The character after `$` or `:` that makes an old-style verb (§16.2).
bool is_old_verb_char(char c) {
    return is_alpha(c) || c == '?' || c == '%' || c == '@' || c == '^' || c == '_' || c == '`';
}

std::optional<unsigned> cast_size(char c) {
    switch (c) {
    case 'c': case '1': return 1;
    case 's': case '2': return 2;
    case 'i': case '4': return 4;
    case 'l': case '8': return 8;
    default: return std::nullopt;
    }
}

// mdb's conversion of C escapes in a double-quoted shell command: \a \b \f \n \r \t \v, up
// to three octal digits, \" and \\; a backslash before anything else stays with it.
std::string convert_escapes(std::string_view in) {
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '\\' || i + 1 >= in.size()) {
            out += in[i];
            continue;
        }
        const char e = in[++i];
        switch (e) {
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        case '"': case '\\': out += e; break;
        default:
            if (e >= '0' && e <= '7') {
                unsigned v = unsigned(e - '0');
                for (int k = 1; k < 3 && i + 1 < in.size() && in[i + 1] >= '0' && in[i + 1] <= '7'; ++k)
                    v = v * 8 + unsigned(in[++i] - '0');
                out += char(v & 0xff);
            } else {
                out += '\\';
                out += e;
            }
        }
    }
    return out;
}

// Inside a quoted shell command \' is a literal single quote.
std::string unescape_single_quotes(std::string_view in) {
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '\\' && i + 1 < in.size() && in[i + 1] == '\'') ++i;
        out += in[i];
    }
    return out;
}

bool is_write_mode(char c) { return std::strchr("vwzWZlLM", c) != nullptr && c != '\0'; }

}  // namespace

const char* to_string(Tok t) {
    switch (t) {
    case Tok::eof: return "end of input";
    case Tok::end: return "end of statement";
    case Tok::number: return "number";
    case Tok::dot: return "dot";
    case Tok::variable: return "variable";
    case Tok::string: return "string";
    case Tok::op: return "operator";
    case Tok::deref: return "dereference";
    case Tok::dcmd_verb: return "dcmd";
    case Tok::old_verb: return "verb";
    case Tok::fmt_verb: return "format verb";
    case Tok::write_verb: return "write verb";
    case Tok::assign: return "assignment";
    case Tok::arg_string: return "argument";
    case Tok::expr_open: return "$[";
    case Tok::expr_close: return "]";
    case Tok::fmt_count: return "count";
    case Tok::fmt_char: return "format character";
    case Tok::fmt_string: return "format string";
    case Tok::shell: return "shell command";
    case Tok::shell_input: return "shell input";
    }
    return "token";
}

uint64_t digits_to_value(std::string_view digits, int base) {
    const ParsedDigits d = parse_digits(digits, base);
    switch (d.error) {
    case ParsedDigits::Error::bad_digit:
        throw ParseError{fmt::format("digit '{}' is invalid in current base\n", d.bad), {}, 0};
    case ParsedDigits::Error::overflow:
        throw ParseError{"specified value exceeds maximum immediate value\n", {}, 0};
    case ParsedDigits::Error::none: break;
    }
    return d.value;
}

Lexer::Lexer(std::string_view text, LexContext ctx, int first_line)
    : text_(text), ctx_(std::move(ctx)), line_(first_line), token_line_(first_line) {}

void Lexer::fail(std::string message) const { throw ParseError{std::move(message), std::string(last_text_), token_line_}; }

const Token& Lexer::peek() {
    if (!peeked_) {
        peek_ = lex();
        peeked_ = true;
    }
    return peek_;
}

Token Lexer::next() {
    if (peeked_) {
        peeked_ = false;
        return std::move(peek_);
    }
    return lex();
}

void Lexer::skip_statement() {
    const bool at_terminator = peeked_ && (peek_.kind == Tok::end || peek_.kind == Tok::eof);
    peeked_ = false;
    state_ = State::initial;
    if (at_terminator) return;
    while (more()) {
        char c = text_[pos_++];
        if (c == '\n') ++line_;
        if (is_terminator(c)) break;
    }
    state_ = State::initial;
}

void Lexer::skip_blanks() {
    while (more() && is_blank(text_[pos_])) ++pos_;
}

void Lexer::skip_comment() {
    while (more() && text_[pos_] != '\n') ++pos_;
}

Token Lexer::make(Tok k, size_t start) {
    Token t;
    t.kind = k;
    last_text_ = text_.substr(start, pos_ - start);
    return t;
}

Token Lexer::end_token(size_t start) {
    Token t = make(Tok::end, start);
    if (text_[start] == '\n') ++line_;
    state_ = State::initial;
    return t;
}

Token Lexer::lex() {
    for (;;) {
        skip_blanks();
        token_line_ = line_;
        if (!more()) {
            last_text_ = {};
            return Token{};
        }
        // `//` starts a comment everywhere but inside `$[ ]`.
        if (state_ != State::expr && text_[pos_] == '/' && at(pos_ + 1) == '/') {
            skip_comment();
            continue;
        }
        switch (state_) {
        case State::initial: return lex_initial(false);
        case State::expr: return lex_initial(true);
        case State::arglist: return lex_arglist();
        case State::fmtlist: return lex_fmtlist();
        }
    }
}

Token Lexer::lex_initial(bool in_expr) {
    const size_t start = pos_;
    const char c = text_[pos_];
    const char n = at(pos_ + 1);

    auto op = [&](size_t len) {
        pos_ += len;
        Token t = make(Tok::op, start);
        t.text.assign(last_text_);
        return t;
    };

    if (is_terminator(c)) {
        ++pos_;
        return end_token(start);
    }
    if (c == '0' && n != '\0') {
        int base = 0;
        switch (n) {
        case 'i': case 'I': base = 2; break;
        case 'o': case 'O': base = 8; break;
        case 't': case 'T': base = 10; break;
        case 'x': case 'X': base = 16; break;
        default: break;
        }
        if (base != 0 && valid_first_digit(at(pos_ + 2), base)) return lex_prefixed_number(base);
    }
    if (is_hex(c) || is_symbol_start(c)) return lex_number_or_symbol();
    if (c == '\'') return lex_char_constant();
    if (c == '"') {
        ++pos_;
        std::string s = scan_c_string('"');
        Token t = make(Tok::string, start);
        t.text = std::move(s);
        return t;
    }

    // Operators that exist in both INITIAL and EXPR.
    if ((c == '=' && n == '=') || (c == '!' && n == '=') || (c == '<' && n == '<') ||
        (c == '>' && n == '>') || (c == '%' && n == '%'))
        return op(2);
    if (std::strchr("+-#~^&|(),", c) && c != '\0') return op(1);
    if ((c == '*' || c == '%') && n == '/' && at(pos_ + 3) == '/' && pos_ + 3 < text_.size()) {
        char castc = at(pos_ + 2);
        pos_ += 4;
        Token t = make(Tok::deref, start);
        auto size = cast_size(castc);
        if (!size) fail(fmt::format("invalid cast -- {}\n", last_text_));
        t.value = *size;
        t.ch = c;
        return t;
    }
    if (c == '*' || c == '%') return op(1);  // binary operator or 8-byte dereference
    if (c == '<') {
        size_t p = pos_ + 1;
        if (is_digit(at(p))) {
            p += 1;
        } else if (is_alpha(at(p)) || at(p) == '_') {
            while (p < text_.size() && (is_alpha(text_[p]) || is_digit(text_[p]) || text_[p] == '_')) ++p;
        } else {
            return op(1);
        }
        pos_ = p;
        Token t = make(Tok::variable, start);
        t.text.assign(last_text_.substr(1));
        return t;
    }

    if (in_expr) {
        if (c == ']') {
            ++pos_;
            Token t = make(Tok::expr_close, start);
            state_ = expr_return_;
            return t;
        }
        return op(1);  // verbs have no meaning inside $[ ]: the parser reports the token
    }

    if (c == '>') {
        ++pos_;
        char castc = 0;
        if (at(pos_) == '/' && at(pos_ + 2) == '/' && pos_ + 2 < text_.size()) {
            castc = at(pos_ + 1);
            pos_ += 3;
            if (!cast_size(castc)) {
                last_text_ = text_.substr(start, pos_ - start);
                fail(fmt::format("invalid cast -- {}\n", last_text_));
            }
        }
        Token t = make(Tok::assign, start);
        t.ch = castc;
        state_ = State::arglist;
        return t;
    }
    if (c == '/' || c == '\\' || c == '?' || c == '@' || c == '=') {
        ++pos_;
        if (c != '@' && c != '=') {
            size_t p = pos_;
            while (p < text_.size() && is_blank(text_[p])) ++p;
            if (p < text_.size() && is_write_mode(text_[p])) {
                pos_ = p + 1;
                Token t = make(Tok::write_verb, start);
                t.ch = c;
                t.text = std::string(1, text_[p]);
                state_ = State::arglist;
                return t;
            }
        }
        Token t = make(Tok::fmt_verb, start);
        t.ch = c;
        state_ = State::fmtlist;
        return t;
    }
    if (c == ':' && n == ':') {
        size_t p = pos_ + 2;
        if (is_symbol_start(at(p))) {
            while (p < text_.size() && is_symbol_char(text_[p])) ++p;
        }
        pos_ = p;
        Token t = make(Tok::dcmd_verb, start);
        t.text.assign(last_text_.substr(2));
        if (t.text.empty()) fail("syntax error");
        state_ = State::arglist;
        return t;
    }
    if (c == '$' || c == ':') {
        size_t len = 1;
        std::string name;
        if (c == '$' && n == '<' && at(pos_ + 2) == '<') {
            len = 3;
        } else if (c == '$' && (n == '<' || n == '>')) {
            len = 2;
        } else if (is_old_verb_char(n)) {
            len = 2;
        } else if (c == ':') {
            return op(1);
        }
        pos_ += len;
        Token t = make(Tok::old_verb, start);
        t.text.assign(len == 1 ? std::string_view("$?") : last_text_);
        state_ = State::arglist;
        return t;
    }
    if (c == '!') return lex_shell();
    return op(1);
}

Token Lexer::lex_prefixed_number(int base) {
    const size_t start = pos_;
    pos_ += 2;
    const size_t digits = pos_;
    while (more() && (is_hex(text_[pos_]) || text_[pos_] == '_')) ++pos_;
    // 0t digits '.' digits: a decimal float, taken as the bits of the IEEE-754 double.
    if (base == 10 && at(pos_) == '.' && is_digit(at(pos_ + 1))) {
        ++pos_;
        while (more() && (is_digit(text_[pos_]) || text_[pos_] == '_')) ++pos_;
        Token t = make(Tok::number, start);
        std::string plain;
        for (char ch : std::string_view(text_).substr(digits, pos_ - digits))
            if (ch != '_') plain += ch;
        for (char ch : plain)
            if (ch != '.' && !is_digit(ch)) fail(fmt::format("digit '{}' is invalid in current base\n", ch));
        double d = std::strtod(plain.c_str(), nullptr);
        std::memcpy(&t.value, &d, sizeof d);
        return t;
    }
    Token t = make(Tok::number, start);
    try {
        t.value = digits_to_value(text_.substr(digits, pos_ - digits), base);
    } catch (ParseError& e) {
        fail(e.message);
    }
    return t;
}

Token Lexer::lex_number_or_symbol() {
    const size_t start = pos_;
    size_t num_len = 0;
    if (is_hex(text_[pos_])) {
        size_t p = pos_ + 1;
        while (p < text_.size() && (is_hex(text_[p]) || text_[p] == '_')) ++p;
        num_len = p - pos_;
    }
    size_t sym_len = 0;
    if (is_symbol_start(text_[pos_])) {
        size_t p = pos_ + 1;
        while (p < text_.size() && is_symbol_char(text_[p])) ++p;
        sym_len = p - pos_;
    }
    auto lookup = [&](std::string_view name) -> std::optional<uint64_t> {
        if (!ctx_.symbol) return std::nullopt;
        return ctx_.symbol(name);
    };
    if (sym_len > num_len) {
        pos_ += sym_len;
        Token t = make(Tok::number, start);
        if (last_text_ == ".") {
            t.kind = Tok::dot;
            return t;
        }
        auto v = lookup(last_text_);
        if (!v) fail("failed to dereference symbol: unknown symbol name\n");
        t.value = *v;
        return t;
    }
    pos_ += num_len;
    Token t = make(Tok::number, start);
    if (is_alpha(last_text_[0])) {
        if (auto v = lookup(last_text_)) {
            t.value = *v;
            return t;
        }
    }
    const int base = ctx_.radix ? ctx_.radix() : 16;
    try {
        t.value = digits_to_value(last_text_, base);
    } catch (ParseError& e) {
        fail(e.message);
    }
    return t;
}

Token Lexer::lex_char_constant() {
    const size_t start = pos_;
    ++pos_;
    std::string bytes = scan_c_string('\'');
    Token t = make(Tok::number, start);
    if (bytes.size() > 8) fail("character constant may not exceed 8 bytes\n");
    for (unsigned char b : bytes) t.value = (t.value << 8) | b;
    return t;
}

std::string Lexer::scan_c_string(char quote) {
    const size_t start = pos_ - 1;
    std::string out;
    for (;;) {
        if (!more() || text_[pos_] == '\n') {
            last_text_ = text_.substr(start, pos_ - start);
            fail(quote == '"' ? "unterminated string" : "unterminated character constant");
        }
        char c = text_[pos_++];
        if (c == quote) return out;
        if (c != '\\') {
            out += c;
            continue;
        }
        if (!more()) continue;  // reported as unterminated on the next round
        char e = text_[pos_++];
        switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case 'x': {
            unsigned v = 0;
            int k = 0;
            while (k < 2 && more() && is_hex(text_[pos_])) v = v * 16 + unsigned(digit_value(text_[pos_++])), ++k;
            out += char(v);
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                unsigned v = unsigned(e - '0');
                int k = 1;
                while (k < 3 && more() && text_[pos_] >= '0' && text_[pos_] <= '7') v = v * 8 + unsigned(text_[pos_++] - '0'), ++k;
                out += char(v & 0xff);
            } else {
                out += e;
            }
        }
    }
}

// After `!` or `!<`, mdb's SHELLCMD state: a command whose first non-blank character is a quote
// runs to the matching quote on the same line ("syntax error: quote unmatched" otherwise) and
// lexing resumes after it; any other command runs to the next ';' or newline. In the quote body
// of '...' only \' is special (a literal single quote); "..." first has its C escapes converted
// as mdb's string tokens do (\" \\ \n octal ...; an unknown escape such as \$ is kept whole, so
// the shell sees it), then \' becomes a single quote.
Token Lexer::lex_shell() {
    const size_t start = pos_;
    ++pos_;
    const bool reads_back = at(pos_) == '<';
    if (reads_back) ++pos_;
    const Tok kind = reads_back ? Tok::shell_input : Tok::shell;
    skip_blanks();
    const char q = at(pos_);
    if (more() && (q == '\'' || q == '"')) {
        ++pos_;
        const size_t body = pos_;
        for (;;) {
            if (!more() || text_[pos_] == '\n') {
                last_text_ = text_.substr(start, pos_ - start);
                fail("syntax error: quote unmatched");
            }
            const char c = text_[pos_];
            if (c == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] != '\n') {
                pos_ += 2;
                continue;
            }
            if (c == q) break;
            ++pos_;
        }
        std::string cmd(text_.substr(body, pos_ - body));
        ++pos_;
        if (q == '"') cmd = convert_escapes(cmd);
        Token t = make(kind, start);
        t.text = unescape_single_quotes(cmd);
        t.quoted = true;
        state_ = State::initial;
        return t;
    }
    const size_t cmd = pos_;
    while (more() && !is_terminator(text_[pos_])) ++pos_;
    Token t = make(kind, start);
    t.text.assign(text_.substr(cmd, pos_ - cmd));
    state_ = State::initial;
    return t;
}

// What ends or leaves an argument or format list: a terminator, a pipe, a shell escape.
std::optional<Token> Lexer::lex_list_break(size_t start, char c) {
    if (is_terminator(c)) {
        ++pos_;
        return end_token(start);
    }
    if (c == '|') {
        ++pos_;
        Token t = make(Tok::op, start);
        // push_back rather than = "|": gcc 12 -O2 misreads the inlined assign as an overlapping
        // memcpy (-Werror=restrict, GCC PR 105329).
        t.text.push_back('|');
        state_ = State::initial;
        return t;
    }
    if (c == '!') return lex_shell();
    return std::nullopt;
}

Token Lexer::lex_arglist() {
    const size_t start = pos_;
    const char c = text_[pos_];
    if (auto t = lex_list_break(start, c)) return std::move(*t);
    if (c == '$') {
        if (at(pos_ + 1) == '[') {
            pos_ += 2;
            expr_return_ = state_;
            state_ = State::expr;
            return make(Tok::expr_open, start);
        }
        ++pos_;
        last_text_ = std::string_view("$");
        fail("syntax error");
    }
    std::string word;
    while (more() && !ends_word(text_[pos_])) {
        char ch = text_[pos_];
        if (ch == '\'') {
            ++pos_;
            size_t close = text_.find('\'', pos_);
            if (close == std::string_view::npos) {
                pos_ = text_.size();
                last_text_ = text_.substr(start);
                fail("unterminated quoted string");
            }
            for (size_t i = pos_; i < close; ++i)
                if (text_[i] == '\n') ++line_;
            word.append(text_.substr(pos_, close - pos_));
            pos_ = close + 1;
        } else if (ch == '"') {
            ++pos_;
            word += scan_c_string('"');
        } else {
            word += ch;
            ++pos_;
        }
    }
    Token t = make(Tok::arg_string, start);
    t.text = std::move(word);
    return t;
}

Token Lexer::lex_fmtlist() {
    const size_t start = pos_;
    const char c = text_[pos_];
    if (auto t = lex_list_break(start, c)) return std::move(*t);
    if (c == '$' && at(pos_ + 1) == '[') {
        pos_ += 2;
        expr_return_ = state_;
        state_ = State::expr;
        return make(Tok::expr_open, start);
    }
    if (is_digit(c)) {
        while (more() && is_digit(text_[pos_])) ++pos_;
        Token t = make(Tok::fmt_count, start);
        try {
            t.value = digits_to_value(last_text_, 10);
        } catch (ParseError& e) {
            fail(e.message);
        }
        return t;
    }
    if (c == '"') {
        ++pos_;
        std::string s = scan_c_string('"');
        Token t = make(Tok::fmt_string, start);
        t.text = std::move(s);
        return t;
    }
    ++pos_;
    Token t = make(Tok::fmt_char, start);
    t.ch = c;
    return t;
}

}  // namespace mdbsim::host::lang
