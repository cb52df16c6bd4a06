// Statement execution: dcmd loops with the flags of modapi.md §9.1, pipelines (§16.7), shell
// stages, repeat of the previous command.
#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>

#include "lang_impl.hpp"
#include "lang_shell.hpp"
#include "mdbsim/host/output.hpp"
#include "numbers.hpp"

namespace mdbsim::host {

namespace {

constexpr uint64_t kSignBit = 1ULL << 63;

bool stops_pipeline(int status) { return status == DCMD_USAGE || status == DCMD_ABORT; }

// Standard output of a stage that feeds another one: a pipe stream collecting the text. The
// previous stream comes back when the stage is done, or when an abort unwinds past it.
class CapturedOutput {
public:
    CapturedOutput(Session& s, std::string& text) : s_(s) {
        auto sink = [&text](std::string_view t) { text.append(t); };
        prev_ = s.swap_out(std::make_unique<Output>(s, Output::Kind::pipe, sink, s.out().columns()));
    }
    ~CapturedOutput() {
        if (prev_) s_.swap_out(std::move(prev_));
    }
    void finish() {
        s_.out().flush();
        s_.swap_out(std::move(prev_));
    }
    CapturedOutput(const CapturedOutput&) = delete;
    CapturedOutput& operator=(const CapturedOutput&) = delete;

private:
    Session& s_;
    std::unique_ptr<Output> prev_;
};

// The pipe state belongs to one pipeline: a nested mdb_eval starts with none.
class PipeScope {
public:
    explicit PipeScope(Session& s) : s_(s), saved_(std::move(s.pipe)) { s.pipe = {}; }
    ~PipeScope() { s_.pipe = std::move(saved_); }
    PipeScope(const PipeScope&) = delete;
    PipeScope& operator=(const PipeScope&) = delete;

private:
    Session& s_;
    PipeContext saved_;
};

[[noreturn]] void overflow_error() {
    throw lang::ParseError{"',' would cause '.' to overflow\n", {}, 0};
}

}  // namespace

void Language::Impl::execute(lang::Statement& st, Session::InputKind kind) {
    using K = lang::Statement::Kind;
    const bool can_repeat = kind != Session::InputKind::string && !last_command.empty();
    switch (st.kind) {
    case K::eof:
        return;
    case K::empty:
        if (repeatlast && can_repeat) {
            uint64_t next = s.dot + s.increment;
            if ((next ^ s.dot) & kSignBit) overflow_error();
            run_pipeline(std::vector<lang::Stage>(last_command), next, std::nullopt, kind);
        }
        return;
    case K::expr_only:
        if (!can_repeat) {
            if (st.addr) {
                s.dot = *st.addr;
                s.increment = 0;
            }
            return;
        }
        run_pipeline(std::vector<lang::Stage>(last_command), st.addr, st.count, kind);
        return;
    case K::shell_input: {
        std::string text;
        s.out().flush();
        lang::ShellRun how;
        how.output = [&text](std::string_view t) { text.append(t); };
        how.check = [this] { s.check_interrupt(); };
        if (lang::run_shell(st.command, how) < 0)
            throw CommandAbort{"failed to run shell command: " + st.command, false};
        run(text, Session::InputKind::file, st.command, 1);
        return;
    }
    case K::pipeline: {
        // What a bare `expr T` repeats, kept once the pipeline has run, whether it completed or
        // aborted: moved, not copied (its stages hold the dcmd's strings), since the statement
        // is not run again.
        struct KeepAfterwards {
            std::vector<lang::Stage>* from = nullptr;
            std::vector<lang::Stage>& to;
            ~KeepAfterwards() {
                if (from != nullptr) to = std::move(*from);
            }
        } keep{nullptr, last_command};
        if (depth == 1 && std::none_of(st.stages.begin(), st.stages.end(),
                                       [](const lang::Stage& g) { return g.kind == lang::Stage::Kind::shell; }))
            keep.from = &st.stages;
        run_pipeline(st.stages, st.addr, st.count, kind);
        return;
    }
    }
}

void Language::Impl::run_pipeline(const std::vector<lang::Stage>& stages, std::optional<uint64_t> addr,
                                  std::optional<uint64_t> count, Session::InputKind kind) {
    PipeScope pipe_scope(s);
    uint_t flags = 0;
    const uint64_t start = addr ? *addr : s.dot;
    const uint64_t n = count ? *count : 1;
    if (addr) flags |= DCMD_ADDRSPEC;
    if (count) flags |= DCMD_LOOP | DCMD_LOOPFIRST;

    std::vector<uintptr_t> input;  // addresses for the current stage, read from the one before
    std::string input_variable;    // set to each of them as the stage processes it (::walk NAME VAR)
    std::string text;              // output of the stage before a shell filter

    for (size_t i = 0; i < stages.size(); ++i) {
        const lang::Stage& st = stages[i];
        const lang::Stage* next = i + 1 < stages.size() ? &stages[i + 1] : nullptr;
        const bool feeds_shell = next && next->kind == lang::Stage::Kind::shell;
        const bool feeds_dcmd = next && !feeds_shell;

        std::string captured;
        PipeContext::Output piped;  // what this stage hands to the next dcmd stage

        if (st.kind == lang::Stage::Kind::shell) {
            lang::ShellRun how;
            how.check = [this] { s.check_interrupt(); };
            if (i > 0) how.input = &text;
            how.inherit_stdin = i == 0 && kind == Session::InputKind::terminal;
            if (next || st.reads_back) {
                how.output = [&captured](std::string_view t) { captured.append(t); };
            } else {
                // Passed on as it arrives: flush() writes out buffered standard output, so
                // the command's output keeps its place relative to its standard error.
                how.output = [this](std::string_view t) {
                    s.out().emit(t);
                    s.out().flush();
                };
            }
            s.out().flush();
            if (lang::run_shell(st.shell, how) < 0)
                throw CommandAbort{"failed to run shell command: " + st.shell, false};
            if (st.reads_back) {
                run(captured, Session::InputKind::file, st.shell, 1);
                return;
            }
        } else {
            int status;
            {
                std::optional<CapturedOutput> capture;
                if (next) capture.emplace(s, captured);
                if (feeds_dcmd) s.pipe.output.emplace();
                if (i == 0)
                    status = run_loop(st, start, n, flags | (next ? DCMD_PIPE_OUT : 0));
                else
                    status = run_piped(st, std::move(input), next != nullptr, input_variable);
                if (s.pipe.output) piped = std::move(*s.pipe.output);
                s.pipe.output.reset();
                s.out().implicit_newline();
                if (capture) capture->finish();
            }
            s.last_status = status;
            if (stops_pipeline(status)) return;
        }
        if (!next) return;
        if (feeds_shell) {
            text = std::move(captured);
            continue;
        }
        if (!piped.replaced) read_addresses(captured, piped.addrs);
        // An empty pipe: the next stage is not invoked at all (§16.7).
        if (piped.addrs.empty()) return;
        input = std::move(piped.addrs);
        input_variable = std::move(piped.variable);
    }
}

int Language::Impl::invoke(const lang::Stage& st, uint64_t addr, uint_t flags, uint64_t count) {
    std::vector<mdb_arg_t> argv(st.args.size());
    for (size_t i = 0; i < st.args.size(); ++i) {
        const lang::Arg& a = st.args[i];
        argv[i].a_type = a.type;
        switch (a.type) {
        case MDB_TYPE_STRING: argv[i].a_un.a_str = a.str.c_str(); break;
        case MDB_TYPE_IMMEDIATE: argv[i].a_un.a_val = a.value; break;
        case MDB_TYPE_CHAR: argv[i].a_un.a_char = a.ch; break;
        }
    }
    return s.invoke(st.dcmd, static_cast<uintptr_t>(addr), flags, static_cast<int>(argv.size()),
                    argv.empty() ? nullptr : argv.data(), count);
}

int Language::Impl::run_loop(const lang::Stage& st, uint64_t start, uint64_t n, uint_t flags) {
    int status = DCMD_OK;
    uint64_t addr = start;
    for (uint64_t k = 0; k < n; ++k) {
        if (k > 0) {
            addr = s.dot + s.increment;
            if ((addr ^ s.dot) & kSignBit) overflow_error();
            flags &= ~uint_t(DCMD_LOOPFIRST);
        }
        status = invoke(st, addr, flags, n);
        if (stops_pipeline(status)) break;
        s.check_interrupt();
    }
    return status;
}

int Language::Impl::run_piped(const lang::Stage& st, std::vector<uintptr_t> input, bool pipe_out,
                              const std::string& variable) {
    int status = DCMD_OK;
    // The list lives in the session's pipe context while the stage runs; a nested mdb_eval
    // moves the context away and back, so it is reached through s.pipe every time.
    s.pipe.input.emplace(PipeContext::Input{std::move(input), 0});
    uint_t flags = DCMD_ADDRSPEC | DCMD_LOOP | DCMD_LOOPFIRST | DCMD_PIPE | (pipe_out ? DCMD_PIPE_OUT : 0);
    for (size_t i = 0; i < s.pipe.input->addrs.size();) {
        s.pipe.input->pos = i;
        const uintptr_t addr = s.pipe.input->addrs[i];
        if (!variable.empty()) s.variables[variable] = addr;
        status = invoke(st, addr, flags, 1);
        flags &= ~uint_t(DCMD_LOOPFIRST);
        if (stops_pipeline(status)) break;
        s.check_interrupt();
        // mdb_get_pipe consumes the rest of the list by moving the position forward.
        i = std::max(i, s.pipe.input->pos) + 1;
    }
    s.pipe.input.reset();
    return status;
}

namespace {

// A line the fast path of read_addresses reads: "0x" and 1..16 hex digits (a number in any
// radix), or, in radix 16, 1..16 hex digits (a symbol if one has that name, else a number).
// Returns the digits, or nothing.
std::optional<std::string_view> plain_hex_line(std::string_view line, int radix) {
    bool prefixed = false;
    if (line.size() > 2 && line[0] == '0' && (line[1] == 'x' || line[1] == 'X')) {
        line.remove_prefix(2);
        prefixed = true;
    }
    if (line.empty() || line.size() > 16 || (!prefixed && radix != 16)) return std::nullopt;
    for (char c : line)
        if (!is_hex_digit(c)) return std::nullopt;
    return line;
}

}  // namespace

// Each line of a left stage's output is an `expr T` statement in pipe context (§16.7).
void Language::Impl::read_addresses(const std::string& text, std::vector<uintptr_t>& out) {
    // The output of ::walk and of most dcmds is one hex number per line. Such lines are read as
    // the lexer reads them — "0x" digits are a number; bare digits in radix 16 are a symbol if
    // one has that name (a word that starts with a letter), else a number — without building
    // tokens; anything else sends the whole text through the lexer.
    auto each_line = [&text](auto&& fn) {
        for (size_t pos = 0; pos < text.size();) {
            size_t end = text.find('\n', pos);
            if (end == std::string::npos) end = text.size();
            if (!fn(std::string_view(text.data() + pos, end - pos))) return false;
            pos = end + 1;
        }
        return true;
    };
    const int radix = s.radix;
    if (each_line([radix](std::string_view line) { return line.empty() || plain_hex_line(line, radix); })) {
        each_line([&](std::string_view line) {
            if (line.empty()) return true;
            const std::string_view digits = *plain_hex_line(line, radix);
            uint64_t v = 0;
            const sim::Symbol* sym = nullptr;
            if (digits.size() == line.size() && !(digits[0] >= '0' && digits[0] <= '9'))
                sym = s.lookup_symbol(digits);
            v = sym != nullptr ? sym->value() : parse_digits(digits, 16).value;  // at most 16 digits: fits
            out.push_back(static_cast<uintptr_t>(v));
            s.dot = v;
            return true;
        });
        return;
    }
    lang::Lexer lx(text, lex_context());
    lang::Parser parser(s, lx);
    while (!lx.at_eof()) {
        if (auto v = parser.pipe_line()) {
            out.push_back(static_cast<uintptr_t>(*v));
            s.dot = *v;
        }
    }
}

}  // namespace mdbsim::host
