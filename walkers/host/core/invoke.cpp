// dcmd invocation (modapi.md §§8–9): one call with DCMD_NEXT fall-through and usage text,
// mdb_call_dcmd, and the walk-and-invoke family mdb_pwalk_dcmd / mdb_fpwalk_dcmd.
#include <string>
#include <vector>

#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"

namespace mdbsim::host {
namespace {

// Keeps the "calling module" right while a dcmd runs, also when it is abandoned by an abort.
class ExecutingModule {
public:
    ExecutingModule(Session& s, Module* m) : st_(s.command_state()) { st_.executing.push_back(m); }
    ~ExecutingModule() { st_.executing.pop_back(); }
    ExecutingModule(const ExecutingModule&) = delete;
    ExecutingModule& operator=(const ExecutingModule&) = delete;

private:
    Session::CommandState& st_;
};

// One call of a dcmd's function: charged to the command's budget (a repeat count or a pipeline
// cannot loop unbounded), with the activity set for stop messages, guarded against faults.
int call_one(Session& s, const Dcmd& d, uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    auto& st = s.command_state();
    ExecutingModule executing(s, d.module);
    ActivityScope running(st, Activity{&d, addr, nullptr, nullptr});
    charge_work_fast(s);
    return guarded(s, d.module, [&] { return d.func(addr, flags, argc, argv); });
}

}  // namespace

int Session::invoke(const Dcmd& d, uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv,
                    uint64_t count) {
    dot = addr;
    last_addr = addr;
    last_count = count;

    // The dcmd gets its own copy of the argument vector (§10.1).
    std::vector<mdb_arg_t> args;
    if (argv && argc > 0) args.assign(argv, argv + argc);
    int n = static_cast<int>(args.size());
    const mdb_arg_t* av = args.empty() ? nullptr : args.data();

    const Dcmd* current = &d;
    int rc = call_one(*this, *current, addr, flags, n, av);
    if (rc == DCMD_NEXT) {
        auto defs = registry_.dcmd_definitions(d.name);
        size_t i = 0;
        // d may be a caller's copy: find its definition by module.
        while (i < defs.size() && defs[i]->module != d.module) ++i;
        for (++i; rc == DCMD_NEXT && i < defs.size(); ++i) {
            current = defs[i];
            if (n > 0) args.assign(argv, argv + n);
            av = args.empty() ? nullptr : args.data();
            rc = call_one(*this, *current, addr, flags, n, av);
        }
        if (rc == DCMD_NEXT) rc = DCMD_OK;
    }
    if (rc == DCMD_USAGE) print_usage(*current);
    last_status = rc;
    return rc;
}

void Session::print_usage(const Dcmd& d) {
    std::string line = "Usage: ";
    std::string_view usage = d.usage ? d.usage : "";
    bool old_style = !d.name.empty() && (d.name[0] == '$' || d.name[0] == ':');
    if (!usage.empty() && usage[0] == ':') {
        line += old_style ? "address" : "address::";
        usage.remove_prefix(1);
    } else if (!usage.empty() && usage[0] == '?') {
        line += old_style ? "[address]" : "[address]::";
        usage.remove_prefix(1);
    }
    line += d.name;
    line += ' ';
    line += usage;
    line += '\n';
    err().puts(line);
    if (d.help) err().puts("mdb: try '::help " + d.name + "' for more information\n");
    err().flush();
}

}  // namespace mdbsim::host

using namespace mdbsim::host;

namespace {

struct WalkDcmd {
    Session* session;
    const Dcmd* dcmd;
    int argc;
    const mdb_arg_t* argv;
    uint_t extra_flags;
    bool first = true;
};

int walk_dcmd_callback(uintptr_t addr, const void*, void* data) {
    auto* wd = static_cast<WalkDcmd*>(data);
    uint_t flags = DCMD_ADDRSPEC | DCMD_LOOP | wd->extra_flags;
    if (wd->first) flags |= DCMD_LOOPFIRST;
    wd->first = false;
    int rc = wd->session->invoke(*wd->dcmd, addr, flags, wd->argc, wd->argv);
    wd->session->out().implicit_newline();
    return (rc == DCMD_USAGE || rc == DCMD_ABORT) ? WALK_DONE : WALK_NEXT;
}

}  // namespace

extern "C" {

int mdb_fpwalk_dcmd(const char* wname, const char* dcname, int argc, const mdb_arg_t* argv,
                    uintptr_t addr, uint_t flags) {
    Session* s = Session::current();
    if (!s) return set_errno(EMDB_NOPROC);
    if (!wname || !dcname || argc < 0) return set_errno(EINVAL);
    const Dcmd* d = s->registry().find_dcmd(dcname);
    if (!d) return -1;
    if (!s->registry().find_walker(wname)) return -1;
    WalkDcmd wd{s, d, argc, argv, flags};
    return s->walk(wname, walk_dcmd_callback, &wd, addr);
}

int mdb_pwalk_dcmd(const char* wname, const char* dcname, int argc, const mdb_arg_t* argv,
                   uintptr_t addr) {
    return mdb_fpwalk_dcmd(wname, dcname, argc, argv, addr, 0);
}

int mdb_walk_dcmd(const char* wname, const char* dcname, int argc, const mdb_arg_t* argv) {
    return mdb_fpwalk_dcmd(wname, dcname, argc, argv, 0, 0);
}

int mdb_call_dcmd(const char* name, uintptr_t dot, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session* s = Session::current();
    if (!s) return set_errno(EMDB_NOPROC);
    if (!name || argc < 0) return set_errno(EINVAL);
    const Dcmd* d = s->registry().find_dcmd(name);
    if (!d) return -1;
    switch (s->invoke(*d, dot, flags, argc, argv)) {
    case DCMD_OK:
    case DCMD_NEXT:
        return 0;
    case DCMD_USAGE:
        return set_errno(EMDB_DCUSAGE);
    default:
        return set_errno(EMDB_DCFAIL);
    }
}

}  // extern "C"
