// Tab completion (docs/prompt.md): how the line is split, the built-ins' completers, a dmod's own
// completer (dc_tabp) through the mdb_tab_* calls, types and members through
// Session::type_names, symbols, and what a completer that faults leaves behind.
#include <sys/mdb_modapi.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "host_fixture.hpp"
#include "complete_impl.hpp"
#include "host_internal.hpp"
#include "mdbsim/host/complete.hpp"
#include "mdbsim/sim/ctf.hpp"

namespace mdbsim::host::test {
namespace {

using Names = std::vector<std::string>;

std::string test_dmod_path(const std::string& name) { return std::string(MDBSIM_TEST_DMOD_DIR) + "/" + name + ".so"; }

class CompleteTest : public ::testing::Test {
protected:
    HostHarness h;
    Completion complete(std::string_view line) { return host::complete(h.session, line); }
};

TEST_F(CompleteTest, DcmdNamesAfterTwoColons) {
    Completion c = complete("::wal");
    EXPECT_EQ(c.base, "wal");
    Names expected;
    for (const Dcmd* d : h.session.registry().all_dcmds())
        if (d->name.starts_with("wal")) expected.push_back(d->name);
    std::sort(expected.begin(), expected.end());
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(c.matches, expected);
    EXPECT_EQ(c.common, "walk");  // walk, walkers
    EXPECT_EQ(c.insertion(), "k");
}

TEST_F(CompleteTest, OnlyNamesStartingWithALetterOrDigitAreOffered) {
    Completion c = complete("::");
    EXPECT_FALSE(c.matches.empty());
    for (const std::string& m : c.matches) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(m[0]))) << m;
}

TEST_F(CompleteTest, TheLastDcmdOfAPipelineIsCompleted) {
    Completion c = complete("::walk memseg | ::dcm");
    EXPECT_EQ(c.matches, Names{"dcmds"});
    EXPECT_EQ(c.insertion(), "ds");
}

TEST_F(CompleteTest, WalkCompletesWalkerNames) {
    Names all;
    for (const Walker* w : h.session.registry().all_walkers()) all.push_back(w->name);
    std::sort(all.begin(), all.end());
    EXPECT_EQ(complete("::walk ").matches, all);
    Completion c = complete("::walk mems");
    for (const std::string& m : c.matches) EXPECT_TRUE(m.starts_with("mems")) << m;
    EXPECT_FALSE(c.matches.empty());
    // A second word is a variable name: nothing to offer.
    EXPECT_TRUE(complete("::walk memseg x").matches.empty());
    // An unknown dcmd has no completer.
    EXPECT_TRUE(complete("::nosuchdcmd a").matches.empty());
}

TEST_F(CompleteTest, HelpCompletesDcmdNames) {
    Completion c = complete("::help dmo");
    EXPECT_EQ(c.matches, Names{"dmods"});
}

TEST_F(CompleteTest, ADmodsOwnCompleterRunsAndItsGcMemoryIsFreed) {
    ASSERT_EQ(h.session.load_module(test_dmod_path("hosttab")), 0) << h.err;
    Completion c = complete("::color am");
    EXPECT_EQ(c.base, "am");
    EXPECT_EQ(c.matches, (Names{"amber", "amethyst"}));
    EXPECT_EQ(c.insertion(), "");
    EXPECT_EQ(complete("::color az").insertion(), "ure");
    EXPECT_EQ(complete("::color ").matches, (Names{"amber", "amethyst", "azure", "beige"}));
    EXPECT_TRUE(complete("::color").matches.size() >= 1);  // the dcmd name itself
    EXPECT_TRUE(complete("::color amber x").matches.empty());
    // The completer ran as a command: its UM_GC copies are gone, no frame is left open.
    auto& st = h.session.command_state();
    EXPECT_EQ(st.frames.size(), 1u);
    EXPECT_TRUE(st.frames[0].gc_blocks.empty());
    EXPECT_FALSE(h.session.in_command());
}

