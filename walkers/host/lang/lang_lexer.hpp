// The lexer of mdb's command language (modapi.md §16.1–16.3). It keeps four lexical states:
// INITIAL, ARGLIST (after a dcmd verb, an old-style verb, `>` or a write verb), FMTLIST (after a
// format verb) and EXPR (inside `$[ ]`); mdb's fifth, SHELLCMD, needs no state here, because the
// command after `!` is scanned in one step.
// Numbers are converted and symbols looked up here, as mdb does, so a statement is lexed right
// before it runs and sees the radix the previous statement set.
#pragma once

#include "mdbsim/host/errors.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mdbsim::host::lang {

// A lexical or grammar error: the command is abandoned (§16.6). A message ending in '\n' is
// printed as is; otherwise the input position and the offending token are appended.
// The input does not parse (errors.hpp): reported with the line and the token near the error.
struct ParseError : HostError {
    std::string near;
    int line = 1;

    ParseError(std::string msg, std::string near_text, int line_no)
        : HostError(std::move(msg)), near(std::move(near_text)), line(line_no) {}
};

enum class State { initial, arglist, fmtlist, expr };

enum class Tok {
    eof,
    end,          // ';' or newline
    number,       // value: numbers, character constants, symbol values
    dot,          // '.'
    variable,     // text: name after '<'
    string,       // text: "..." outside an argument list
    op,           // text: + - * % # ~ ^ & | ( ) , == != << >> %% and stray characters
    deref,        // value: size; ch: '*' (virtual memory) or '%' (object file)
    dcmd_verb,    // text: name after "::"
    old_verb,     // text: "$d", ":c", "$<", "$<<", "$>", "$?" ...
    fmt_verb,     // ch: / \ ? @ =
    write_verb,   // ch: / \ ?; text: the mode letter (v w z W Z l L M)
    assign,       // ch: cast letter after ">/c/", or 0
    arg_string,   // text: one argument word, quotes removed
    expr_open,    // "$[" in an argument or format list
    expr_close,   // "]" closing it
    fmt_count,    // value: decimal repeat count
    fmt_char,     // ch: one format character
    fmt_string,   // text: "..." literal in a format list
    shell,        // text: shell command; quoted: it was written '...' or "..."
    shell_input,  // text: command after "!<", whose output is read as debugger input
};

const char* to_string(Tok t);

struct Token {
    Tok kind = Tok::eof;
    std::string text;
    uint64_t value = 0;
    char ch = 0;
    bool quoted = false;

    bool is_op(std::string_view o) const { return kind == Tok::op && text == o; }
};

struct LexContext {
    std::function<int()> radix;                                        // default: 16
    std::function<std::optional<uint64_t>(std::string_view)> symbol;   // default: none known
};

// Converts digits (with '_' separators, not first) in the given base. Throws ParseError with
// mdb's messages for an invalid digit or a value wider than 64 bits.
uint64_t digits_to_value(std::string_view digits, int base);

class Lexer {
public:
    Lexer(std::string_view text, LexContext ctx, int first_line = 1);

    Token next();
    const Token& peek();

    State state() const { return state_; }
    int line() const { return token_line_; }
    std::string_view last_text() const { return last_text_; }  // a piece of the text being lexed
    bool at_eof() const { return peeked_ ? peek_.kind == Tok::eof : pos_ >= text_.size(); }
    // After an error in file input: drop everything up to and including the next ';' or
    // newline (unless the token looked at last was that terminator), and start again in INITIAL.
    void skip_statement();

    // Tokens and nesting are bounded so no input can make the parser recurse without limit.
    static constexpr int kMaxExprDepth = 256;

private:
    Token lex();
    Token lex_initial(bool in_expr);
    std::optional<Token> lex_list_break(size_t start, char c);
    Token lex_arglist();
    Token lex_fmtlist();
    Token lex_number_or_symbol();
    Token lex_prefixed_number(int base);
    Token lex_char_constant();
    Token lex_shell();
    std::string scan_c_string(char quote);  // after the opening quote; handles C escapes
    [[noreturn]] void fail(std::string message) const;

    char at(size_t i) const { return i < text_.size() ? text_[i] : '\0'; }
    bool more() const { return pos_ < text_.size(); }
    void skip_blanks();
    void skip_comment();
    Token make(Tok k, size_t start);
    Token end_token(size_t start);

    std::string_view text_;
    LexContext ctx_;
    size_t pos_ = 0;
    int line_ = 1;
    int token_line_ = 1;
    State state_ = State::initial;
    State expr_return_ = State::initial;  // state to resume after "$[ ... ]"
    std::string_view last_text_;
    bool peeked_ = false;
    Token peek_;
};

}  // namespace mdbsim::host::lang
