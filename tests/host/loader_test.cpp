// The dmod loader (modapi.md §3) with real shared objects built from tests/dmods, and the sample
// dmod's walkers and dcmds run through the command language.
#include <sys/mdb_modapi.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "host_fixture.hpp"
#include "mdbsim/mdb_errno.h"

namespace mdbsim::host::test {
namespace {

std::string dmod_path(const std::string& name) { return std::string(MDBSIM_TEST_DMOD_DIR) + "/" + name + ".so"; }

struct SampleNode {
    uint64_t next;
    uint32_t id;
    uint32_t flags;
    char name[16];
};
static_assert(sizeof(SampleNode) == 32);

// sample_head -> node 1 -> ... -> node n; node i has id i and flags i % 4.
std::vector<uint64_t> build_sample_nodes(HostHarness& h, int n) {
    uint64_t head = h.heap.alloc(8);
    h.target.symbols().add("sample", "sample_head", head, 8);
    std::vector<uint64_t> addrs;
    for (int i = 0; i < n; ++i) addrs.push_back(h.heap.alloc(sizeof(SampleNode)));
    for (int i = 0; i < n; ++i) {
        SampleNode sn{};
        sn.next = i + 1 < n ? addrs[i + 1] : 0;
        sn.id = static_cast<uint32_t>(i + 1);
        sn.flags = static_cast<uint32_t>((i + 1) % 4);
        std::snprintf(sn.name, sizeof sn.name, "n%d", i + 1);
        h.target.put(addrs[i], sn);
    }
    h.target.put<uint64_t>(head, n ? addrs[0] : 0);
    return addrs;
}

class LoaderTest : public ::testing::Test {
protected:
    HostHarness h;
    bool loaded(const std::string& name) { return h.session.registry().find_module(name) != nullptr; }
};

TEST_F(LoaderTest, SampleDmodWalksAndPrints) {
    auto nodes = build_sample_nodes(h, 5);
    ASSERT_EQ(h.run("::load hostsample"), 0) << h.err;
    ASSERT_TRUE(loaded("hostsample"));
    EXPECT_EQ(h.session.registry().find_module("hostsample")->path, dmod_path("hostsample"));

    ASSERT_EQ(h.run("::sample_node"), 0) << h.err;
    std::string expect = "ADDR               ID FLAGS    NAME\n";
    for (int i = 0; i < 5; ++i)
        expect += fmt::format("{:016x} {:4} {:<8x} n{}\n", nodes[i], i + 1, (i + 1) % 4, i + 1);
    EXPECT_EQ(h.take_out(), expect);

    ASSERT_EQ(h.run(fmt::format("{:#x}::sample_node -v", nodes[2])), 0);
    EXPECT_EQ(h.take_out(), fmt::format("ADDR               ID FLAGS    NAME\n{:016x}    3 3        n3 <ACTIVE,DIRTY>\n",
                                        nodes[2]));

    ASSERT_EQ(h.run("::sample_sum"), 0);
    EXPECT_EQ(h.take_out(), "sum      15 over 5 nodes\n");
    ASSERT_EQ(h.run("::sample_sum -e"), 0);
    EXPECT_EQ(h.take_out(), "sum      6 over 2 nodes\n");
    ASSERT_EQ(h.run("::sample_sum -t 4"), 0);
    EXPECT_EQ(h.take_out(), "sum      9 over 2 nodes\n");
    ASSERT_EQ(h.run(fmt::format("{:#x}::sample_sum", nodes[3])), 0);  // a local walk from node 4
    EXPECT_EQ(h.take_out(), "sum      9 over 2 nodes\n");

    ASSERT_EQ(h.run("::walk sample_even"), 0);
    EXPECT_EQ(h.take_out(), fmt::format("{:#x}\n{:#x}\n", nodes[1], nodes[3]));
    EXPECT_EQ(h.take_err(), "");
}

TEST_F(LoaderTest, SampleDmodUsageAndErrors) {
    build_sample_nodes(h, 2);
    ASSERT_EQ(h.session.load_module(dmod_path("hostsample")), 0);
    h.run("::sample_node -x");
    EXPECT_EQ(h.take_err(), "mdb: illegal option -- x\nUsage: [address]::sample_node [-v]\n");
    h.run("::sample_sum -q");
    EXPECT_EQ(h.take_err(),
              "mdb: illegal option -- q\nUsage: [address]::sample_sum [-e] [-t threshold]\n"
              "mdb: try '::help sample_sum' for more information\n");
    // A node list running into unmapped memory: the dmod's own step error ends its walk quietly.
    h.target.put<uint64_t>(h.target.symbols().lookup("sample_head")->value(), 0xdead0000);
    EXPECT_EQ(h.run("::sample_sum"), 0);
    EXPECT_EQ(h.take_out(), "sum      0 over 0 nodes\n");
    EXPECT_EQ(h.take_err(), "mdb: failed to read sample_node at dead0000: no mapping for address\n");
}

// <mdb/mdb_param.h> turns the kernel's page and address-space constants into the host's mdb_ks
// variables: a dmod built with it sees the simulated i86pc amd64 kernel's values.
TEST_F(LoaderTest, MdbParamConstantsAreTheKernelsValues) {
    ASSERT_EQ(h.run("::load hostksparams"), 0) << h.take_err();
    ASSERT_EQ(h.run("::ksparams"), 0) << h.take_err();
    EXPECT_EQ(h.take_out(),
              "pagesize 1000 shift 12 offset fff mask fffffffffffff000\n"
              "mmu 1000 12 fff fffffffffffff000\n"
              "kernelbase fffffd8000000000 userlimit fffffd7fffe00000 userlimit32 fefff000\n"
              "stack 5000 ncpu 256 log2 8 p2 256\n"
              "btopr(0x1001) 2\n");
    EXPECT_EQ(h.take_err(), "");
}

TEST_F(LoaderTest, UnloadCallsFiniAndRemovesEverything) {
    build_sample_nodes(h, 1);
    ASSERT_EQ(h.run("::load hostsample"), 0);
    ASSERT_EQ(h.run("::unload hostsample"), 0);
    EXPECT_EQ(h.take_out(), "sample: fini\n");
    EXPECT_FALSE(loaded("hostsample"));
    EXPECT_EQ(h.session.registry().find_dcmd("sample_sum"), nullptr);
    EXPECT_EQ(h.session.registry().find_walker("sample_node"), nullptr);
    h.run("::sample_sum");
    EXPECT_EQ(h.take_err(), "mdb: invalid command '::sample_sum': unknown dcmd name\n");
    // Loading again works once it is gone.
    ASSERT_EQ(h.session.load_module("hostsample"), 0);
}

TEST_F(LoaderTest, LoadFailuresAreWarnedAndLeaveNothingBehind) {
    const std::pair<const char*, const char*> cases[] = {
        {"hostbad_noinit", "mdb: hostbad_noinit module is missing _mdb_init definition\n"},
        {"hostbad_nullinit", "mdb: hostbad_nullinit module failed to initialize\n"},
        {"hostbad_newver", "mdb: hostbad_newver module requires newer mdb API version (6) than debugger (5)\n"},
        {"hostbad_oldver", "mdb: hostbad_oldver module is compiled for obsolete mdb API version 0\n"},
        {"hostbad_dcmdname", "mdb: dcmd name 'bad-name' contains illegal characters\n"},
        {"hostbad_nodescr", "mdb: dcmd 'nodescr' must have a description\n"},
        {"hostbad_nullfunc", "mdb: dcmd 'nullfunc' has a NULL function pointer\n"},
        {"hostbad_walkname", "mdb: walk name 'bad walk' contains illegal characters\n"},
        {"hostbad_walkdescr", "mdb: walk 'walkdescr' must have a description\n"},
        {"hostbad_nullstep", "mdb: walk 'nullstep' has a NULL walk_step function\n"},
    };
    size_t modules_before = h.session.registry().modules().size();
    for (auto [name, message] : cases) {
        SCOPED_TRACE(name);
        EXPECT_EQ(h.session.load_module(dmod_path(name)), -1);
        EXPECT_EQ(h.take_err(), message);
        EXPECT_FALSE(loaded(name));
        EXPECT_EQ(h.session.registry().modules().size(), modules_before);
        EXPECT_EQ(h.session.registry().find_dcmd("okdcmd"), nullptr);
        EXPECT_EQ(h.session.registry().find_walker("okwalk"), nullptr);
    }
    EXPECT_EQ(h.session.load_module(dmod_path("hostbad_unresolved")), -1);
    std::string err = h.take_err();
    EXPECT_EQ(err.rfind("mdb: ", 0), 0u) << err;
    EXPECT_NE(err.find("mdbsim_no_such_symbol"), std::string::npos) << err;
    h.run("::load -s hostbad_nullinit");
    EXPECT_EQ(h.session.last_status, DCMD_ERR);
    EXPECT_EQ(h.take_err(), "");  // -s: silent
}

TEST_F(LoaderTest, ModuleNameRules) {
    auto dir = std::filesystem::temp_directory_path() / fmt::format("mdbsim-host-{}", getpid());
    std::filesystem::create_directories(dir);
    auto copy_as = [&](const std::string& file) {
        std::filesystem::copy_file(dmod_path("hostsample"), dir / file,
                                   std::filesystem::copy_options::overwrite_existing);
        return (dir / file).string();
    };
    const std::pair<std::string, std::string> cases[] = {
        {copy_as("bad-name.so"), "mdb: module name 'bad-name' contains illegal characters\n"},
        {copy_as("abcdefghijklmnopqrstuvwxyz012345.so"),
         "mdb: module name 'abcdefghijklmnopqrstuvwxyz012345' exceeds name length limit\n"},
        {dir.string() + "/.so", "mdb: no module name was specified\n"},
        {"nosuchmod", "mdb: failed to load nosuchmod: No such file or directory\n"},
        {"genunix", "mdb: genunix module is already loaded\n"},
    };
    for (auto& [path, message] : cases) {
        SCOPED_TRACE(path);
        EXPECT_EQ(h.session.load_module(path), -1);
        EXPECT_EQ(h.take_err(), message);
    }
    // 31 characters is the longest accepted name.
    EXPECT_EQ(h.session.load_module(copy_as("abcdefghijklmnopqrstuvwxyz01234.so")), 0) << h.take_err();
    std::filesystem::remove_all(dir);
}

TEST_F(LoaderTest, ModulePathFromEnvironment) {
    auto dir = std::filesystem::temp_directory_path() / fmt::format("mdbsim-modpath-{}", getpid());
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(dmod_path("hostsample"), dir / "envsample.so",
                               std::filesystem::copy_options::overwrite_existing);
    ::setenv("MDBSIM_MODPATH", ("/nonexistent:" + dir.string()).c_str(), 1);
    {
        HostHarness other;
        EXPECT_EQ(other.session.registry().module_path().front(), "/nonexistent");
        EXPECT_EQ(other.run("::load envsample"), 0) << other.err;
        EXPECT_TRUE(other.session.registry().find_module("envsample"));
    }
    ::unsetenv("MDBSIM_MODPATH");
    std::filesystem::remove_all(dir);
}

TEST_F(LoaderTest, DuplicatesWithinAModuleAreSkipped) {
    ASSERT_EQ(h.session.load_module(dmod_path("hostodd_dups")), 0);
    EXPECT_EQ(h.take_err(),
              "mdb: failed to load dcmd hostodd_dups`dup: dcmd name already in use\n"
              "mdb: failed to load walk hostodd_dups`wdup: walk name already in use\n");
    ASSERT_NE(h.session.registry().find_dcmd("dup"), nullptr);
    EXPECT_EQ(h.session.registry().find_dcmd("dup")->descr, "first definition");
    EXPECT_NE(h.session.registry().find_dcmd("unique"), nullptr);
    EXPECT_EQ(h.session.registry().find_walker("wdup")->descr, "first");
}

TEST_F(LoaderTest, OldApiDcmdArraysAreConverted) {
    ASSERT_EQ(h.session.load_module(dmod_path("hostodd_v3")), 0) << h.take_err();
    ASSERT_NE(h.session.registry().find_dcmd("v3a"), nullptr);
    ASSERT_NE(h.session.registry().find_dcmd("v3b"), nullptr);
    EXPECT_EQ(h.session.registry().find_dcmd("v3b")->descr, "second old-style dcmd");
    ASSERT_EQ(h.run("::v3b"), 0);
    EXPECT_EQ(h.take_out(), "ok\n");
}

TEST_F(LoaderTest, NewestDefinitionWinsAndScopesReachOlderOnes) {
    ASSERT_EQ(h.session.load_module(dmod_path("hostodd_dups")), 0);
    h.take_err();
    ASSERT_EQ(h.run("::load -g hostodd_v3"), 0);
    EXPECT_EQ(h.session.registry().find_walker("okwalk")->module->name, "hostodd_v3");
    EXPECT_EQ(h.session.registry().find_walker("hostodd_dups`okwalk")->module->name, "hostodd_dups");
    EXPECT_EQ(h.session.registry().walker_definitions("okwalk").size(), 2u);
    ASSERT_EQ(h.run("::which -v okwalk okdcmd nosuch"), 0);
    EXPECT_EQ(h.take_out(),
              "okwalk is a walker from module hostodd_v3\n"
              "   >  definition list:\n"
              "  [0] hostodd_v3`okwalk\n"
              "  [1] hostodd_dups`okwalk\n"
              "okdcmd is a dcmd from module hostodd_dups\n"
              "   >  definition list:\n"
              "  [0] hostodd_dups`okdcmd\n");
    EXPECT_EQ(h.take_err(), "mdb: nosuch not found\n");
    ASSERT_EQ(h.run("::whence walk"), 0);
    EXPECT_EQ(h.take_out(), "walk is a built-in dcmd\n");
}

int shadow_sum(uintptr_t, uint_t, int, const mdb_arg_t*) {
    mdb_printf("shadow ");
    return DCMD_NEXT;
}
const mdb_dcmd_t kShadowDcmds[] = {{"sample_sum", "?", "shadows the sample", shadow_sum, nullptr, nullptr},
                                   {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr}};
const mdb_modinfo_t* shadow_init() {
    static const mdb_modinfo_t info = {MDB_API_VERSION, kShadowDcmds, nullptr};
    return &info;
}

TEST_F(LoaderTest, DcmdNextFallsThroughToOlderDefinitions) {
    build_sample_nodes(h, 3);
    ASSERT_EQ(h.session.load_module(dmod_path("hostsample")), 0);
    ASSERT_EQ(h.session.add_linked_module("shadow", shadow_init), 0);
    ASSERT_EQ(h.run("::sample_sum"), 0);
    EXPECT_EQ(h.take_out(), "shadow sum      6 over 3 nodes\n");
    ASSERT_EQ(h.run("::hostsample`sample_sum"), 0);
    EXPECT_EQ(h.take_out(), "sum      6 over 3 nodes\n");
    ASSERT_EQ(h.run("::shadow`sample_sum"), 0);
    EXPECT_EQ(h.take_out(), "shadow sum      6 over 3 nodes\n");
    ASSERT_EQ(h.run("::unload hostsample"), 0);
    h.take_out();
    ASSERT_EQ(h.run("::sample_sum"), 0);  // nothing older: DCMD_NEXT becomes DCMD_OK
    EXPECT_EQ(h.take_out(), "shadow \n");
}

TEST_F(LoaderTest, BuiltinModuleCannotBeUnloaded) {
    EXPECT_EQ(h.session.unload_module("mdb"), -1);
    EXPECT_EQ(errno, EMDB_BUILTINMOD);
    EXPECT_EQ(h.session.unload_module("nosuch"), -1);
    EXPECT_EQ(errno, EMDB_NOMOD);
    h.run("::unload mdb");
    EXPECT_EQ(h.session.last_status, DCMD_ERR);
    EXPECT_EQ(h.take_err(), "mdb: failed to unload mdb: cannot unload built-in module\n");
    EXPECT_EQ(h.run("::unload genunix"), 0);
    EXPECT_EQ(h.session.registry().find_walker("list"), nullptr);
}

std::vector<std::string> g_fini_order;
const mdb_modinfo_t* empty_init() {
    static const mdb_modinfo_t info = {MDB_API_VERSION, nullptr, nullptr};
    return &info;
}

TEST(LoaderExit, ModulesUnloadInReverseOrder) {
    g_fini_order.clear();
    {
        HostHarness h;
        h.session.add_linked_module("first", empty_init, [] { g_fini_order.push_back("first"); });
        h.session.add_linked_module("second", empty_init, [] { g_fini_order.push_back("second"); });
        h.session.add_linked_module("third", empty_init, [] { g_fini_order.push_back("third"); });
    }
    EXPECT_EQ(g_fini_order, (std::vector<std::string>{"third", "second", "first"}));
}

}  // namespace
}  // namespace mdbsim::host::test
