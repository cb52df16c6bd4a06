// mdb's command language (modapi.md §§16–17): lexer, parser, expression evaluation, statements,
// pipelines with the flag rules of §9.1, shell escapes. Session::run and Session::eval delegate here.
#pragma once

#include <memory>
#include <string_view>

#include "mdbsim/host/session.hpp"

namespace mdbsim::host {

class Language {
public:
    explicit Language(Session& s);
    ~Language();

    // Runs debugger input of the given kind; returns 0, or -1 when a parse or fatal error ended it.
    int run(std::string_view text, Session::InputKind kind, std::string_view name);
    // mdb_eval: nested string input; returns 0 or -1 (errno EMDB_EVAL / EMDB_CANCEL).
    int eval(std::string_view cmd);

    // As run(), numbering lines from first_line: the program feeds standard input one line at
    // a time and keeps the line numbers of error messages running.
    int run(std::string_view text, Session::InputKind kind, std::string_view name, int first_line);

    // The language's own state (options, the command to repeat), for its built-in dcmds.
    struct Impl;
    Impl& impl() { return *impl_; }

private:
    Session& s_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mdbsim::host
