// The module built-ins (modapi.md §15): ::walk ::walkers ::dcmds ::dmods ::help ::which.
#include <sys/mdb_modapi.h>

#include <string>
#include <vector>

#include "host_fixture.hpp"

namespace mdbsim::host::test {
namespace {

// Yields 5, 0x2a, 0x10 (a global walk) or addr, addr+1 (a local one).
int values_step(mdb_walk_state_t* wsp) {
    static const uintptr_t global[] = {5, 0x2a, 0x10};
    auto i = reinterpret_cast<uintptr_t>(wsp->walk_data);
    wsp->walk_data = reinterpret_cast<void*>(i + 1);
    if (wsp->walk_arg == nullptr && wsp->walk_addr == 0) {
        if (i >= 3) return WALK_DONE;
        return wsp->walk_callback(global[i], nullptr, wsp->walk_cbdata);
    }
    if (i >= 2) return WALK_DONE;
    return wsp->walk_callback(wsp->walk_addr + i, nullptr, wsp->walk_cbdata);
}
int failing_init(mdb_walk_state_t*) { return WALK_ERR; }

const mdb_walker_t kBuiltinTestWalkers[] = {
    {"values", "yields a few values", nullptr, values_step, nullptr, nullptr},
    {"failing", "init fails", failing_init, values_step, nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
};
int hello(uintptr_t, uint_t, int, const mdb_arg_t*) {
    mdb_printf("hello\n");
    return DCMD_OK;
}
void hello_help() { mdb_printf("Prints a greeting.\nTwice as friendly as silence.\n"); }
// Prints its address and the variable v as it is when the dcmd runs.
int showv(uintptr_t addr, uint_t, int, const mdb_arg_t*) {
    mdb_printf("%lx %lx\n", addr, static_cast<unsigned long>(mdbsim::host::Session::current()->variables.at("v")));
    return DCMD_OK;
}
const mdb_dcmd_t kBuiltinTestDcmds[] = {
    {"hello", ":[-x] target", "greet", hello, hello_help, nullptr},
    {"hushed", nullptr, "no usage", hello, nullptr, nullptr},
    {"showv", ":", "print the address and $v", showv, nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
};
const mdb_modinfo_t* builtins_test_init() {
    static const mdb_modinfo_t info = {MDB_API_VERSION, kBuiltinTestDcmds, kBuiltinTestWalkers};
    return &info;
}

class BuiltinsTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_EQ(h.session.add_linked_module("btest", builtins_test_init), 0); }
    HostHarness h;
};

TEST_F(BuiltinsTest, WalkPrintsInTheCurrentRadixWithPrefix) {
    ASSERT_EQ(h.run("::walk values"), 0);
    EXPECT_EQ(h.take_out(), "5\n0x2a\n0x10\n");
    ASSERT_EQ(h.run("0x100::walk values"), 0);
    EXPECT_EQ(h.take_out(), "0x100\n0x101\n");
    h.session.radix = 10;
    ASSERT_EQ(h.run("::walk values"), 0);
    EXPECT_EQ(h.take_out(), "5\n0t42\n0t16\n");
}

TEST_F(BuiltinsTest, WalkFailuresAndUsage) {
    const std::pair<const char*, const char*> cases[] = {
        {"::walk nosuch", "mdb: failed to perform walk: unknown walk name\n"},
        {"::walk failing", "mdb: failed to perform walk: failed to initialize walk\n"},
        {"::walk nomod`values", "mdb: failed to perform walk: specified module is not loaded\n"},
    };
    for (auto [cmd, err] : cases) {
        SCOPED_TRACE(cmd);
        h.run(cmd);
        EXPECT_EQ(h.take_err(), err);
        EXPECT_EQ(h.session.last_status, DCMD_ERR);
    }
    h.run("::walk");
    EXPECT_EQ(h.take_err(), "Usage: [address]::walk name [variable]\n");
    EXPECT_EQ(h.session.last_status, DCMD_USAGE);
    h.run("::walk a b c");
    EXPECT_EQ(h.session.last_status, DCMD_USAGE);
    h.take_err();
}

TEST_F(BuiltinsTest, WalkVariable) {
    ASSERT_EQ(h.run("::walk values v"), 0);
    EXPECT_EQ(h.session.variables.at("v"), 0x10u);
    h.run("::walk values b");
    EXPECT_EQ(h.take_err(), "mdb: variable b is read-only\n");
    EXPECT_EQ(h.session.last_status, DCMD_ABORT);
    h.run("::walk values 'x-y'");
    EXPECT_EQ(h.take_err(), "mdb: 'x-y' may not be used as a variable name\n");
}

// Piped, the variable is set to each address as the next stage processes it, not as the walk
// prints it (which would leave the last address in it for every invocation).
TEST_F(BuiltinsTest, WalkVariableFollowsTheNextStage) {
    ASSERT_EQ(h.run("::walk values v | ::showv"), 0) << h.take_err();
    EXPECT_EQ(h.take_out(), "5 5\n2a 2a\n10 10\n");
    ASSERT_EQ(h.run("0x100::walk values v | ::walk values | ::showv"), 0) << h.take_err();
    // The middle stage runs once per address with v set to it; the last stage sees v as the
    // middle stage left it.
    EXPECT_EQ(h.take_out(), "100 101\n101 101\n101 101\n102 101\n");
    ASSERT_EQ(h.run("::walk values v"), 0);  // not piped: set as printed, so the last one stays
    EXPECT_EQ(h.session.variables.at("v"), 0x10u);
    h.take_out();
}

TEST_F(BuiltinsTest, WalkersAndDcmdsListings) {
    ASSERT_EQ(h.run("::walkers"), 0);
    std::string out = h.take_out();
    EXPECT_NE(out.find("avl                      - given any avl_tree_t *, forward walk all entries in tree\n"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("list                     - walk a linked list\n"), std::string::npos);
    EXPECT_NE(out.find("memseg                   - walk the memseg structures\n"), std::string::npos);
    EXPECT_LT(out.find("avl "), out.find("failing "));
    EXPECT_LT(out.find("list "), out.find("memseg "));

    ASSERT_EQ(h.run("::dcmds"), 0);
    out = h.take_out();
    EXPECT_NE(out.find("walk                     - walk data structure\n"), std::string::npos) << out;
    EXPECT_NE(out.find("hello                    - greet\n"), std::string::npos);
    EXPECT_LT(out.find("dcmds "), out.find("walk "));

    h.run("1::walkers");
    EXPECT_EQ(h.session.last_status, DCMD_USAGE);
    h.run("::dcmds x");
    EXPECT_EQ(h.session.last_status, DCMD_USAGE);
    h.take_err();
}

TEST_F(BuiltinsTest, Dmods) {
    ASSERT_EQ(h.run("::dmods"), 0);
    EXPECT_EQ(h.take_out(), "btest\ngenunix\nmdb\nunix\n");
    ASSERT_EQ(h.run("::dmods -l btest"), 0);
    EXPECT_EQ(h.take_out(), "\nbtest" + std::string(65, ' ') +
                                "\n"
                                "  dcmd hello                - greet\n"
                                "  dcmd hushed               - no usage\n"
                                "  dcmd showv                - print the address and $v\n"
                                "  walk failing              - init fails\n"
                                "  walk values               - yields a few values\n");
    ASSERT_EQ(h.run("::dmods nosuch"), 0);
    EXPECT_EQ(h.session.last_status, DCMD_OK);
    EXPECT_EQ(h.take_err(), "mdb: nosuch module not loaded\n");
    EXPECT_EQ(h.take_out(), "");
}

TEST_F(BuiltinsTest, HelpForACommand) {
    ASSERT_EQ(h.run("::help walk"), 0);
    EXPECT_EQ(h.take_out(),
              "\nNAME\n  walk - walk data structure\n\n"
              "SYNOPSIS\n  [ addr ] ::walk name [variable]\n\n"
              "ATTRIBUTES\n\n  Target: kvm\n  Module: mdb\n  Interface Stability: Evolving\n\n");
    ASSERT_EQ(h.run("::help ::hello"), 0);
    EXPECT_EQ(h.take_out(),
              "\nNAME\n  hello - greet\n\n"
              "SYNOPSIS\n  addr ::hello [-x] target\n\n"
              "DESCRIPTION\n  Prints a greeting.\n  Twice as friendly as silence.\n\n"
              "ATTRIBUTES\n\n  Target: kvm\n  Module: btest\n  Interface Stability: Unstable\n\n");
    ASSERT_EQ(h.run("::help hushed"), 0);
    EXPECT_NE(h.take_out().find("SYNOPSIS\n  ::hushed \n\n"), std::string::npos);
    h.run("::help nosuch");
    EXPECT_EQ(h.take_err(), "mdb: unknown command: nosuch\n");
    EXPECT_EQ(h.session.last_status, DCMD_ERR);
}

TEST_F(BuiltinsTest, GeneralHelp) {
    ASSERT_EQ(h.run("::help"), 0);
    std::string out = h.take_out();
    EXPECT_EQ(out.rfind("\nEach debugger command in mdb is structured as follows:\n\n"
                        "      [ address [, count]] verb [ arguments ... ]\n",
                        0),
              0u)
        << out;
}

TEST(BuiltinsTerminalTest, HelpMarkupOnlyOnTerminals) {
    std::string text, err;
    SessionStreams streams = SessionStreams::capture(text, err);
    streams.out_kind = Output::Kind::terminal;
    sim::Target target(sim::Backend::flat);
    Session session(target, {}, std::move(streams));
    ASSERT_EQ(session.run("::help walk", Session::InputKind::string), 0);
    session.out().flush();
    EXPECT_NE(text.find('\x1b'), std::string::npos) << text;
}

}  // namespace
}  // namespace mdbsim::host::test