TEST_F(CompleteTest, ACompleterThatFaultsIsReportedAndItsModuleUnloaded) {
    ASSERT_EQ(h.session.load_module(test_dmod_path("hosttab")), 0) << h.err;
    Completion c = complete("::badtab ");
    EXPECT_TRUE(c.matches.empty());
    std::string err = h.take_err();
    EXPECT_NE(err.find("SIGSEGV"), std::string::npos) << err;
    EXPECT_NE(err.find("unloading module 'hosttab'"), std::string::npos) << err;
    EXPECT_EQ(h.session.registry().find_module("hosttab"), nullptr);
    EXPECT_EQ(h.run("::walk memseg ! true"), 0);  // the session goes on
}

// A stand-in for the type system: what Session::type_names asks of it.
void fake_types(Session& s) {
    s.type_names.types = [](const std::function<void(std::string_view, TypeShape)>& each) {
        each("struct kvm", TypeShape::structure);
        each("struct kvm_vcpu", TypeShape::structure);
        each("kvm_t", TypeShape::structure);
        each("union kvm_u", TypeShape::union_type);
        each("uint64_t", TypeShape::other);
        each("kvm_ptr_t", TypeShape::pointer);
    };
    s.type_names.members = [](std::string_view type, const std::function<void(std::string_view)>& each) {
        if (type != "struct kvm" && type != "kvm_t") return false;
        for (const char* m : {"kvm_nvcpus", "kvm_vcpus", "users_count"}) each(m);
        return true;
    };
}

TEST_F(CompleteTest, TypesAndMembersThroughCompleteMt) {
    ASSERT_EQ(h.session.load_module(test_dmod_path("hosttab")), 0) << h.err;
    fake_types(h.session);  // in place of the target's types
    // mdb_tab_complete_mt: struct and union types only, "struct" and the next word are one name.
    EXPECT_EQ(complete("::typed ").matches, (Names{"kvm_t", "struct kvm", "struct kvm_vcpu", "union kvm_u"}));
    Completion c = complete("::typed struct kv");
    EXPECT_EQ(c.base, "struct kv");
    EXPECT_EQ(c.matches, (Names{"struct kvm", "struct kvm_vcpu"}));
    EXPECT_EQ(c.insertion(), "m");
    EXPECT_EQ(complete("::typed struct ").matches, (Names{"struct kvm", "struct kvm_vcpu"}));
    EXPECT_TRUE(complete("::typed uint").matches.empty());
    EXPECT_EQ(complete("::typed struct kvm ").matches, (Names{"kvm_nvcpus", "kvm_vcpus", "users_count"}));
    Completion m = complete("::typed kvm_t kvm_n");
    EXPECT_EQ(m.matches, Names{"kvm_nvcpus"});
    EXPECT_EQ(m.insertion(), "vcpus");
    EXPECT_TRUE(complete("::typed struct nosuch ").matches.empty());
}

TEST_F(CompleteTest, TypesAndMembersFromTheTargetsCtf) {
    h.target.ctf().push_back(sim::kernel_ctf());  // before the type system's first use
    ASSERT_EQ(h.session.load_module(test_dmod_path("hosttab")), 0) << h.err;
    Completion c = complete("::typed struct kvm_mem");
    ASSERT_FALSE(c.matches.empty());
    for (const std::string& m : c.matches) EXPECT_TRUE(m.starts_with("struct kvm_mem")) << m;
    EXPECT_NE(std::find(c.matches.begin(), c.matches.end(), "struct kvm_memslots"), c.matches.end());
    // Only what resolves to a struct or union (typedefs of them included): no base types.
    Names all = complete("::typed ").matches;
    EXPECT_NE(std::find(all.begin(), all.end(), "list_t"), all.end());
    for (const char* base : {"int", "uint64_t", "unsigned long", "char"})
        EXPECT_EQ(std::find(all.begin(), all.end(), base), all.end()) << base;
    EXPECT_TRUE(complete("::typed uint64").matches.empty());
    EXPECT_EQ(complete("::typed struct kvm_memslots ").matches.size(), 2u);  // its two members
    EXPECT_TRUE(complete("::typed struct nosuchtype ").matches.empty());
}

