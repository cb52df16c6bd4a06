// Structure-aware fuzzing of a kvm dmod over corrupt kvm state (docs/fuzzing.md).
//
// The input picks a small scenario, typed corruptions and raw byte / pointer edits (see
// harness/kvm_case.hpp) and a group of the dmod's walkers and dcmds, which then run over the
// result, piped as users pipe them, through one Session reused for the whole process. Findings:
//   - crashes, ASan / UBSan reports, guard-page hits (overreads of mdb_alloc blocks);
//   - timeout class: a command that exhausts the step budget (an endless walk) aborts with a
//     "TIMEOUT-CLASS FINDING" message instead of running into libFuzzer's -timeout.
// Environment: MDBSIM_FUZZ_DMOD (dmod under test, default our kvm.so), MDBSIM_FUZZ_BACKEND
// (flat|unicorn), MDBSIM_FUZZ_STEP_BUDGET, MDBSIM_FUZZ_GUARD, MDBSIM_FUZZ_DMOD_RESET,
// MDBSIM_FUZZ_PROFILE (CPU time per component, printed at exit).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "harness/kvm_host.hpp"


using namespace mdbsim::fuzz;

namespace {

FuzzHost* g_host = nullptr;
const CaseResult* g_case = nullptr;  // the case being run, for crash reports
const std::string* g_command = nullptr;

void print_current_case() {
    if (!g_case) return;
    const std::string text = describe_case(*g_case);
    std::fprintf(stderr, "==mdbsim-fuzz== dmod under test: %s (%s backend)\n", g_host->config().dmod.c_str(),
                 mdbsim::sim::to_string(g_host->config().backend));
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t nl = text.find('\n', pos);
        const size_t end = nl == std::string::npos ? text.size() : nl;
        std::fprintf(stderr, "==mdbsim-fuzz== %.*s\n", int(end - pos), text.c_str() + pos);
        pos = end + 1;
    }
    if (g_command) std::fprintf(stderr, "==mdbsim-fuzz== command: %s\n", g_command->c_str());
    std::fprintf(stderr, "==mdbsim-fuzz== replay: mdbsim-fuzz-replay --save-image case.core <crash file>; then mdbsim case.core\n");
}

FuzzHost& host() {
    if (!g_host) {
        g_host = new FuzzHost(HostConfig::from_env());  // lives for the process (one host per process)
        g_host->set_crash_reporter(print_current_case);  // on SIGSEGV/SIGBUS inside a command
        if (g_host->config().profile)
            std::atexit([] { std::fputs(g_host->profile_report().c_str(), stderr); });
    }
    return *g_host;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    host();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzHost& h = host();
    const KvmCase c = decode_kvm_case(data, size);
    if (h.config().verbose) std::fprintf(stderr, "mdbsim-fuzz: case %s with %zu edits\n", c.spec.c_str(), c.edits.size());
    h.run(c, false,
          [](const CaseResult& r, const std::string& cmd) {
              g_case = &r;
              g_command = &cmd;
          },
          [&h](const CaseResult& r, const std::string& cmd) {
              if (!r.commands.back().budget_exhausted) return;
              std::fprintf(stderr,
                           "==mdbsim-fuzz== TIMEOUT-CLASS FINDING: `%s` exhausted the step budget of %llu walk "
                           "steps (an endless or runaway walk)\n",
                           cmd.c_str(), static_cast<unsigned long long>(h.config().step_budget));
              print_current_case();
              std::abort();
          });
    g_case = nullptr;
    g_command = nullptr;
    h.finish();
    return 0;
}
