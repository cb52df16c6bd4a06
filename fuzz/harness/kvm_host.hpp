// The per-process fuzzing host for kvm dmods: one Session (and, on Unicorn, one engine) reused
// across inputs; per input a fresh scenario target is built, corrupted, swapped in behind the
// session, and every walker and dcmd of the dmod under test is run over it the way users pipe them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kvm_case.hpp"
#include "mdbsim/fixtures/scenarios.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/sim/target.hpp"

namespace mdbsim::fuzz {

struct HostConfig {
    sim::Backend backend = sim::Backend::flat;  // MDBSIM_FUZZ_BACKEND=flat|unicorn
    std::string dmod;                           // MDBSIM_FUZZ_DMOD, else our build's kvm.so
    bool external = false;                      // MDBSIM_FUZZ_DMOD was given
    // How static state inside the dmod is kept from leaking from one input into the next
    // (MDBSIM_FUZZ_DMOD_RESET): snapshot = its writable data segments are restored to their
    // state right after loading (the default for MDBSIM_FUZZ_DMOD); reload = ::unload + ::load
    // per input; none (the default for our dmod, which has no mutable static state).
    enum class Reset { snapshot, reload, none } reset = Reset::snapshot;
    uint64_t step_budget = 2'000'000;           // MDBSIM_FUZZ_STEP_BUDGET: walk steps per command
    bool guard = false;                         // MDBSIM_FUZZ_GUARD=0|1: guard-page mdb_alloc
    bool verbose = false;                       // MDBSIM_FUZZ_VERBOSE=1: print each case
    // MDBSIM_FUZZ_PROFILE=1: thread CPU time per component (target reset and edits, each
    // command with its addresses blanked out), printed to stderr at exit with the process's
    // total, so the fuzzing engine's own share is the difference (docs/fuzzing.md).
    bool profile = false;
    // Build each scenario spec once and roll its target back after every input (a journal under
    // both address spaces undoes the edits) instead of rebuilding it: MDBSIM_FUZZ_CACHE=0|1.
    bool cache_targets = true;

    // Reads the environment. Guard mode defaults on for an external dmod and for builds
    // without ASan (our dmod under ASan gets redzones from malloc instead).
    static HostConfig from_env();
};

struct CommandResult {
    std::string command;
    int rc = 0;                   // Session::run's result
    int status = 0;               // Session::last_status after the command
    bool budget_exhausted = false;
    std::string out, err;         // captured only when asked
};

struct CaseResult {
    std::string spec;
    std::string build_error;      // the scenario could not be built (not a finding)
    std::vector<EditResult> edits;
    std::vector<CommandResult> commands;
    const CommandResult* timeout() const;  // first command that exhausted the step budget
};

// "scenario: SPEC" and one line per edit (the corruption API's own descriptions), for reports.
std::string describe_case(const CaseResult& r);
// A --scenario spec that rebuilds the same target, when the case is expressible as one
// ("corrupt,base=...,kind=a+b,seed=N": typed corruptions with one seed on a default base).
std::optional<std::string> equivalent_spec(const KvmCase& c);

class FuzzHost {
public:
    explicit FuzzHost(HostConfig cfg);
    ~FuzzHost();
    FuzzHost(const FuzzHost&) = delete;
    FuzzHost& operator=(const FuzzHost&) = delete;

    const HostConfig& config() const { return cfg_; }
    host::Session& session() { return *session_; }

    // Builds the case's target and applies its edits (the target stays until the next call).
    CaseResult prepare(const KvmCase& c);
    // The commands run for the current target, in order: the case's command group, or every
    // group (all_groups: what each input ran before inputs picked a group).
    std::vector<std::string> commands(const KvmCase& c, bool all_groups = false) const;
    // prepare() then every command. capture: keep stdout/stderr of each command.
    // before_each / after_each: called around each command with the case so far (the fuzzer
    // names the command in crash reports and stops at the first timeout).
    using Hook = std::function<void(const CaseResult&, const std::string& command)>;
    CaseResult run(const KvmCase& c, bool capture, const Hook& before_each = {}, const Hook& after_each = {},
                   bool all_groups = false);
    // Rolls the target of the last run() back (else the next prepare() does). The fuzzer calls it
    // at the end of each input, so that an input frees what it allocated (the journal of its
    // edits): libFuzzer's leak detection runs an input again, and may scan the heap, whenever it
    // ended with more allocations than frees.
    void finish();
    // Called from the fault handler (a crash inside a command): prints the case and command.
    void set_crash_reporter(void (*report)()) { crash_reporter_ = report; }

    // The target of the last prepare(), e.g. for sim::save_image (its info() may be changed: it is
    // restored when the next input releases the target).
    sim::Target* current_target();
    const fixtures::ScenarioInfo* current_info() const;

    // The profile so far (MDBSIM_FUZZ_PROFILE), as a table.
    std::string profile_report() const;

private:
    struct Proxy;
    struct Built;
    struct Profile;
    std::unique_ptr<Profile> profile_;
    void reset_dmod();
    void add_group(const KvmCase& c, CommandGroup g, std::vector<std::string>& cmds) const;
    void release_active();
    std::unique_ptr<Built> build(const std::string& spec, std::string& error);

    HostConfig cfg_;
    Proxy* vproxy_ = nullptr;
    Proxy* pproxy_ = nullptr;
    std::unique_ptr<sim::Target> outer_;   // what the session sees: proxies onto inner_
    Built* active_ = nullptr;              // this input's scenario (cached or owned)
    // The scenario whose symbols and info outer_ holds (lent: swapped in, swapped back by
    // unbind(); drop_binding() when that scenario goes), and the layout profile of outer_'s CTF.
    Built* bound_ = nullptr;
    std::string ctf_layout_;
    void unbind();
    void drop_binding();
    bool info_lent_ = false;               // current_target() handed out active_'s info()
    std::map<std::string, std::unique_ptr<Built>> cache_;
    std::unique_ptr<Built> owned_;         // when targets are not cached
    std::unique_ptr<host::Session> session_;
    std::string module_name_;
    struct Segment { char* addr; std::vector<char> saved; };
    std::vector<Segment> segments_;        // writable data of the dmod, for Reset::snapshot
    std::string* sink_out_ = nullptr;
    std::string* sink_err_ = nullptr;
    bool handler_installed_ = false;
    void (*crash_reporter_)() = nullptr;
};

}  // namespace mdbsim::fuzz