TEST_F(CompleteTest, PrintAndSizeofCompleteTypes) {
    h.target.ctf().push_back(sim::kernel_ctf());
    EXPECT_EQ(complete("::print struct kvm_memsl").insertion(), "ots");
    EXPECT_EQ(complete("::print -a -c 4 struct kvm_memslots ").matches.size(), 2u);
    EXPECT_TRUE(complete("::print -a").matches.empty());
    Names sized = complete("::sizeof uint64").matches;
    EXPECT_NE(std::find(sized.begin(), sized.end(), "uint64_t"), sized.end());
    EXPECT_TRUE(complete("::sizeof uint64_t ").matches.empty());
}

TEST(TabApi, TypeFlagsFilterShapes) {
    HostHarness h;
    fake_types(h.session);
    mdb_tab_cookie_t cookie;
    EXPECT_EQ(mdb_tab_complete_type(&cookie, "kvm", MDB_TABC_NOPOINT), 0);
    EXPECT_EQ(cookie.matches, (std::set<std::string, std::less<>>{"kvm_t"}));
    mdb_tab_cookie_t all;
    EXPECT_EQ(mdb_tab_complete_type(&all, "kvm", 0), 0);
    EXPECT_EQ(all.matches.size(), 2u);  // kvm_t, kvm_ptr_t
    mdb_tab_cookie_t members;
    EXPECT_EQ(mdb_tab_complete_member(&members, "struct nosuch", nullptr), -1);
    EXPECT_EQ(mdb_tab_complete_member(&members, "struct kvm", "u"), 0);
    EXPECT_EQ(members.matches, (std::set<std::string, std::less<>>{"users_count"}));
    // mdb_tab_typename: the keyword alone is the name so far.
    mdb_arg_t args[2];
    args[0].a_type = args[1].a_type = MDB_TYPE_STRING;
    args[0].a_un.a_str = "union";
    args[1].a_un.a_str = "kvm_u";
    const mdb_arg_t* argv = args;
    int argc = 1;
    char buf[64];
    EXPECT_EQ(mdb_tab_typename(&argc, &argv, buf, sizeof buf), 1);
    EXPECT_STREQ(buf, "union ");
    argc = 2;
    EXPECT_EQ(mdb_tab_typename(&argc, &argv, buf, sizeof buf), 0);
    EXPECT_STREQ(buf, "union kvm_u");
    EXPECT_EQ(argc, 1);
    EXPECT_EQ(argv, args + 1);
    argc = 0;
    EXPECT_EQ(mdb_tab_typename(&argc, &argv, buf, sizeof buf), DCMD_USAGE);
    // Null cookies and names are ignored, as a completer that passes them cannot be trusted.
    mdb_tab_insert(nullptr, "x");
    mdb_tab_insert(&cookie, nullptr);
    mdb_tab_setmbase(nullptr, "x");
}

TEST_F(CompleteTest, SymbolsWhereAnExpressionIsTyped) {
    auto& syms = h.target.symbols();
    syms.add("unix", "tab_alpha", 0x1000, 8);
    syms.add("unix", "tab_alpine", 0x1008, 8);
    syms.add("kvm", "tab_alpaca", 0x2000, 8);
    syms.add("kvm", "tab_beta", 0x2008, 8);
    EXPECT_EQ(complete("tab_alp").matches, (Names{"tab_alpaca", "tab_alpha", "tab_alpine"}));
    EXPECT_EQ(complete("tab_b").insertion(), "eta");
    EXPECT_EQ(complete("kvm`tab_").matches, (Names{"kvm`tab_alpaca", "kvm`tab_beta"}));
    EXPECT_EQ(complete("tab_alpha::walk x; tab_be").matches, Names{"tab_beta"});
    EXPECT_EQ(complete("::walk memseg | ::eval tab_b").matches.size(), 0u);  // an argument: the dcmd decides
    EXPECT_TRUE(complete("").matches.empty());
    EXPECT_TRUE(complete("0x1").matches.empty());
    EXPECT_EQ(complete_symbols(h.session, "tab_", 2).size(), 2u);
}

}  // namespace
}  // namespace mdbsim::host::test
