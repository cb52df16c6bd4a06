// The grammar of mdb's command language (modapi.md §16.4–16.5). One call parses one statement;
// expressions are evaluated while they are parsed, as mdb's yacc grammar does, so a statement
// sees dot and the variables the previous statement left.
#pragma once

#include <sys/mdb_modapi.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lang_lexer.hpp"
#include "mdbsim/host/session.hpp"

namespace mdbsim::host::lang {

struct Arg {
    mdb_type_t type = MDB_TYPE_STRING;
    std::string str;
    uint64_t value = 0;
    char ch = 0;
};

struct Stage {
    enum class Kind { dcmd, shell } kind = Kind::dcmd;
    Dcmd dcmd;           // a copy: an ::unload in an earlier stage cannot pull it away
    std::string verb;    // as written, for messages
    std::vector<Arg> args;
    std::string shell;   // the shell command of a shell stage
    bool reads_back = false;  // `!< cmd` ending a pipeline: its output is read as debugger input
};

struct Statement {
    enum class Kind {
        eof,          // no more input
        empty,        // `T` alone
        pipeline,     // [addr][,count] stage | stage ...
        expr_only,    // `expr T`, `expr,count T`, `,count T`
        shell_input,  // `!< cmd`
    } kind = Kind::eof;
    std::optional<uint64_t> addr;
    std::optional<uint64_t> count;
    std::vector<Stage> stages;
    std::string command;  // for shell_input
};

class Parser {
public:
    Parser(Session& s, Lexer& lx) : s_(s), lx_(lx) {}

    // Parses the next statement. Throws ParseError (grammar, lexical) or CommandAbort (a failed
    // dereference, an unknown dcmd, an arithmetic error).
    Statement statement();
    // Whether the statement parsed last (or the one that failed) consumed its terminator.
    bool terminated() const { return terminated_; }

    // One `expr T` line read from a pipe: the value, or nothing for an empty line.
    std::optional<uint64_t> pipe_line();

private:
    uint64_t expression();
    uint64_t binary(int level);
    uint64_t unary();
    uint64_t primary();
    uint64_t dereference(char space, unsigned size, uint64_t addr);
    uint64_t variable(const std::string& name);

    void pipeline(Statement& st);
    Stage command();
    void arguments(Stage& stage);  // ARGLIST or FMTLIST items until the next non-argument
    uint64_t bracketed_expression();
    void expect_terminator();
    Dcmd lookup(const std::string& name, const std::string& verb);

    bool starts_expression(const Token& t) const;
    static bool starts_command(const Token& t);
    [[noreturn]] void syntax_error();
    [[noreturn]] void arith_error(const char* message);

    Session& s_;
    Lexer& lx_;
    int depth_ = 0;
    bool terminated_ = false;
};

}  // namespace mdbsim::host::lang
