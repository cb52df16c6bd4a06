// The command language's state and its executor (modapi.md §9.1, §16.5–16.8), shared by lang.cpp
// (input loop, error reporting), lang_exec.cpp (statements, pipelines) and builtins_lang.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "lang_lexer.hpp"
#include "lang_parser.hpp"
#include "mdbsim/host/lang.hpp"
#include "mdbsim/host/session.hpp"

namespace mdbsim::host {

struct Language::Impl {
    explicit Impl(Session& s) : s(s) {}

    Session& s;
    bool repeatlast = false;                // ::set -o repeatlast
    std::vector<lang::Stage> last_command;  // what a bare `expr T` repeats
    int depth = 0;                          // nested inputs: mdb_eval, $<, !<
    static constexpr int kMaxDepth = 64;

    // The input loop of Language::run.
    int run(std::string_view text, Session::InputKind kind, std::string_view name, int first_line);
    lang::LexContext lex_context();
    void report(const lang::ParseError& e, Session::InputKind kind, std::string_view name);

    // lang_exec.cpp
    void execute(lang::Statement& st, Session::InputKind kind);
    void run_pipeline(const std::vector<lang::Stage>& stages, std::optional<uint64_t> addr,
                      std::optional<uint64_t> count, Session::InputKind kind);
    int run_loop(const lang::Stage& st, uint64_t start, uint64_t n, uint_t flags);
    int run_piped(const lang::Stage& st, std::vector<uintptr_t> input, bool pipe_out,
                  const std::string& variable);
    int invoke(const lang::Stage& st, uint64_t addr, uint_t flags, uint64_t count);
    void read_addresses(const std::string& text, std::vector<uintptr_t>& out);
};

namespace lang {
// The text of a ParseError as mdb prints it (§16.6), "mdb: " included.
std::string format_parse_error(const ParseError& e, Session::InputKind kind, std::string_view name);
// C-style escapes for the `near "TOKEN"` part.
std::string escape_token(std::string_view text);
}  // namespace lang

}  // namespace mdbsim::host
