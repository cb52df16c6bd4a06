// The walk engine (modapi.md §6) and dcmd invocation (§§8-9) with scripted test walkers and
// dcmds registered as a linked-in module.
#include <sys/mdb_modapi.h>

#include <csignal>
#include <cerrno>
#include <string>
#include <vector>

#include "host_fixture.hpp"
#include "host_internal.hpp"
#include "mdbsim/mdb_errno.h"

namespace mdbsim::host::test {
namespace {

// What the scripted walkers do and what happened to them.
struct Script {
    int init_rc = WALK_NEXT;
    int objects = 3;           // objects the walk visits
    int step_err_at = -1;      // step index that returns WALK_ERR
    int init_calls = 0;
    int fini_calls = 0;
    std::vector<uintptr_t> visited;
    int callback_rc = WALK_NEXT;
    int stop_after = -1;       // callback returns callback_rc from this visit on
    int raise_at = -1;         // callback raises SIGINT at this visit
    int abort_at = -1;         // counted_step aborts the command (bad mdb_strtoull) at this step
    std::vector<std::string> lower;  // walkers the layered walker stacks up in init
    std::vector<int> layer_rc;       // mdb_layered_walk results
    std::vector<int> layer_errno;
    int upper_fini_calls = 0;
    int lower_fail_init = 0;   // "lowerbad" init result
    int lowerbad_fini_calls = 0;
};
Script g;

int counted_init(mdb_walk_state_t* wsp) {
    ++g.init_calls;
    wsp->walk_data = nullptr;
    return g.init_rc;
}

int counted_step(mdb_walk_state_t* wsp) {
    auto i = reinterpret_cast<intptr_t>(wsp->walk_data);
    wsp->walk_data = reinterpret_cast<void*>(i + 1);
    if (i == g.step_err_at) return WALK_ERR;
    if (i == g.abort_at) (void)mdb_strtoull("zz");
    if (i >= g.objects) return WALK_DONE;
    static const char object_copy[16] = "object";
    return wsp->walk_callback(wsp->walk_addr + 0x10 * static_cast<uintptr_t>(i), object_copy,
                              wsp->walk_cbdata);
}

void counted_fini(mdb_walk_state_t*) { ++g.fini_calls; }

int forever_step(mdb_walk_state_t* wsp) {
    wsp->walk_addr += 8;
    return wsp->walk_callback(wsp->walk_addr, nullptr, wsp->walk_cbdata);
}

int layered_init(mdb_walk_state_t* wsp) {
    for (const std::string& name : g.lower) {
        g.layer_rc.push_back(mdb_layered_walk(name.c_str(), wsp));
        g.layer_errno.push_back(errno);
    }
    return WALK_NEXT;
}

// Passes on every lower object whose address is a multiple of 0x20, with the layer's data.
int layered_step(mdb_walk_state_t* wsp) {
    if (!wsp->walk_layer) return WALK_DONE;  // no layer could be added
    if (wsp->walk_addr % 0x20 != 0) return WALK_NEXT;
    return wsp->walk_callback(wsp->walk_addr, wsp->walk_layer, wsp->walk_cbdata);
}

void layered_fini(mdb_walk_state_t*) { ++g.upper_fini_calls; }

int self_layer_init(mdb_walk_state_t* wsp) {
    g.layer_rc.push_back(mdb_layered_walk("selflayer", wsp));
    g.layer_errno.push_back(errno);
    mdb_walk_state_t stranger{};
    g.layer_rc.push_back(mdb_layered_walk("counted", &stranger));
    g.layer_errno.push_back(errno);
    g.layer_rc.push_back(mdb_layered_walk(nullptr, wsp));
    g.layer_errno.push_back(errno);
    return WALK_DONE;
}

int lowerbad_init(mdb_walk_state_t*) { return g.lower_fail_init; }
void lowerbad_fini(mdb_walk_state_t*) { ++g.lowerbad_fini_calls; }

const mdb_walker_t kWalkers[] = {
    {"counted", "scripted walker", counted_init, counted_step, counted_fini, nullptr},
    {"noinit", "walker without init or fini", nullptr, counted_step, nullptr, nullptr},
    {"forever", "never ends", nullptr, forever_step, counted_fini, nullptr},
    {"layered", "layered on g.lower", layered_init, layered_step, layered_fini, nullptr},
    {"selflayer", "layers on itself", self_layer_init, counted_step, nullptr, nullptr},
    {"lowerbad", "init as scripted", lowerbad_init, counted_step, lowerbad_fini, nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
};

// A dcmd that records its invocations and returns scripted results.
struct DcmdCall {
    uintptr_t addr;
    uint_t flags;
    int argc;
};
std::vector<DcmdCall> g_calls;
std::vector<int> g_results;  // result of call i (DCMD_OK past the end)

int rec_dcmd(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t*) {
    g_calls.push_back({addr, flags, argc});
    size_t i = g_calls.size() - 1;
    mdb_printf("call %lu", static_cast<unsigned long>(i));
    return i < g_results.size() ? g_results[i] : DCMD_OK;
}
void rec_help(void) {}

const mdb_dcmd_t kDcmds[] = {
    {"rec", ":[args]", "records its calls", rec_dcmd, rec_help, nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
};

const mdb_modinfo_t* test_init() {
    static const mdb_modinfo_t info = {MDB_API_VERSION, kDcmds, kWalkers};
    return &info;
}

int record_visit(uintptr_t addr, const void*, void*) {
    int n = static_cast<int>(g.visited.size());
    g.visited.push_back(addr);
    if (n == g.raise_at) std::raise(SIGINT);
    if (g.stop_after >= 0 && n >= g.stop_after) return g.callback_rc;
    return WALK_NEXT;
}

class WalkEngineTest : public ::testing::Test {
protected:
    void SetUp() override {
        g = Script{};
        g_calls.clear();
        g_results.clear();
        ASSERT_EQ(h.session.add_linked_module("walktest", test_init), 0);
    }
    HostHarness h{sim::Backend::flat, budgeted()};
    static SessionOptions budgeted() {
        SessionOptions o;
        o.step_budget = 1000;
        return o;
    }
};

TEST_F(WalkEngineTest, InitAndStepResultsTable) {
    struct Case {
        const char* name;
        int init_rc;
        int step_err_at;
        int stop_after;
        int callback_rc;
        int result;
        int expect_errno;
        size_t visits;
        int fini_calls;
    };
    const Case cases[] = {
        {"plain walk", WALK_NEXT, -1, -1, WALK_NEXT, 0, 0, 3, 1},
        {"init done: empty success, no fini", WALK_DONE, -1, -1, WALK_NEXT, 0, 0, 0, 0},
        {"init DCMD_ERR is WALK_DONE", DCMD_ERR, -1, -1, WALK_NEXT, 0, 0, 0, 0},
        {"init error: walk init failure, no fini", WALK_ERR, -1, -1, WALK_NEXT, -1, EMDB_WALKINIT, 0, 0},
        {"init other value fails", 7, -1, -1, WALK_NEXT, -1, EMDB_WALKINIT, 0, 0},
        {"step error is success", WALK_NEXT, 1, -1, WALK_NEXT, 0, 0, 1, 1},
        {"callback done stops", WALK_NEXT, -1, 0, WALK_DONE, 0, 0, 1, 1},
        {"callback DCMD_ERR stops like WALK_DONE", WALK_NEXT, -1, 1, DCMD_ERR, 0, 0, 2, 1},
        {"callback DCMD_OK continues", WALK_NEXT, -1, 0, DCMD_OK, 0, 0, 3, 1},
        {"callback error is success", WALK_NEXT, -1, 0, WALK_ERR, 0, 0, 1, 1},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        g = Script{};
        g.init_rc = c.init_rc;
        g.step_err_at = c.step_err_at;
        g.stop_after = c.stop_after;
        g.callback_rc = c.callback_rc;
        errno = 0;
        EXPECT_EQ(mdb_pwalk("counted", record_visit, nullptr, 0x1000), c.result);
        if (c.result == -1) {
            EXPECT_EQ(errno, c.expect_errno);
        }
        EXPECT_EQ(g.visited.size(), c.visits);
        EXPECT_EQ(g.init_calls, 1);
        EXPECT_EQ(g.fini_calls, c.fini_calls);
    }
    EXPECT_TRUE(h.session.command_state().live_walks.empty());
}

TEST_F(WalkEngineTest, AddressesAndDefaults) {
    ASSERT_EQ(mdb_pwalk("counted", record_visit, nullptr, 0x1000), 0);
    EXPECT_EQ(g.visited, (std::vector<uintptr_t>{0x1000, 0x1010, 0x1020}));
    g.visited.clear();
    ASSERT_EQ(mdb_walk("noinit", record_visit, nullptr), 0);  // null init and fini are defaults
    EXPECT_EQ(g.visited, (std::vector<uintptr_t>{0x0, 0x10, 0x20}));
    ASSERT_EQ(mdb_walk("walktest`counted", record_visit, nullptr), 0);
}

TEST_F(WalkEngineTest, LookupFailures) {
    EXPECT_EQ(mdb_walk("nosuch", record_visit, nullptr), -1);
    EXPECT_EQ(errno, EMDB_NOWALK);
    EXPECT_EQ(mdb_walk("nomod`counted", record_visit, nullptr), -1);
    EXPECT_EQ(errno, EMDB_NOMOD);
    EXPECT_EQ(mdb_walk("genunix`counted", record_visit, nullptr), -1);
    EXPECT_EQ(errno, EMDB_NOWALK);
    EXPECT_EQ(mdb_walk("counted", nullptr, nullptr), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(g.init_calls, 0);
}

int nested_visit(uintptr_t addr, const void*, void*) {
    g.visited.push_back(addr);
    if (addr < 0x100) return mdb_pwalk("counted", record_visit, nullptr, addr * 0x100);
    return WALK_NEXT;
}

TEST_F(WalkEngineTest, SeveralWalksActiveAtOnce) {
    g.objects = 2;
    ASSERT_EQ(mdb_pwalk("counted", nested_visit, nullptr, 0x10), 0);
    EXPECT_EQ(g.visited, (std::vector<uintptr_t>{0x10, 0x1000, 0x1010, 0x20, 0x2000, 0x2010}));
    EXPECT_EQ(g.init_calls, 3);
    EXPECT_EQ(g.fini_calls, 3);
}

TEST_F(WalkEngineTest, LayeredWalkSeesLowerObjectsAndData) {
    g.lower = {"counted"};
    g.objects = 5;
    std::vector<std::pair<uintptr_t, const void*>> seen;
    auto cb = [](uintptr_t addr, const void* data, void* arg) {
        static_cast<std::vector<std::pair<uintptr_t, const void*>>*>(arg)->push_back({addr, data});
        return WALK_NEXT;
    };
    ASSERT_EQ(mdb_pwalk("layered", cb, &seen, 0x1000), 0);
    EXPECT_EQ(g.layer_rc, (std::vector<int>{0}));
    ASSERT_EQ(seen.size(), 3u);  // 0x1000, 0x1020, 0x1040
    EXPECT_EQ(seen[1].first, 0x1020u);
    EXPECT_EQ(g.fini_calls, 1);        // the layer's fini
    EXPECT_EQ(g.upper_fini_calls, 1);
}

TEST_F(WalkEngineTest, LayersRunOneAfterAnother) {
    g.lower = {"counted", "counted"};
    g.objects = 2;
    std::vector<uintptr_t> seen;
    auto cb = [](uintptr_t addr, const void*, void* arg) {
        static_cast<std::vector<uintptr_t>*>(arg)->push_back(addr);
        return WALK_NEXT;
    };
    ASSERT_EQ(mdb_pwalk("layered", cb, &seen, 0x2000), 0);
    EXPECT_EQ(seen, (std::vector<uintptr_t>{0x2000, 0x2000}));  // one visit from each layer
    EXPECT_EQ(g.init_calls, 2);
    EXPECT_EQ(g.fini_calls, 2);
}

TEST_F(WalkEngineTest, LayeredWalkErrors) {
    struct Case {
        const char* lower;
        int lower_init;
        int expect_errno;
    };
    const Case cases[] = {
        {"nosuch", WALK_NEXT, EMDB_NOWALK},
        {"nomod`counted", WALK_NEXT, EMDB_NOMOD},
        {"lowerbad", WALK_ERR, EMDB_WALKINIT},
        {"lowerbad", WALK_DONE, EMDB_WALKINIT},
        {"layered", WALK_NEXT, EMDB_WALKLOOP},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.lower);
        g = Script{};
        g.lower = {c.lower};
        g.lower_fail_init = c.lower_init;
        ASSERT_EQ(mdb_pwalk("layered", record_visit, nullptr, 0x40), 0);
        ASSERT_EQ(g.layer_rc.size(), 1u);
        EXPECT_EQ(g.layer_rc[0], -1);
        EXPECT_EQ(g.layer_errno[0], c.expect_errno);
        EXPECT_EQ(g.lowerbad_fini_calls, 0);  // no fini for a lower walk whose init failed
    }
    g = Script{};
    ASSERT_EQ(mdb_walk("selflayer", record_visit, nullptr), 0);
    EXPECT_EQ(g.layer_rc, (std::vector<int>{-1, -1, -1}));
    EXPECT_EQ(g.layer_errno, (std::vector<int>{EMDB_WALKLOOP, EMDB_BADWCB, EINVAL}));
}

TEST_F(WalkEngineTest, StepBudgetFailsTheWalkWithAWarning) {
    h.session.begin_command();
    g = Script{};
    EXPECT_EQ(mdb_walk("forever", record_visit, nullptr), -1);
    EXPECT_EQ(errno, EMDB_TGT);
    EXPECT_EQ(g.fini_calls, 1);
    // 1000 units: the walk's start and 999 steps.
    EXPECT_EQ(g.visited.size(), 999u);
    EXPECT_TRUE(h.session.budget_exhausted());
    std::string err = h.take_err();
    EXPECT_NE(err.find("walk 'forever' stopped at 0x1f38: step budget of 1000 steps exhausted"),
              std::string::npos)
        << err;
    // The budget is per command: any further work of the command stops it, naming where.
    try {
        mdb_walk("counted", record_visit, nullptr);
        ADD_FAILURE() << "the walk after the budget ran out did not stop the command";
    } catch (const BudgetExhausted& stop) {
        EXPECT_EQ(stop.message, "command stopped outside any dcmd: step budget of 1000 units exhausted (--step-budget)");
    }
    h.session.end_command();
    h.session.begin_command();
    EXPECT_EQ(mdb_walk("counted", record_visit, nullptr), 0);
    h.session.end_command();
}

// What the fuzzing harness asks after each command line: the input's end opens one more command
// scope, which resets the budget, but the run still says that its command ran out.
TEST_F(WalkEngineTest, BudgetExhaustedOutlivesTheEndOfTheInput) {
    h.session.run("::walk forever\n", Session::InputKind::string, "test");
    EXPECT_TRUE(h.session.budget_exhausted());
    EXPECT_EQ(h.session.run("::walk counted\n", Session::InputKind::string, "test"), 0);
    EXPECT_FALSE(h.session.budget_exhausted());
}

TEST_F(WalkEngineTest, SigintAbortsTheCommandAndFiniRuns) {
    h.session.install_sigint_handler();
    h.session.begin_command();
    g.raise_at = 10;
    EXPECT_THROW(mdb_walk("forever", record_visit, nullptr), CommandAbort);
    EXPECT_EQ(g.visited.size(), 11u);
    EXPECT_EQ(g.fini_calls, 0);
    h.session.end_command();
    EXPECT_EQ(g.fini_calls, 1);
    EXPECT_TRUE(h.session.command_state().live_walks.empty());
    EXPECT_FALSE(h.session.interrupted());
    std::signal(SIGINT, SIG_DFL);
}

TEST_F(WalkEngineTest, AbortCleansWalksAndGarbageCollectedMemory) {
    h.session.begin_command();
    void* block = mdb_alloc(64, UM_SLEEP | UM_GC);
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(h.session.command_state().frames.back().gc_blocks.size(), 1u);
    g.lower = {"counted"};
    g.abort_at = 0;
    EXPECT_THROW(mdb_pwalk("layered", record_visit, nullptr, 0x1000), CommandAbort);
    EXPECT_EQ(h.take_err(), "mdb: digit 'z' is invalid in current base\n");
    EXPECT_EQ(g.fini_calls + g.upper_fini_calls, 0);
    h.session.end_command();
    EXPECT_EQ(g.fini_calls, 1);
    EXPECT_EQ(g.upper_fini_calls, 1);
    EXPECT_TRUE(h.session.command_state().frames.back().gc_blocks.empty());
    EXPECT_TRUE(h.session.command_state().live_walks.empty());
}

TEST_F(WalkEngineTest, CommandAbortThroughRunIsCleanedUp) {
    g.abort_at = 1;
    EXPECT_EQ(h.run("0x1000::walk counted"), -1);
    EXPECT_EQ(g.fini_calls, 1);
    EXPECT_NE(h.err.find("digit 'z' is invalid"), std::string::npos);
}

TEST_F(WalkEngineTest, AllocationRules) {
    EXPECT_EQ(mdb_alloc(0, UM_SLEEP), nullptr);
    EXPECT_EQ(mdb_zalloc(0, UM_SLEEP | UM_GC), nullptr);
    auto* z = static_cast<unsigned char*>(mdb_zalloc(33, UM_SLEEP));
    ASSERT_NE(z, nullptr);
    for (int i = 0; i < 33; ++i) EXPECT_EQ(z[i], 0);
    mdb_free(z, 33);
    mdb_free(nullptr, 0);
    h.session.options().alloc_limit = 1 << 20;
    EXPECT_EQ(mdb_alloc(2 << 20, UM_NOSLEEP), nullptr);
    h.session.begin_command();
    EXPECT_THROW(mdb_alloc(2 << 20, UM_SLEEP), CommandAbort);
    EXPECT_EQ(h.take_err(), "mdb: failed to allocate 2097152 bytes -- command aborted\n");
    h.session.end_command();
}

// ---- dcmd invocation ----

TEST_F(WalkEngineTest, PwalkDcmdFlagsAndNewlines) {
    mdb_arg_t arg{MDB_TYPE_STRING, {}};
    arg.a_un.a_str = "x";
    ASSERT_EQ(mdb_pwalk_dcmd("counted", "rec", 1, &arg, 0x100), 0);
    ASSERT_EQ(g_calls.size(), 3u);
    EXPECT_EQ(g_calls[0].flags, uint_t(DCMD_ADDRSPEC | DCMD_LOOP | DCMD_LOOPFIRST));
    EXPECT_EQ(g_calls[1].flags, uint_t(DCMD_ADDRSPEC | DCMD_LOOP));
    EXPECT_EQ(g_calls[2].addr, 0x120u);
    EXPECT_EQ(g_calls[2].argc, 1);
    EXPECT_EQ(h.take_out(), "call 0\ncall 1\ncall 2\n");  // the implicit newline after each
    EXPECT_EQ(h.session.dot, 0x120u);

    g_calls.clear();
    ASSERT_EQ(mdb_fpwalk_dcmd("counted", "rec", 0, nullptr, 0x100, DCMD_PIPE_OUT), 0);
    EXPECT_EQ(g_calls[0].flags, uint_t(DCMD_ADDRSPEC | DCMD_LOOP | DCMD_LOOPFIRST | DCMD_PIPE_OUT));
}

TEST_F(WalkEngineTest, PwalkDcmdStopsOnUsageAndAbortButSucceeds) {
    struct Case {
        int rc;
        size_t calls;
        bool usage;
    };
    const Case cases[] = {{DCMD_ERR, 3, false}, {DCMD_ABORT, 2, false}, {DCMD_USAGE, 2, true}};
    for (const Case& c : cases) {
        SCOPED_TRACE(c.rc);
        g_calls.clear();
        g_results = {DCMD_OK, c.rc, DCMD_OK};
        EXPECT_EQ(mdb_pwalk_dcmd("counted", "rec", 0, nullptr, 0x100), 0);
        EXPECT_EQ(g_calls.size(), c.calls);
        std::string err = h.take_err();
        EXPECT_EQ(err, c.usage ? "Usage: address::rec [args]\nmdb: try '::help rec' for more information\n" : "");
    }
    EXPECT_EQ(mdb_pwalk_dcmd("counted", "nosuch", 0, nullptr, 0), -1);
    EXPECT_EQ(errno, EMDB_NODCMD);
    EXPECT_EQ(mdb_pwalk_dcmd("nosuch", "rec", 0, nullptr, 0), -1);
    EXPECT_EQ(errno, EMDB_NOWALK);
    EXPECT_EQ(mdb_pwalk_dcmd(nullptr, "rec", 0, nullptr, 0), -1);
    EXPECT_EQ(errno, EINVAL);
}

TEST_F(WalkEngineTest, CallDcmdResults) {
    struct Case {
        int rc;
        int result;
        int expect_errno;
    };
    const Case cases[] = {
        {DCMD_OK, 0, 0},
        {DCMD_NEXT, 0, 0},
        {DCMD_ERR, -1, EMDB_DCFAIL},
        {DCMD_ABORT, -1, EMDB_DCFAIL},
        {DCMD_USAGE, -1, EMDB_DCUSAGE},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.rc);
        g_calls.clear();
        g_results = {c.rc};
        errno = 0;
        EXPECT_EQ(mdb_call_dcmd("rec", 0x42, DCMD_PIPE | DCMD_LOOP, 0, nullptr), c.result);
        if (c.result) {
            EXPECT_EQ(errno, c.expect_errno);
        }
        ASSERT_EQ(g_calls.size(), 1u);
        EXPECT_EQ(g_calls[0].flags, uint_t(DCMD_PIPE | DCMD_LOOP));  // verbatim
        EXPECT_EQ(g_calls[0].addr, 0x42u);
        h.take_err();
    }
    EXPECT_EQ(mdb_call_dcmd(nullptr, 0, 0, 0, nullptr), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(mdb_call_dcmd("rec", 0, 0, -1, nullptr), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(mdb_call_dcmd("nosuch", 0, 0, 0, nullptr), -1);
    EXPECT_EQ(errno, EMDB_NODCMD);
}

TEST_F(WalkEngineTest, AddAndRemoveWalkerInCallingModule) {
    // Outside any dcmd the calling module is the built-in one.
    mdb_walker_t w = {"added", "added at run time", nullptr, counted_step, nullptr, nullptr};
    ASSERT_EQ(mdb_add_walker(&w), 0);
    EXPECT_EQ(h.session.registry().find_walker("added")->module, h.session.registry().builtin_module());
    EXPECT_EQ(mdb_add_walker(&w), -1);
    EXPECT_EQ(errno, EMDB_WALKEXISTS);
    mdb_walker_t bad = {"bad", nullptr, nullptr, counted_step, nullptr, nullptr};
    EXPECT_EQ(mdb_add_walker(&bad), -1);
    EXPECT_EQ(errno, EINVAL);
    bad = {"bad", "no step", nullptr, nullptr, nullptr, nullptr};
    EXPECT_EQ(mdb_add_walker(&bad), -1);
    EXPECT_EQ(errno, EINVAL);
    ASSERT_EQ(mdb_walk("added", record_visit, nullptr), 0);
    ASSERT_EQ(mdb_remove_walker("added"), 0);
    EXPECT_EQ(mdb_remove_walker("added"), -1);
    EXPECT_EQ(errno, EMDB_NOWALK);
}

}  // namespace
}  // namespace mdbsim::host::test

namespace mdbsim::host::test {
namespace {

int g_prompts = 0;
void count_prompt(void*) { ++g_prompts; }

const mdb_modinfo_t* adder_init() {
    // While _mdb_init runs, the module being loaded is the calling module.
    static const mdb_walker_t w = {"frominit", "added during init", nullptr, counted_step, nullptr, nullptr};
    mdb_add_walker(&w);
    mdb_callback_add(MDB_CALLBACK_PROMPT, count_prompt, nullptr);
    static const mdb_modinfo_t info = {MDB_API_VERSION, nullptr, nullptr};
    return &info;
}

TEST(CallingModule, InitRegistersIntoTheLoadingModuleAndUnloadRemovesIt) {
    HostHarness h;
    g_prompts = 0;
    ASSERT_EQ(h.session.add_linked_module("adder", adder_init), 0);
    ASSERT_NE(h.session.registry().find_walker("frominit"), nullptr);
    EXPECT_EQ(h.session.registry().find_walker("frominit")->module->name, "adder");
    run_callbacks(h.session, MDB_CALLBACK_PROMPT);
    run_callbacks(h.session, MDB_CALLBACK_STCHG);
    EXPECT_EQ(g_prompts, 1);
    ASSERT_EQ(h.session.unload_module("adder"), 0);
    EXPECT_EQ(h.session.registry().find_walker("frominit"), nullptr);
    run_callbacks(h.session, MDB_CALLBACK_PROMPT);
    EXPECT_EQ(g_prompts, 1);

    void* hdl = mdb_callback_add(MDB_CALLBACK_PROMPT, count_prompt, nullptr);
    ASSERT_NE(hdl, nullptr);
    run_callbacks(h.session, MDB_CALLBACK_PROMPT);
    mdb_callback_remove(hdl);
    run_callbacks(h.session, MDB_CALLBACK_PROMPT);
    EXPECT_EQ(g_prompts, 2);
}

}  // namespace
}  // namespace mdbsim::host::test
