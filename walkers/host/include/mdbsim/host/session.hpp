// The mdb host: one debugging session over a sim::Target. It owns the module registry (dcmds and
// walkers, newest first), the walk engine, the per-command state (UM_GC blocks, active walks, the
// step budget), the debugger's variables and radix, and the two output streams. The C module API
// (mdb_vread, mdb_pwalk, ...) acts on Session::current().
//
// Its code is in walkers/host, one folder per subsystem: core/ (this class: lifetime, modules,
// walks, invocation), modapi/ (the C module API), output/ (output.hpp: mdb_printf and the format
// verbs), lang/ (lang.hpp: the command language), builtins/ (the built-in module's dcmds),
// types/ (types.hpp: the type system behind mdb_ctf_*) and print/ (the type dcmds).
#pragma once

#include <sys/mdb_modapi.h>

#include <csignal>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mdbsim/host/errors.hpp"
#include "mdbsim/host/modules.hpp"
#include "mdbsim/host/output.hpp"
#include "mdbsim/sim/target.hpp"

namespace mdbsim::host {

class Output;
class Language;
class TypeSystem;

// Legitimate work stays below it: the original kvm_mdb.c's ::kvm_mmuinfo, which walks the whole
// page AVL tree for every shadow-table entry, needs 611 million units on a 1 GiB guest (about
// 19 s); at 4 GiB it needs about 16 times that and so takes --step-budget 0 (README, "Budgets").
// A runaway command is stopped within about a minute.
inline constexpr uint64_t kDefaultStepBudget = 2'000'000'000;

struct SessionOptions {
    // Work units per command line (walk steps, dcmd invocations, target reads; 0: unlimited).
    // A walk step beyond it fails the walk; any further work stops the command (BudgetExhausted).
    uint64_t step_budget = kDefaultStepBudget;
    // Wall-clock limit per command line in seconds (0: none); checked as work is charged.
    double timeout_seconds = 0;
    // SIGSEGV/SIGBUS inside a dmod stops the command with DmodFault instead of ending the program
    // (fuzzing turns this off so that a crash stays a crash).
    bool recover_dmod_faults = true;
    uint64_t alloc_limit = 1ULL << 30;      // largest single mdb_alloc before the command aborts
    bool kernel = true;                     // mdb_prop_kernel / mdb_prop_postmortem
    int output_columns = 80;
};

// What a type name resolves to, as mdb_tab_complete_type's MDB_TABC_* flags filter it.
enum class TypeShape { other, structure, union_type, pointer, array };

// Type and member names for tab completion (mdb_tab_complete_type, mdb_tab_complete_member and
// the completion of ::print, ::sizeof, ::offsetof). While these are empty the session's type
// system (types(): the target's CTF, ::typedef's types) supplies the names; setting them
// replaces it (tests, or a type source of another kind).
struct TypeNameSource {
    // Calls each(name, shape) once for every type name the session knows ("struct kvm", "uint64_t").
    std::function<void(const std::function<void(std::string_view, TypeShape)>& each)> types;
    // Calls each(member) for every member of the named struct or union; false if there is no
    // such type.
    std::function<bool(std::string_view type, const std::function<void(std::string_view)>& each)> members;
};

// The pipeline stage the current dcmd runs in (§16.7): the addresses it reads and those it hands
// to the next stage. It owns both lists; the pipeline moves them in before a stage runs and out
// after, and a nested mdb_eval command starts with an empty context (its own pipeline).
// DCMD_PIPE: a stage's input addresses and the one being processed. mdb_get_pipe hands out the
// rest of the list and moves pos to its last address.
struct PipeInput {
    std::vector<uintptr_t> addrs;
    size_t pos = 0;
};
// When standard output feeds a dcmd stage: mdb_set_pipe fills addrs and sets replaced (the
// stage's text is then not read for addresses); ::walk NAME VAR names in variable the variable
// the next stage sets to each address it processes (modapi.md: `::walk` with `var`).
struct PipeOutput {
    std::vector<uintptr_t> addrs;
    bool replaced = false;
    std::string variable;
};
// Input and Output live at namespace scope because a nested struct with default member
// initialisers is not yet default-constructible inside its enclosing class, and clang then
// rejects std::optional<Nested>::emplace().
struct PipeContext {
    using Input = PipeInput;
    using Output = PipeOutput;
    std::optional<Input> input;
    std::optional<Output> output;
};

class Session {
public:
    // Standard output and error go where streams says: the process's descriptors 1 and 2 unless
    // the caller gives other sinks (SessionStreams::capture for tests).
    explicit Session(sim::Target& target, SessionOptions opts = {},
                     SessionStreams streams = SessionStreams::standard());
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // The session the C module API acts on: the most recently constructed one still alive
    // (whatever order sessions are destroyed in); null when there is none.
    static Session* current();

