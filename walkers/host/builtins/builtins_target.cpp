// What a postmortem target cannot do, answered as mdb answers on a crash dump: execution control
// (:c :s :e :u :r and their names), breakpoints, watchpoints and traced events (there are none),
// registers and stacks (mdbsim's targets hold no threads or registers), process commands, and
// the odd adb compatibility verbs. Messages follow mdb_cmds.c and mdb_evset.c; the error texts
// are the EMDB_* ones mdb appends (EMDB_TGTNOTSUP: "operation not supported by target").
#include <sys/mdb_modapi.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "builtins.hpp"
#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"

namespace mdbsim::host {
namespace {



// mdb's cmd_notsup, for the builtins no kernel target implements.
int cmd_notsup(uintptr_t, uint_t, int, const mdb_arg_t*) {
    warn(current_session(), "command is not supported by current target\n");
    return DCMD_ERR;
}

// ---- registers and stacks ----

int cmd_regs(uintptr_t, uint_t flags, int argc, const mdb_arg_t*) {
    if (argc != 0 || (flags & DCMD_ADDRSPEC)) return DCMD_USAGE;
    errno = EMDB_NOREGS;
    mdb_warn("failed to get registers");
    return DCMD_ERR;
}

int cmd_stack(uintptr_t, uint_t, int argc, const mdb_arg_t* argv) {
    if (argc > 1 || (argc == 1 && argv[0].a_type == MDB_TYPE_STRING && argv[0].a_un.a_str[0] == '-'))
        return DCMD_USAGE;
    errno = EMDB_NOREGS;
    mdb_warn("failed to get current register set");
    return DCMD_ERR;
}

// ---- execution control ----

// illumos signal numbers by name (proc_str2sig accepts "SIGKILL", "KILL" or a number).
int signal_number(std::string_view name) {
    static const struct {
        const char* name;
        int number;
    } kSignals[] = {{"HUP", 1},    {"INT", 2},     {"QUIT", 3},   {"ILL", 4},     {"TRAP", 5},   {"ABRT", 6},
                    {"IOT", 6},    {"EMT", 7},     {"FPE", 8},    {"KILL", 9},    {"BUS", 10},   {"SEGV", 11},
                    {"SYS", 12},   {"PIPE", 13},   {"ALRM", 14},  {"TERM", 15},   {"USR1", 16},  {"USR2", 17},
                    {"CLD", 18},   {"CHLD", 18},   {"PWR", 19},   {"WINCH", 20},  {"URG", 21},   {"POLL", 22},
                    {"IO", 22},    {"STOP", 23},   {"TSTP", 24},  {"CONT", 25},   {"TTIN", 26},  {"TTOU", 27},
                    {"VTALRM", 28}, {"PROF", 29},  {"XCPU", 30},  {"XFSZ", 31},   {"WAITING", 32}, {"LWP", 33},
                    {"FREEZE", 34}, {"THAW", 35},  {"CANCEL", 36}, {"LOST", 37},  {"XRES", 38},  {"JVM1", 39},
                    {"JVM2", 40},  {"INFO", 41}};
    if (!name.empty() && name[0] >= '0' && name[0] <= '9') {
        char* end = nullptr;
        std::string s(name);
        long v = std::strtol(s.c_str(), &end, 10);
        return *end == '\0' && v > 0 && v < 74 ? static_cast<int>(v) : -1;
    }
    if (name.substr(0, 3) == "SIG") name.remove_prefix(3);
    for (const auto& sg : kSignals)
        if (name == sg.name) return sg.number;
    return -1;
}

// mdb's cmd_cont_common on a crash dump: the optional signal is checked, then posting it or
// resuming the target is an operation the target does not support.
int cont_common(uint_t flags, int argc, const mdb_arg_t* argv, const char* what) {
    if ((flags & DCMD_ADDRSPEC) || argc > 1) return DCMD_USAGE;
    int sig = 0;
    if (argc == 1) {
        if (argv[0].a_type == MDB_TYPE_STRING) {
            if ((sig = signal_number(argv[0].a_un.a_str)) == -1) {
                warn(current_session(), "invalid signal name -- %s\n", argv[0].a_un.a_str);
                return DCMD_USAGE;
            }
        } else {
            sig = static_cast<int>(argv[0].a_un.a_val);
        }
    }
    errno = EMDB_TGTNOTSUP;
    if (sig != 0)
        mdb_warn("failed to post signal %d", sig);
    else
        mdb_warn("failed to %s target", what);
    return DCMD_ERR;
}

int cmd_cont(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) { return cont_common(flags, argc, argv, "continue"); }
int cmd_next(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) { return cont_common(flags, argc, argv, "step (over)"); }
int cmd_step_out(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) { return cont_common(flags, argc, argv, "step (out)"); }

int cmd_step(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    const char* what = "single-step";
    if (argc > 0 && is_string(argv[0])) {
        std::string_view a = argv[0].a_un.a_str;
        const char* named = a == "out" ? "step (out)" : a == "branch" ? "step (branch)" : a == "over" ? "step (over)" : nullptr;
        if (named) {
            what = named;
            ++argv;
            --argc;
        }
    }
    return cont_common(flags, argc, argv, what);
}

int cmd_run(uintptr_t, uint_t flags, int, const mdb_arg_t*) {
    if (flags & DCMD_ADDRSPEC) return DCMD_USAGE;
    errno = EMDB_TGTNOTSUP;
    mdb_warn("failed to create new target");
    return DCMD_ERR;
}

// ---- breakpoints, watchpoints, traced events ----

// The event-property options every event dcmd takes (-c cmd -n count -dDestT, +dDestT) and, for
// ::wp, -rwx -l -L size. The rest are the event's operands. Returns false for DCMD_USAGE.
struct EventArgs {
    std::vector<mdb_arg_t> operands;
    bool rwx = false, l = false, L = false, i = false, o = false;
};

bool event_args(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv, EventArgs& ev) {
    if (flags & DCMD_ADDRSPEC) {
        mdb_arg_t a{};
        a.a_type = MDB_TYPE_IMMEDIATE;
        a.a_un.a_val = addr;
        ev.operands.push_back(a);
    }
    for (int k = 0; k < argc; ++k) {
        if (!is_string(argv[k])) {
            ev.operands.push_back(argv[k]);
            continue;
        }
        std::string_view a = argv[k].a_un.a_str;
        if (a.size() > 1 && a[0] == '+') {
            for (char c : a.substr(1))
                if (std::string_view("dDestT").find(c) == std::string_view::npos) {
                    warn(current_session(), "illegal option -- +%c\n", c);
                    return false;
                }
            continue;
        }
        if (a.size() > 1 && a[0] == '-') {
            for (size_t j = 1; j < a.size(); ++j) {
                const char c = a[j];
                if (c == 'c' || c == 'n' || c == 'L') {
                    if (j + 1 == a.size() && ++k >= argc) return false;
                    if (c == 'L') ev.L = true;
                    break;
                }
                switch (c) {
                case 'd': case 'D': case 'e': case 's': case 't': case 'T': break;
                case 'r': case 'w': case 'x': ev.rwx = true; break;
                case 'l': ev.l = true; break;
                case 'i': ev.i = true; break;
                case 'o': ev.o = true; break;
                default:
                    warn(current_session(), "illegal option -- %c\n", c);
                    return false;
                }
            }
            continue;
        }
        ev.operands.push_back(argv[k]);
    }
    return !ev.operands.empty();
}

std::string operand_text(const mdb_arg_t& a) {
    if (a.a_type == MDB_TYPE_STRING) return a.a_un.a_str;
    char buf[32];
    mdb_snprintf(buf, sizeof buf, "%#llr", static_cast<unsigned long long>(a.a_un.a_val));
    return buf;
}

int cmd_bp(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    EventArgs ev;
    if (!event_args(addr, flags, argc, argv, ev) || ev.i || ev.o || ev.rwx || ev.l || ev.L) return DCMD_USAGE;
    for (const mdb_arg_t& a : ev.operands) {
        errno = EMDB_TGTNOTSUP;
        mdb_warn("failed to add breakpoint at %s", operand_text(a).c_str());
    }
    return DCMD_ERR;
}

int cmd_wp(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    EventArgs ev;
    if (!event_args(current_session().dot, flags, argc, argv, ev) || ev.o || ev.i) return DCMD_USAGE;
    if (ev.operands.front().a_type != MDB_TYPE_IMMEDIATE) return DCMD_USAGE;
    if (!ev.rwx) {
        warn(current_session(), "at least one of -r, -w, or -x must be specified\n");
        return DCMD_USAGE;
    }
    errno = EMDB_TGTNOTSUP;
    mdb_warn("failed to set watchpoint at %p", reinterpret_cast<void*>(ev.operands.front().a_un.a_val));
    return DCMD_ABORT;
}

// :b, and :a :p :w (read, execute, write watchpoints) in adb's form.
int cmd_oldbp(uintptr_t, uint_t, int, const mdb_arg_t*) {
    errno = EMDB_TGTNOTSUP;
    mdb_warn("failed to add breakpoint");
    return DCMD_ERR;
}

int cmd_oldwp(uintptr_t, uint_t, int, const mdb_arg_t*) {
    errno = EMDB_TGTNOTSUP;
    mdb_warn("failed to add watchpoint");
    return DCMD_ABORT;
}

// ::sigbp (:t) ::sysbp ::fltbp: each operand is checked, then tracing it is not supported.
int trace_common(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv, const char* kind,
                 const char* invalid, int (*number)(std::string_view), bool allow_io) {
    EventArgs ev;
    if (!event_args(addr, flags, argc, argv, ev) || ev.l || ev.L || ev.rwx || (!allow_io && (ev.i || ev.o)) ||
        (ev.i && ev.o))
        return DCMD_USAGE;
    for (const mdb_arg_t& a : ev.operands) {
        int n;
        if (a.a_type == MDB_TYPE_STRING) {
            if ((n = number(a.a_un.a_str)) == -1) {
                warn(current_session(), "invalid %s name -- %s\n", invalid, a.a_un.a_str);
                continue;
            }
        } else {
            n = static_cast<int>(a.a_un.a_val);
        }
        errno = EMDB_TGTNOTSUP;
        mdb_warn("failed to trace %s %d", kind, n);
    }
    return DCMD_ERR;
}

int numeric_only(std::string_view name) {
    if (name.empty()) return -1;
    for (char c : name)
        if (c < '0' || c > '9') return -1;
    return std::atoi(std::string(name).c_str());
}

int cmd_sigbp(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    return trace_common(addr, flags, argc, argv, "signal", "signal", signal_number, false);
}
int cmd_sysbp(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    return trace_common(addr, flags, argc, argv, "system call", "system call", numeric_only, true);
}
int cmd_fltbp(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    return trace_common(addr, flags, argc, argv, "fault", "fault", numeric_only, false);
}

// No event can be created, so there is never one to list, change or delete.
int cmd_events(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    uint_t a = 0, v = 0;
    if ((flags & DCMD_ADDRSPEC) ||
        mdb_getopts(argc, argv, 'a', MDB_OPT_SETBITS, 1u, &a, 'v', MDB_OPT_SETBITS, 1u, &v, NULL) != argc)
        return DCMD_USAGE;
    Output& out = current_session().out();
    if (v)
        out.printf("   ID S TA HT LM %-40s %-21s\n%-17s%s\n", "Description", "Status", "", "Action");
    else
        out.printf("   ID S TA HT LM %-40s %-21s\n", "Description", "Action");
    out.printf("----- - -- -- -- %s%s --%s\n", "--------------------", "--------------------", "--------------------");
    return DCMD_OK;
}

int cmd_delete(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if (((flags & DCMD_ADDRSPEC) && argc > 0) || argc > 1) return DCMD_USAGE;
    bool specific = false;
    if (flags & DCMD_ADDRSPEC)
        specific = addr != 0;
    else if (argc == 0)
        specific = s.dot != 0;
    else if (argv[0].a_type == MDB_TYPE_STRING)
        specific = std::strcmp(argv[0].a_un.a_str, "all") != 0 && std::atoi(argv[0].a_un.a_str) != 0;
    else
        specific = argv[0].a_un.a_val != 0;
    if (specific) warn(s, "no traced events matched description\n");
    return DCMD_OK;
}

int cmd_zapall(uintptr_t, uint_t flags, int argc, const mdb_arg_t*) {
    if ((flags & DCMD_ADDRSPEC) || argc != 0) return DCMD_USAGE;
    return DCMD_OK;
}

int cmd_evset(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    EventArgs ev;
    if (!event_args(addr, flags, argc, argv, ev)) {
        if (ev.operands.empty()) warn(current_session(), "expected one or more event IDs to be specified\n");
        return DCMD_USAGE;
    }
    for (const mdb_arg_t& a : ev.operands) {
        const long id = a.a_type == MDB_TYPE_STRING ? std::atol(a.a_un.a_str) : static_cast<long>(a.a_un.a_val);
        errno = EMDB_NOSESPEC;
        mdb_warn("failed to modify event %ld", id);
    }
    return DCMD_ERR;
}

// ---- contexts and target modes ----

int cmd_context(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t*) {
    if (argc != 0 || !(flags & DCMD_ADDRSPEC)) return DCMD_USAGE;
    if (addr == 0) {
        current_session().out().printf("debugger context set to kernel\n");
        return DCMD_OK;
    }
    // The simulated dump holds kernel pages only (::status), so no process can be examined.
    warn(current_session(), "dump does not contain pages for proc %p\n", reinterpret_cast<void*>(addr));
    return DCMD_ERR;
}

int cmd_reopen(uintptr_t, uint_t, int argc, const mdb_arg_t*) {
    if (argc != 0) return DCMD_USAGE;
    current_session().target().set_writable(true);
    return DCMD_OK;
}

int cmd_dbmode(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    static uint64_t mode = 0;  // mdb's own debugging flags: kept and shown, nothing reads them
    if (argc > 1 || (argc != 0 && (flags & DCMD_ADDRSPEC))) return DCMD_USAGE;
    if (argc != 0 && !is_string(argv[0])) return DCMD_USAGE;
    if (flags & DCMD_ADDRSPEC) mode = addr;
    current_session().out().printf("debugging mode = 0x%04llx\n", static_cast<unsigned long long>(mode));
    return DCMD_OK;
}

int cmd_algol(uintptr_t, uint_t, int, const mdb_arg_t*) {
    current_session().out().printf(current_session().settings.adb ? "No algol 68 here\n" : "No adb here\n");
    return DCMD_OK;
}

int cmd_obey(uintptr_t, uint_t, int, const mdb_arg_t*) {
    current_session().out().printf(current_session().settings.adb ? "CHAPTER 1\n" : "No Language H here\n");
    return DCMD_OK;
}


void help_events() {
    current_session().out().puts(
        "Options:\n"
        "-a       show all events, including internal debugger events\n"
        "-v       show verbose display, including inactivity reason\n"
        "\nA postmortem target has no traced events: the list is always empty.\n");
}

}  // namespace

void register_target_builtins(Session& s) {
    static const mdb_dcmd_t dcmds[] = {
        // Registers and stacks: the kernel target's own versions, without registers to show.
        {"$?", nullptr, "print status and registers", cmd_regs, nullptr, nullptr},
        {"$r", nullptr, "print general-purpose registers", cmd_regs, nullptr, nullptr},
        {"regs", nullptr, "print general-purpose registers", cmd_regs, nullptr, nullptr},
        {"$c", "?[cnt]", "print stack backtrace", cmd_stack, nullptr, nullptr},
        {"$C", "?[cnt]", "print stack backtrace", cmd_stack, nullptr, nullptr},
        {"stack", "?[cnt]", "print stack backtrace", cmd_stack, nullptr, nullptr},
        {"stackregs", "?", "print stack backtrace and registers", cmd_stack, nullptr, nullptr},
        {"cpustack", "?[-v] [-c cpuid] [cnt]", "print stack backtrace for a specific CPU", cmd_stack, nullptr,
         nullptr},
        {"cpuregs", "?[-c cpuid]", "print general-purpose registers for a specific CPU", cmd_stack, nullptr,
         nullptr},
        // Process-target commands no kernel target implements.
        {"$i", nullptr, "print signals that are ignored", cmd_notsup, nullptr, nullptr},
        {"$l", nullptr, "print the representative thread's lwp id", cmd_notsup, nullptr, nullptr},
        {"$x", nullptr, "print floating point registers", cmd_notsup, nullptr, nullptr},
        {"$X", nullptr, "print floating point registers", cmd_notsup, nullptr, nullptr},
        {"$y", nullptr, "print floating point registers", cmd_notsup, nullptr, nullptr},
        {"$Y", nullptr, "print floating point registers", cmd_notsup, nullptr, nullptr},
        {"fpregs", nullptr, "print floating point registers", cmd_notsup, nullptr, nullptr},
        {":A", "?[core|pid]", "attach to process or core file", cmd_notsup, nullptr, nullptr},
        {"attach", "?[core|pid]", "attach to process or core file", cmd_notsup, nullptr, nullptr},
        {":i", ":", "ignore signal (delete all matching events)", cmd_notsup, nullptr, nullptr},
        {":k", nullptr, "forcibly kill and release target", cmd_notsup, nullptr, nullptr},
        {"kill", nullptr, "forcibly kill and release target", cmd_notsup, nullptr, nullptr},
        {":R", nullptr, "release the previously attached process", cmd_notsup, nullptr, nullptr},
        {"release", nullptr, "release the previously attached process", cmd_notsup, nullptr, nullptr},
        // Execution control.
        {":c", "[SIG]", "continue target execution", cmd_cont, nullptr, nullptr},
        {"cont", "[SIG]", "continue target execution", cmd_cont, nullptr, nullptr},
        {":e", "[SIG]", "step target over next instruction", cmd_next, nullptr, nullptr},
        {"next", "[SIG]", "step target over next instruction", cmd_next, nullptr, nullptr},
        {":s", "[SIG]", "single-step target to next instruction", cmd_step, nullptr, nullptr},
        {":S", nullptr, nullptr, cmd_step, nullptr, nullptr},
        {"step", "[ over | out ] [SIG]", "single-step target to next instruction", cmd_step, nullptr, nullptr},
        {":u", "[SIG]", "step target out of current function", cmd_step_out, nullptr, nullptr},
        {":r", "[ args ... ]", "run a new target process", cmd_run, nullptr, nullptr},
        {"run", "[ args ... ]", "run a new target process", cmd_run, nullptr, nullptr},
        // Breakpoints, watchpoints and traced events.
        {"bp", "?[+/-dDestT] [-c cmd] [-n count] sym ...", "breakpoint at the specified addresses or symbols",
         cmd_bp, nullptr, nullptr},
        {":b", ":[cmd...]", "breakpoint at the specified address", cmd_oldbp, nullptr, nullptr},
        {"wp", ":[+/-dDelstT] [-rwx] [-c cmd] [-n count] [-L size]", "set a watchpoint at the specified address",
         cmd_wp, nullptr, nullptr},
        {":a", ":[cmd...]", "set read access watchpoint", cmd_oldwp, nullptr, nullptr},
        {":p", ":[cmd...]", "set execute access watchpoint", cmd_oldwp, nullptr, nullptr},
        {":w", ":[cmd...]", "set write access watchpoint", cmd_oldwp, nullptr, nullptr},
        {"sigbp", "?[+/-dDestT] [-c cmd] [-n count] SIG ...", "stop on delivery of the specified signals", cmd_sigbp,
         nullptr, nullptr},
        {":t", "?[+/-dDestT] [-c cmd] [-n count] SIG ...", "stop on delivery of the specified signals", cmd_sigbp,
         nullptr, nullptr},
        {"sysbp", "?[+/-dDestT] [-io] [-c cmd] [-n count] syscall ...", "stop on entry or exit from system call",
         cmd_sysbp, nullptr, nullptr},
        {"fltbp", "?[+/-dDestT] [-c cmd] [-n count] fault ...", "stop on machine fault", cmd_fltbp, nullptr, nullptr},
        {"evset", "?[+/-dDestT] [-c cmd] [-n count] id ...", "set software event specifier attributes", cmd_evset,
         nullptr, nullptr},
        {"events", "[-av]", "list traced software events", cmd_events, help_events, nullptr},
        {"$b", "[-av]", "list traced software events", cmd_events, help_events, nullptr},
        {"delete", "?[id|all]", "delete traced software events", cmd_delete, nullptr, nullptr},
        {":d", "?[id|all]", "delete traced software events", cmd_delete, nullptr, nullptr},
        {":z", nullptr, "delete all traced software events", cmd_zapall, nullptr, nullptr},
        // Contexts, target modes, adb compatibility.
        {"$p", ":", "change debugger target context", cmd_context, nullptr, nullptr},
        {"context", ":", "change debugger target context", cmd_context, nullptr, nullptr},
        {"$W", nullptr, "re-open target in write mode", cmd_reopen, nullptr, nullptr},
        {"$D", "?[mode,...]", nullptr, cmd_dbmode, nullptr, nullptr},
        {"$a", nullptr, nullptr, cmd_algol, nullptr, nullptr},
        {"obey", nullptr, nullptr, cmd_obey, nullptr, nullptr},
        {"$%", nullptr, nullptr, cmd_quit, nullptr, nullptr},
        {"$Q", nullptr, "quit debugger", cmd_quit, nullptr, nullptr},
    };
    for (const mdb_dcmd_t& d : dcmds) s.registry().add_dcmd(s.registry().builtin_module(), d);
}

}  // namespace mdbsim::host
