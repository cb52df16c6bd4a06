// What stops a command (errors.hpp): the work budget, the time limit and faults in dmods. Each
// stop fails its command with a message naming where it happened, and the session goes on.
#include <sys/mdb_modapi.h>

#include <chrono>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "host_fixture.hpp"
#include "mdbsim/mdb_errno.h"

namespace mdbsim::host::test {
namespace {

SessionOptions with_budget(uint64_t units) {
    SessionOptions o;
    o.step_budget = units;
    return o;
}

// Counts its invocations: the unit of work of a repeat count or a pipeline stage.
uint64_t g_invocations = 0;

int count_dcmd(uintptr_t, uint_t, int, const mdb_arg_t*) {
    ++g_invocations;
    return DCMD_OK;
}

const mdb_dcmd_t kCountDcmds[] = {
    {"count", nullptr, "count invocations", count_dcmd, nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
};
const mdb_modinfo_t kCountInfo = {MDB_API_VERSION, kCountDcmds, nullptr};
const mdb_modinfo_t* count_init() { return &kCountInfo; }

class StopsTest : public ::testing::Test {
protected:
    void SetUp() override { g_invocations = 0; }
};

TEST_F(StopsTest, RepeatCountIsChargedPerInvocation) {
    HostHarness h(sim::Backend::flat, with_budget(1000));
    ASSERT_EQ(h.session.add_linked_module("counter", count_init), 0);
    // The count is hex: 2^64 - 1 invocations, which nothing but the budget ends.
    EXPECT_EQ(h.run("0,ffffffffffffffff::count"), -1);
    EXPECT_EQ(g_invocations, 1000u);  // 1000 units; the 1001st invocation finds them spent
    EXPECT_EQ(h.take_err(),
              "mdb: command stopped in dcmd 'counter`count' at 0x0: step budget of 1000 units exhausted "
              "(--step-budget)\n");
    // The next command has a budget of its own.
    g_invocations = 0;
    EXPECT_EQ(h.run("0,10::count"), 0);
    EXPECT_EQ(g_invocations, 16u);
}

TEST_F(StopsTest, PipelineStagesAreCharged) {
    HostHarness h(sim::Backend::flat, with_budget(1000));
    ASSERT_EQ(h.session.add_linked_module("counter", count_init), 0);
    ASSERT_EQ(h.run("::load hostfaulty"), 0) << h.err;
    // An endless walk piped into a dcmd: the walk's output is collected first, so the budget
    // stops the walk; then nothing runs the dcmd.
    EXPECT_EQ(h.run("0x1000::walk endless | ::count"), -1);
    EXPECT_EQ(g_invocations, 0u);
    EXPECT_NE(h.take_err().find("walk 'endless' stopped at 0x1000: step budget of 1000 steps exhausted"),
              std::string::npos);
    // A long pipe input: each invocation of the right-hand stage is a unit.
    EXPECT_EQ(h.run("0,800::eval . | ::count"), -1);
    EXPECT_LT(g_invocations, 1000u);
    EXPECT_NE(h.take_err().find("step budget of 1000 units exhausted"), std::string::npos);
}

TEST_F(StopsTest, ReadLoopInsideWalkInitIsStopped) {
    HostHarness h(sim::Backend::flat, with_budget(10'000));
    const uint64_t obj = h.heap.alloc(64);
    ASSERT_EQ(h.run("::load hostfaulty"), 0) << h.err;
    EXPECT_EQ(h.run(fmt::format("{:#x}::walk spin_init", obj)), -1);
    EXPECT_EQ(h.take_err(),
              fmt::format("mdb: command stopped in walker 'hostfaulty`spin_init' (init) at {:#x}, in dcmd 'walk' at "
                          "{:#x}: step budget of 10000 units exhausted (--step-budget)\n",
                          obj, obj));
    EXPECT_EQ(h.run("::walk spin_init ! true"), -1);  // a mapped or unmapped address: the same stop
    EXPECT_EQ(h.run("1::eval 1=D"), 0);               // the session goes on
    EXPECT_EQ(h.take_out(), "                1               \n");
}

TEST_F(StopsTest, TimeLimitStopsACommand) {
    SessionOptions o;
    o.step_budget = 0;  // unlimited: only the clock ends the read loop
    o.timeout_seconds = 0.2;
    HostHarness h(sim::Backend::flat, o);
    const uint64_t obj = h.heap.alloc(64);
    ASSERT_EQ(h.run("::load hostfaulty"), 0) << h.err;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(h.run(fmt::format("{:#x}::walk spin_init", obj)), -1);
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_GE(took, 0.2);
    EXPECT_NE(h.take_err().find("mdb: command timed out after 0.2 s in walker 'hostfaulty`spin_init' (init)"), std::string::npos);
    EXPECT_EQ(h.run("0x2a=D"), 0);
}

TEST_F(StopsTest, TimeLimitStopsAShellEscape) {
    SessionOptions o;
    o.timeout_seconds = 0.2;
    HostHarness h(sim::Backend::flat, o);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(h.run("!sleep 30"), -1);
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10.0);
    EXPECT_NE(h.take_err().find("timed out after 0.2 s"), std::string::npos);
}

struct FaultCase {
    const char* command;
    const char* where;  // how the report names the site
    const char* first_frame;
};

class FaultTest : public ::testing::TestWithParam<FaultCase> {};

TEST_P(FaultTest, FaultIsReportedAndTheModuleUnloaded) {
    const FaultCase& c = GetParam();
    HostHarness h;
    const uint64_t obj = h.heap.alloc(64);
    ASSERT_EQ(h.run("::load hostfaulty"), 0) << h.err;
    ASSERT_EQ(h.run("::load hostsample"), 0) << h.err;
    EXPECT_EQ(h.run(fmt::format("{:#x}{}", obj, c.command)), -1);
    const std::string err = h.take_err();
    EXPECT_NE(err.find("*** mdb: received signal SEGV at:\n    [1] "), std::string::npos) << err;
    EXPECT_NE(err.find(c.first_frame), std::string::npos) << err;
    EXPECT_NE(err.find(fmt::format(fmt::runtime(c.where), obj, obj)), std::string::npos) << err;
    EXPECT_NE(err.find("mdb: unloading module 'hostfaulty' ...\n"), std::string::npos) << err;
    EXPECT_EQ(h.session.recovered_faults(), 1u);
    // The session is whole: the faulty module is gone, the others and the target are not.
    EXPECT_EQ(h.session.registry().find_module("hostfaulty"), nullptr);
    EXPECT_NE(h.session.registry().find_module("hostsample"), nullptr);
    h.take_out();
    EXPECT_EQ(h.run(fmt::format("{:#x}/J", obj)), 0) << h.err;
    EXPECT_NE(h.take_out().find(fmt::format("{:x}:", obj)), std::string::npos);
    EXPECT_EQ(h.run("::load hostfaulty"), 0) << h.err;
}

INSTANTIATE_TEST_SUITE_P(
    Host, FaultTest,
    ::testing::Values(
        FaultCase{"::fault_null",
                  "mdb: SIGSEGV (address not mapped) accessing 0x0 in dcmd 'hostfaulty`fault_null' at {:#x}\n",
                  "hostfaulty`fault_null_dcmd+0x"},
        FaultCase{"::walk fault_step",
                  "mdb: SIGSEGV (address not mapped) accessing 0x0 in walker 'hostfaulty`fault_step' (step) at {:#x}, "
                  "in dcmd 'walk' at {:#x}\n",
                  "hostfaulty`fault_walk_step+0x"},
        FaultCase{"::fault_printf", "accessing 0x10 in dcmd 'hostfaulty`fault_printf' at {:#x}\n",
                  "libmdbsim_host"}),
    [](const ::testing::TestParamInfo<FaultCase>& info) {
        return std::string(info.index == 0 ? "InDcmd" : info.index == 1 ? "InWalkStep" : "InHostCodeCalledByDmod");
    });

TEST(FaultRecovery, FileInputEndsAfterAFault) {
    HostHarness h;
    ASSERT_EQ(h.run("::load hostfaulty"), 0) << h.err;
    EXPECT_EQ(h.session.run("::fault_null\n0x2a=D\n", Session::InputKind::file, "script"), -1);
    EXPECT_EQ(h.take_out(), "about to fault\n");
}

TEST(FaultRecovery, OffMeansACrashStaysACrash) {
    SessionOptions o;
    o.recover_dmod_faults = false;
    EXPECT_DEATH(
        {
            HostHarness h(sim::Backend::flat, o);
            h.run("::load hostfaulty");
            h.run("::fault_null");
        },
        "");
}

TEST(SessionLifetime, CurrentSessionSurvivesOutOfOrderDestruction) {
    sim::Target target(sim::Backend::flat);
    auto a = std::make_unique<Session>(target);
    auto b = std::make_unique<Session>(target);
    EXPECT_EQ(Session::current(), b.get());
    a.reset();  // the older one first
    EXPECT_EQ(Session::current(), b.get());
    auto c = std::make_unique<Session>(target);
    EXPECT_EQ(Session::current(), c.get());
    c.reset();
    EXPECT_EQ(Session::current(), b.get());
    b.reset();
    EXPECT_EQ(Session::current(), nullptr);
    EXPECT_EQ(mdb_vread(nullptr, 0, 0), -1);  // the API with no session: an error, not a crash
    EXPECT_EQ(errno, EMDB_NOPROC);
    // Calls that cannot report an error abandon the command instead.
    EXPECT_THROW(mdb_strtoull("10"), CommandAbort);
}

TEST(SessionLifetime, TheApiActsOnTheNewestLiveSessionWhateverDiesFirst) {
    sim::Target ta(sim::Backend::flat), tb(sim::Backend::flat), tc(sim::Backend::flat);
    for (sim::Target* t : {&ta, &tb, &tc}) t->vmem().map(0x1000, 0x1000, sim::kProtRW, "page");
    ta.put<uint64_t>(0x1000, 0xa);
    tb.put<uint64_t>(0x1000, 0xb);
    tc.put<uint64_t>(0x1000, 0xc);
    auto read = [] {
        uint64_t v = 0;
        return mdb_vread(&v, sizeof v, 0x1000) == static_cast<ssize_t>(sizeof v) ? v : ~uint64_t{0};
    };
    auto a = std::make_unique<Session>(ta, SessionOptions{}, SessionStreams::discard());
    auto b = std::make_unique<Session>(tb, SessionOptions{}, SessionStreams::discard());
    auto c = std::make_unique<Session>(tc, SessionOptions{}, SessionStreams::discard());
    EXPECT_EQ(read(), 0xcU);
    b.reset();  // the middle one
    EXPECT_EQ(read(), 0xcU);
    c.reset();  // the newest: back to the oldest, not to b's freed memory
    EXPECT_EQ(Session::current(), a.get());
    EXPECT_EQ(read(), 0xaU);
    auto d = std::make_unique<Session>(tb, SessionOptions{}, SessionStreams::discard());
    a.reset();
    EXPECT_EQ(read(), 0xbU);
    d.reset();
    EXPECT_EQ(Session::current(), nullptr);
}

}  // namespace
}  // namespace mdbsim::host::test