    sim::Target& target() { return target_; }
    const SessionOptions& options() const { return opts_; }
    SessionOptions& options() { return opts_; }

    // ---- loading modules (core/loader.cpp) ----
    // Loads a dmod from a shared object; module name = basename minus ".so". Warns and returns -1
    // on failure, exactly as modapi.md §3.
    int load_module(const std::string& path, bool global_scope = false);
    int unload_module(const std::string& name);
    // Registers a module whose code is linked into the host (genunix, unix, or a test's module).
    int add_linked_module(const std::string& name, const mdb_modinfo_t* (*init)(void),
                          void (*fini)(void) = nullptr);
    // The modules, their dcmds, walkers and callbacks, and lookup (modules.hpp).
    ModuleRegistry& registry() { return registry_; }
    const ModuleRegistry& registry() const { return registry_; }

    // ---- invocation (core/invoke.cpp, core/walk.cpp) ----
    // One dcmd invocation with dot = addr: DCMD_NEXT falls through to older definitions, and
    // DCMD_USAGE prints the usage line (§9.2). Sets &, dot and the last count.
    int invoke(const Dcmd& d, uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv,
               uint64_t count = 1);
    void print_usage(const Dcmd& d);
    // The walk engine (§6): returns 0 or -1 with errno set.
    int walk(std::string_view walker, mdb_walk_cb_t cb, void* data, uintptr_t addr);

    // ---- per-command lifetime ----
    // What the core keeps about running commands: frames of UM_GC blocks and walk records, the
    // live walks, the modules executing, the activity for stop messages, the work budget.
    // Defined in core/host_internal.hpp; opaque to everything outside the core.
    struct CommandState;
    CommandState& command_state() { return *cmd_; }
    // Brackets one command line: UM_GC blocks and walk records are released at end_command(),
    // whether it completed or was aborted; the step budget restarts at begin_command().
    void begin_command();
    void end_command();
    void* gc_register(void* block);
    bool interrupted() const;      // SIGINT arrived during this command
    bool in_command() const;       // between begin_command() and end_command()
    void check_interrupt();        // throws Interrupted if so (and CommandTimedOut past the limit)
    void install_sigint_handler(); // SIGINT aborts the running command, not the program
    // Charges one unit of work (a target read, a dcmd invocation) to the running command and
    // checks ^C and the time limit: throws BudgetExhausted, CommandTimedOut or Interrupted.
    void charge_work();
    // Units charged to the running (or last) command, and whether it, or any command of the
    // last top-level run(), ran out of budget.
    uint64_t work_done() const;
    bool budget_exhausted() const;
    // Where the command is: the innermost dcmd and walker running, for stop messages.
    StopSite stop_site() const;
    // Faults in dmods this session recovered from (the input loop counts them; the program
    // ends non-interactive input with a failure status after one).
    unsigned recovered_faults() const { return recovered_faults_; }
    void note_recovered_fault() { ++recovered_faults_; }
    // Runs the MDB_CALLBACK_PROMPT callbacks dmods registered; the prompt calls it before each read.
    void run_prompt_callbacks();

