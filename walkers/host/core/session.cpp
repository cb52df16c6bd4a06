// Session lifetime, the per-command frames (UM_GC blocks, walk records, the step budget) and
// SIGINT handling.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "builtins.hpp"
#include "host_internal.hpp"
#include "mdbsim/host/lang.hpp"
#include "mdbsim/host/output.hpp"

extern "C" {
// Target properties a dmod reads directly (modapi.md §2); the newest session sets them.
int mdb_prop_postmortem = 1;
int mdb_prop_kernel = 1;
}

namespace mdbsim::host {
namespace {

Session* g_current = nullptr;
volatile sig_atomic_t g_sigint = 0;

extern "C" void on_sigint(int) { g_sigint = 1; }

std::vector<std::string> default_module_path() {
    std::vector<std::string> path;
    if (const char* env = std::getenv("MDBSIM_MODPATH")) {
        std::string_view rest = env;
        while (!rest.empty()) {
            size_t colon = rest.find(':');
            std::string_view dir = rest.substr(0, colon);
            if (!dir.empty()) path.emplace_back(dir);
            if (colon == std::string_view::npos) break;
            rest.remove_prefix(colon + 1);
        }
    }
#ifdef MDBSIM_DMOD_DIR
    path.emplace_back(MDBSIM_DMOD_DIR);
#endif
    return path;
}

Output::Kind kind_of_fd(int fd) {
    return isatty(fd) ? Output::Kind::terminal : Output::Kind::file;
}

}  // namespace

Session::Session(sim::Target& target, SessionOptions opts)
    : target_(target), opts_(opts), module_path_(default_module_path()),
      cmd_(std::make_unique<CommandState>()) {
    prev_current_ = g_current;
    g_current = this;
    mdb_prop_kernel = opts_.kernel ? 1 : 0;
    mdb_prop_postmortem = opts_.kernel ? 1 : 0;
    cmd_->frames.emplace_back();

    if (kind_of_fd(1) == Output::Kind::terminal) {
        out_ = std::make_unique<Output>(*this, Output::Kind::terminal, Output::fd_sink(1), opts_.output_columns);
        err_ = std::make_unique<Output>(*this, kind_of_fd(2), Output::fd_sink(2), opts_.output_columns);
    } else {
        // Standard output to a file or a pipe collects whole lines and is written in large
        // pieces: at the end of every command (flush), when the buffer fills, and before
        // anything is written to standard error, so the two interleave as if unbuffered.
        auto buffer = std::make_shared<SinkBuffer>(Output::fd_sink(1));
        out_ = std::make_unique<Output>(*this, Output::Kind::file, buffer, opts_.output_columns);
        err_ = std::make_unique<Output>(*this, kind_of_fd(2), Output::fd_sink(2, buffer),
                                        opts_.output_columns);
    }
    lang_ = std::make_unique<Language>(*this);

    auto mdb = std::make_unique<Module>();
    mdb->name = "mdb";
    mdb->builtin = true;
    mdb->load_seq = next_seq_++;
    cmd_->tables[mdb.get()];
    modules_.push_back(std::move(mdb));

    register_module_builtins(*this);
    register_format_builtins(*this);
    register_language_builtins(*this);
    register_linked_walkers(*this);
}

Session::~Session() {
    // Walks and UM_GC blocks of unfinished commands first: their fini may call into modules.
    while (cmd_->frames.size() > 1) end_command();
    end_command();
    while (modules_.size() > 1) {
        std::string name = modules_.back()->name;
        if (unload_module(name) != 0) modules_.pop_back();
    }
    try {
        out_->flush();
        err_->flush();
    } catch (...) {
        // A sink that fails while the session goes away has nowhere left to report to.
    }
    if (g_current == this) g_current = prev_current_;
}

Session* Session::current() { return g_current; }

void Session::begin_command() {
    cmd_->frames.emplace_back();
    if (cmd_->frames.size() == 2) {
        cmd_->steps = 0;
        cmd_->budget_warned = false;
        g_sigint = 0;
    }
}

void Session::end_command() {
    CommandFrame frame = std::move(cmd_->frames.back());
    if (cmd_->frames.size() > 1)
        cmd_->frames.pop_back();
    else
        cmd_->frames.back() = CommandFrame{};

    // Walks left behind by an abort, oldest first, so an upper walk's fini runs before the fini
    // of the layers (created by its init) whose data it may point into.
    for (auto& rec : frame.walks) {
        WalkRecord& r = *rec;
        cmd_->live_walks.erase(&r.state);
        if (r.initialized && r.walker.fini) {
            try {
                r.walker.fini(&r.state);
            } catch (...) {
                // The command is already being abandoned; a failing fini cannot stop that.
            }
        }
    }
    for (void* block : frame.gc_blocks) std::free(block);
}

void* Session::gc_register(void* block) {
    if (block) cmd_->frames.back().gc_blocks.push_back(block);
    return block;
}

bool Session::interrupted() const { return g_sigint != 0; }

// Called from mdb_vread and the walk loop, so the throw often unwinds through a dmod's C frames;
// x86-64 gcc and clang emit unwind tables for C by default, which is what makes that safe.
void Session::check_interrupt() {
    if (g_sigint) {
        g_sigint = 0;
        throw CommandAbort{"interrupted", false};
    }
}

void Session::install_sigint_handler() {
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
}

std::unique_ptr<Output> Session::swap_out(std::unique_ptr<Output> o) {
    std::swap(out_, o);
    return o;
}

const sim::Symbol* Session::lookup_symbol(std::string_view name) const {
    size_t tick = name.rfind('`');
    if (tick == std::string_view::npos) return target_.symbols().lookup(name);
    std::string_view object = name.substr(0, tick);
    std::string_view sym = name.substr(tick + 1);
    if (object.empty()) return target_.symbols().lookup(sym);
    return target_.symbols().lookup(object, sym);
}

Module* calling_module(Session& s) {
    auto& st = SessionAccess::state(s);
    if (st.loading) return st.loading;
    if (!st.executing.empty() && st.executing.back()) return st.executing.back();
    return s.builtin_module();
}

void run_callbacks(Session& s, int cls) {
    auto& st = SessionAccess::state(s);
    // Copy: a callback may remove itself.
    std::vector<Callback> list;
    for (auto& cb : st.callbacks)
        if (cb->cls == cls) list.push_back(*cb);
    for (auto& cb : list) cb.func(cb.arg);
}

void Session::run_prompt_callbacks() { run_callbacks(*this, MDB_CALLBACK_PROMPT); }

}  // namespace mdbsim::host
