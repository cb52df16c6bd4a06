// The host's exceptions (docs/architecture.md, "Errors"). The module API reports errors as mdb
// does, through return values and errno; exceptions are only for what abandons more than one
// call: a command line, the input, or the session.
//
//   HostError                      every exception the host throws; what() is the message
//   ├── lang::ParseError           the input does not parse (lang_lexer.hpp): mdb's "syntax error"
//   │                              family, reported with the line and the token near it
//   ├── CommandAbort               a run-time error abandons the current command line (§16.6):
//   │   │                          mdb_strtoull failures, allocation limits, shell failures
//   │   └── CommandStop            abandons the whole command line even from inside a nested
//   │       │                      mdb_eval, and carries where it happened (StopSite)
//   │       ├── Interrupted        SIGINT (^C) during the command
//   │       ├── BudgetExhausted    the per-command work budget (--step-budget) is spent
//   │       ├── CommandTimedOut    the per-command time limit (--timeout) has passed
//   │       ├── PagerQuit          q (or a, ^C) at the pager's prompt: the rest of the output
//   │       │                      is dropped, without a message
//   │       └── DmodFault          SIGSEGV/SIGBUS inside a dmod (or host code a dmod called)
//   └── QuitRequest                $q / ::quit: ends the input with a status
#pragma once

#include <cstdint>
#include <exception>
#include <string>
#include <utility>

namespace mdbsim::host {

struct HostError : std::exception {
    std::string message;

    explicit HostError(std::string m = {}) : message(std::move(m)) {}
    const char* what() const noexcept override { return message.c_str(); }
};

// `reported`: the message has already been printed (by mdb_warn, say); the handler prints
// `message` only when it is false.
struct CommandAbort : HostError {
    bool reported = true;

    explicit CommandAbort(std::string m = {}, bool reported_already = true)
        : HostError(std::move(m)), reported(reported_already) {}
};

// Where a stop happened: the innermost dcmd and walker running, as the user named them.
struct StopSite {
    std::string dcmd;         // empty outside any dcmd
    std::string dcmd_module;
    uint64_t dcmd_addr = 0;
    std::string walker;       // empty outside any walk
    std::string walker_module;
    std::string phase;        // "init", "step" or "fini" of the walker
    uint64_t walk_addr = 0;
    std::string module;       // the module of the innermost of the two: the code that ran

    // "in walker 'genunix`avl' (init) at 0x1000, in dcmd 'kvm`kvm_mmuinfo' at 0x0" (the parts
    // that apply; the built-in module's names go without "mdb`").
    std::string describe() const;
};

struct CommandStop : CommandAbort {
    StopSite site;

    CommandStop(std::string m, StopSite where)
        : CommandAbort(std::move(m), false), site(std::move(where)) {}
};

struct Interrupted : CommandStop {
    using CommandStop::CommandStop;
};

struct BudgetExhausted : CommandStop {
    using CommandStop::CommandStop;
};

struct CommandTimedOut : CommandStop {
    using CommandStop::CommandStop;
};

struct PagerQuit : CommandStop {
    explicit PagerQuit(StopSite where) : CommandStop("output stopped at the pager's prompt", std::move(where)) {
        reported = true;  // mdb says nothing: the prompt is erased and the next one appears
    }
};

struct DmodFault : CommandStop {
    int signal = 0;
    uintptr_t fault_addr = 0;

    DmodFault(std::string m, StopSite where, int sig, uintptr_t addr)
        : CommandStop(std::move(m), std::move(where)), signal(sig), fault_addr(addr) {}
};

struct QuitRequest : HostError {
    int status = 0;

    explicit QuitRequest(int s = 0) : HostError("quit"), status(s) {}
};

}  // namespace mdbsim::host