    // ---- debugger state ----
    uint64_t dot = 0;
    uint64_t increment = 0;   // loop increment, set by format verbs, reset by mdb_set_dot
    uint64_t last_addr = 0;   // value of the `&` primary
    uint64_t last_count = 1;
    int radix = 16;
    int last_status = 0;      // status of the last dcmd invocation (exit status under -e)
    bool autowrap = false;    // ::set -o autowrap
    TypeNameSource type_names;  // for tab completion; see TypeNameSource
    // The other debugger properties ::set shows and changes (mdb's option names). The prompt
    // and its pager read `prompt` and `pager`; the rest are kept and shown as mdb keeps them.
    struct Settings {
        std::string prompt = "> ";             // $P, ::set -P
        bool pager = true;                     // ::set -o pager / +o pager: page a terminal's output
        bool adb = false, ignoreeof = false, latest = false, noctf = false, nomods = false;
        bool showlmid = false, lmraw = false, stop_on_bpt_nosym = false, write_readback = false;
        bool allow_io_access = false, nostop = false, force_attach = false;
        static constexpr unsigned kNoLimit = ~0u;
        unsigned array_mem_limit = 256;        // ::set -o array_mem_limit=N|none
        unsigned array_str_limit = 256;        // ::set -o array_str_limit=N|none
        std::string follow_exec_mode = "ask";  // ask, stop, follow
        std::string follow_fork_mode = "ask";  // ask, parent, child
        std::string term;                      // ::set -o term=TYPE; empty: from $TERM
        uint64_t symdist = 0;                  // $s, ::set -s: 0 is mdb's "smart mode"
        std::vector<std::string> macro_path;   // ::set -I: where $< and $<< look
        std::set<std::string, std::less<>> tagged_variables;  // ::typeset -t; ::vars -t lists them
        std::string log_path;                  // ::log FILE, $> FILE
        bool log_enabled = false;
        std::shared_ptr<void> log_state;       // the open log and the streams it tees (::log)
        std::string dismode = "amd64";         // ::dismode, $V: the disassembler in use
        bool demangler_loaded = false;         // ::dem or $G loaded it (mdb loads it on first use)
        bool demangle = false;                 // $G: symbol names are shown demangled
        unsigned demangle_flags = 0x2;         // $g: MDB_DM_* bits; mdb starts with scopes shown
    } settings;
    std::map<std::string, uint64_t, std::less<>> variables;  // "0", "9", "b", user variables ...
    PipeContext pipe;

    // ---- output (output/) ----
    Output& out() { return *out_; }
    Output& err() { return *err_; }
    // Replace standard output for a pipeline stage; returns the previous one.
    std::unique_ptr<Output> swap_out(std::unique_ptr<Output> o);
    // mdb_printf's compiled formats (output_printf.cpp): one cache per session, made on first use.
    struct PrintfPlans;
    PrintfPlans& printf_plans();

    // ---- types (types/, mdbsim/host/types.hpp) ----
    // The target's and the dmods' CTF, opened on first use.
    TypeSystem& types();
    // The target's CTF was replaced (a harness moving one session between targets of different
    // layouts): the types are opened again on next use, and ids handed out before are void.
    void target_types_changed();

    // ---- command language (lang/) ----
    Language& language() { return *lang_; }
    // Runs debugger input. kind: how `expr T` and errors behave (§16.5, §16.6).
    enum class InputKind { string, file, terminal };
    // Returns 0 on success, -1 when a parse or fatal error ended the input.
    int run(std::string_view text, InputKind kind, std::string_view name = "(string)");
    // mdb_eval: nested command context; dot changes propagate back.
    int eval(std::string_view cmd);

    // Symbol helpers shared by %a, the lexer and mdb_lookup_by_*. Both search the private
    // symbol table (::nmadd) first, as mdb does, then the target's.
    const sim::Symbol* lookup_symbol(std::string_view name) const;  // handles obj`name
    // exact: st_value == addr; else the closest at or below addr that contains it (a zero-sized
    // symbol contains every address above it), as SymbolTable::lookup_by_addr.
    const sim::Symbol* lookup_symbol_by_addr(uint64_t addr, bool exact) const;
    // mdb's private symbol table: ::nmadd adds, ::nmdel removes, ::nm -P lists (object "mdb").
    std::vector<sim::Symbol> private_symbols;

private:
    sim::Target& target_;
    SessionOptions opts_;
    ModuleRegistry registry_;
    std::unique_ptr<Output> out_;
    std::unique_ptr<Output> err_;
    std::unique_ptr<Language> lang_;
    std::unique_ptr<CommandState> cmd_;
    unsigned recovered_faults_ = 0;
    std::unique_ptr<PrintfPlans, void (*)(PrintfPlans*)> printf_plans_{nullptr, nullptr};
    std::unique_ptr<TypeSystem, void (*)(TypeSystem*)> types_{nullptr, nullptr};
};

// Set by the SIGINT handler until the running command is stopped; the output engine reads it
// at every line, so it is a plain flag.
extern volatile std::sig_atomic_t sigint_pending;

// Set errno as illumos' mdb does and return -1 (helper for API functions).
int set_errno(int e);
// Text of an error number: EMDB_* table, illumos libc texts below 1000 ("unknown error" otherwise).
const char* strerror_mdb(int e);

}  // namespace mdbsim::host
