// What gcc's CTF keeps (tests/types/cases.c), read back through mdb_ctf_*: bitfields (bit
// offsets and widths), anonymous members (found by name), flexible arrays (0 elements), enums,
// variables; and an ELF object's own .ctf section opened as a target.
#include "mdbsim/host/types.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <ctf.h>

#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/mdb_errno.h"
#include "mdbsim/sim/ctf_array_order.hpp"
#include "mdbsim/sim/image.hpp"

extern "C" {
extern const unsigned char mdbsim_ctf_cases_data[];
extern const size_t mdbsim_ctf_cases_size;
}

namespace mdbsim::host::test {
namespace {

struct CasesTarget {
    CasesTarget() {
        target.ctf() = {{"cases", std::make_shared<const std::vector<uint8_t>>(
                                      mdbsim_ctf_cases_data, mdbsim_ctf_cases_data + mdbsim_ctf_cases_size)}};
    }
    sim::Target target;
    Session session{target};
};

struct Member {
    const char* name;
    unsigned long bit_offset;
    unsigned bits;  // encoding width for integers, 0 to skip
    const char* type;
};

TEST(CtfCases, BitfieldsKeepOffsetsAndWidths) {
    CasesTarget c;
    mdb_ctf_id_t id;
    ASSERT_EQ(mdb_ctf_lookup_by_name("cases`struct bits", &id), 0);
    EXPECT_EQ(mdb_ctf_type_size(id), 8);
    const Member members[] = {
        {"lo", 0, 3, "unsigned int"},
        {"mid", 3, 5, "unsigned int"},
        {"neg", 8, 4, "int"},
        {"whole", 32, 32, "int"},
    };
    for (const auto& m : members) {
        SCOPED_TRACE(m.name);
        ulong_t off = 0;
        mdb_ctf_id_t mt;
        ASSERT_EQ(mdb_ctf_member_info(id, m.name, &off, &mt), 0);
        EXPECT_EQ(off, m.bit_offset);
        ctf_encoding_t e{};
        ASSERT_EQ(mdb_ctf_type_encoding(mt, &e), 0);
        EXPECT_EQ(e.cte_bits, m.bits);
        char buf[64];
        EXPECT_STREQ(mdb_ctf_type_name(mt, buf, sizeof buf), m.type);
    }
    // A bitfield has no byte offset.
    EXPECT_EQ(mdb_ctf_offsetof_by_name("struct bits", "mid"), -1);
}

TEST(CtfCases, AnonymousMembersAreFoundByName) {
    CasesTarget c;
    mdb_ctf_id_t id;
    ASSERT_EQ(mdb_ctf_lookup_by_name("struct anon", &id), 0);
    EXPECT_EQ(mdb_ctf_num_members(id), 4);  // before, the union, the struct, after
    const std::pair<const char*, int> at[] = {{"before", 0}, {"as_int", 8}, {"as_long", 8},
                                              {"c1", 16}, {"c2", 17}, {"after", 20}};
    for (const auto& [name, off] : at) {
        SCOPED_TRACE(name);
        EXPECT_EQ(mdb_ctf_offsetof_by_name("struct anon", name), off);
    }
}

TEST(CtfCases, FlexibleArrayHasNoElements) {
    CasesTarget c;
    mdb_ctf_id_t id, mt;
    ASSERT_EQ(mdb_ctf_lookup_by_name("struct flex", &id), 0);
    EXPECT_EQ(mdb_ctf_type_size(id), 8);
    ulong_t off = 0;
    ASSERT_EQ(mdb_ctf_member_info(id, "data", &off, &mt), 0);
    EXPECT_EQ(off, 64u);
    EXPECT_EQ(mdb_ctf_type_kind(mt), CTF_K_ARRAY);
    mdb_ctf_arinfo_t ai;
    ASSERT_EQ(mdb_ctf_array_info(mt, &ai), 0);
    EXPECT_EQ(ai.mta_nelems, 0u);
}

TEST(CtfCases, EnumsAndVariables) {
    CasesTarget c;
    mdb_ctf_id_t id;
    ASSERT_EQ(mdb_ctf_lookup_by_name("enum color", &id), 0);
    EXPECT_STREQ(mdb_ctf_enum_name(id, 40), "BLUE");
    EXPECT_EQ(mdb_ctf_enum_name(id, 3), nullptr);
    int sum = 0;
    EXPECT_EQ(mdb_ctf_enum_iter(id, [](const char*, int v, void* a) {
        *static_cast<int*>(a) += v;
        return 0;
    }, &sum), 0);
    EXPECT_EQ(sum, 43);
    c.target.symbols().add("cases", "a_bits", 0x1000, 8);
    GElf_Sym sym{};
    sym.st_value = 0x1000;
    ASSERT_EQ(mdb_ctf_lookup_by_symbol(&sym, nullptr, &id), 0);
    char buf[64];
    EXPECT_STREQ(mdb_ctf_type_name(id, buf, sizeof buf), "struct bits");
}

TEST(CtfCases, AnElfObjectWithCtfOpensWithItsTypes) {
    // The example dmod: ld linked its -gctf types into the .so's .ctf section.
    auto t = sim::open_image(std::string(MDBSIM_TEST_DMOD_DIR) + "/ctf_kvm.so");
    ASSERT_FALSE(t->ctf().empty());
    Session s(*t);
    mdb_ctf_id_t id;
    ASSERT_EQ(mdb_ctf_lookup_by_name("mdb_ctf_kvm_t", &id), 0);
    EXPECT_EQ(mdb_ctf_type_kind(id), CTF_K_TYPEDEF);
    EXPECT_EQ(mdb_ctf_num_members(id), 2);
    errno = 0;
    EXPECT_EQ(mdb_ctf_lookup_by_name("struct kvm", &id), -1);
    EXPECT_EQ(errno, EMDB_CTF);
}


// ---- multi-dimensional arrays (ctf_array_order.hpp) ----

// The dimensions of an array type, outermost first, and each level's element size.
struct Dim {
    unsigned nelems;
    ssize_t elem_size;
};
std::vector<Dim> dims_of(mdb_ctf_id_t id) {
    std::vector<Dim> out;
    mdb_ctf_id_t r;
    while (mdb_ctf_type_resolve(id, &r) == 0 && mdb_ctf_type_kind(r) == CTF_K_ARRAY) {
        mdb_ctf_arinfo_t ai;
        if (mdb_ctf_array_info(r, &ai) != 0) break;
        out.push_back({ai.mta_nelems, mdb_ctf_type_size(ai.mta_contents)});
        id = ai.mta_contents;
    }
    return out;
}

std::string member_type_name(const char* member, std::vector<Dim>* dims = nullptr) {
    mdb_ctf_id_t id, mt;
    if (mdb_ctf_lookup_by_name("struct dims", &id) != 0 || mdb_ctf_member_info(id, member, nullptr, &mt) != 0)
        return "(none)";
    if (dims) *dims = dims_of(mt);
    char buf[128];
    return mdb_ctf_type_name(mt, buf, sizeof buf) ? buf : "(unnamed)";
}

bool operator==(const Dim& a, const Dim& b) { return a.nelems == b.nelems && a.elem_size == b.elem_size; }

// C's nesting: int grid[2][3] is 2 arrays of 3 ints (12 bytes each), whatever gcc wrote.
void expect_c_nesting() {
    std::vector<Dim> d;
    EXPECT_EQ(member_type_name("grid", &d), "int [2][3]");
    EXPECT_EQ(d, (std::vector<Dim>{{2, 12}, {3, 4}}));
    EXPECT_EQ(member_type_name("cube", &d), "char [4][5][6]");
    EXPECT_EQ(d, (std::vector<Dim>{{4, 30}, {5, 6}, {6, 1}}));
    EXPECT_EQ(member_type_name("row", &d), "int [2]");
    EXPECT_EQ(d, (std::vector<Dim>{{2, 4}}));
    EXPECT_EQ(member_type_name("square", &d), "int [3][3]");
    EXPECT_EQ(d, (std::vector<Dim>{{3, 12}, {3, 4}}));
    EXPECT_EQ(member_type_name("rows"), "int (*)[3]");
    EXPECT_EQ(mdb_ctf_sizeof_by_name("struct dims"), 200);
    EXPECT_EQ(mdb_ctf_offsetof_by_name("struct dims", "row"), 144);
}

TEST(CtfArrays, BuiltArchivesNestAsC) {
    CasesTarget c;  // built by mdbsim-ctfgen, which probes the compiler
    expect_c_nesting();
}

TEST(CtfArrays, ObjectFilesFromGccAreReNested) {
    auto t = sim::open_image(MDBSIM_TEST_CASES_OBJECT);
    Session s(*t);
    expect_c_nesting();
}

#ifdef MDBSIM_TEST_CASES_SO
TEST(CtfArrays, DeduplicatedSharedObjectsAreReNested) {
    // ld's deduplicating CTF link may make gcc's inner `int [2]` of grid the same type as row.
    auto t = sim::open_image(MDBSIM_TEST_CASES_SO);
    Session s(*t);
    expect_c_nesting();
}
#endif

TEST(CtfArrays, TypedefImportsOfGccObjectsAreReNested) {
    sim::Target empty;
    empty.ctf().clear();
    std::string out, err;
    Session s(empty, {}, SessionStreams::capture(out, err));
    ASSERT_EQ(s.run(std::string("::typedef -r ") + MDBSIM_TEST_CASES_OBJECT, Session::InputKind::string), 0) << err;
    expect_c_nesting();
}

TEST(CtfArrays, TheEnvironmentOverridesTheGuess) {
    ::setenv("MDBSIM_CTF_ARRAY_ORDER", "c", 1);
    auto t = sim::open_image(MDBSIM_TEST_CASES_OBJECT);
    ::unsetenv("MDBSIM_CTF_ARRAY_ORDER");
    Session s(*t);
    std::vector<Dim> d;
    // Taken as C order, gcc's bytes read as they were written: 3 groups of 2.
    EXPECT_EQ(member_type_name("grid", &d), "int [3][2]");
    EXPECT_EQ(d, (std::vector<Dim>{{3, 8}, {2, 4}}));
}

TEST(CtfArrays, ProducersAreJudgedByTheirComment) {
    ::unsetenv("MDBSIM_CTF_ARRAY_ORDER");
    using sim::ArrayOrder;
    using std::string_view_literals::operator""sv;
    EXPECT_EQ(sim::array_order_from_comment("GCC: (Debian 12.2.0-14+deb12u1) 12.2.0\0"sv), ArrayOrder::gcc);
    EXPECT_EQ(sim::array_order_from_comment("GCC: (GNU) 13.2.1 20230801\0"sv), ArrayOrder::gcc);
    EXPECT_EQ(sim::array_order_from_comment("GCC: (GNU) 14.1.0\0"sv), ArrayOrder::c);
    EXPECT_EQ(sim::array_order_from_comment("clang version 16.0.6\0"sv), ArrayOrder::c);
    EXPECT_EQ(sim::array_order_from_comment(""), ArrayOrder::c);
    ::setenv("MDBSIM_CTF_ARRAY_ORDER", "gcc", 1);
    EXPECT_EQ(sim::array_order_from_comment(""), ArrayOrder::gcc);
    ::unsetenv("MDBSIM_CTF_ARRAY_ORDER");
}

TEST(CtfArrays, MalformedBytesAreRefusedNotFollowed) {
    std::vector<sim::CtfDictBytes> parts;
    std::string why;
    const uint8_t junk[] = {1, 2, 3, 4, 5, 6, 7, 8};
    EXPECT_FALSE(sim::split_ctf_section(junk, sizeof junk, parts, &why));
    EXPECT_FALSE(why.empty());
    // An archive whose dicts would start in its last bytes, and one whose member runs past the end.
    uint64_t arc[8] = {0x8b47f2a4d7623eebULL, 2, 1, 60, 60, 0, 0, 0};
    why.clear();
    EXPECT_FALSE(sim::split_ctf_section(reinterpret_cast<const uint8_t*>(arc), 62, parts, &why));
    EXPECT_FALSE(why.empty());
    arc[3] = 48;
    arc[4] = 56;
    arc[7] = 1000;
    why.clear();
    EXPECT_FALSE(sim::split_ctf_section(reinterpret_cast<const uint8_t*>(arc), sizeof arc, parts, &why));
    EXPECT_FALSE(why.empty());
    // A dict header whose sections run past its end.
    std::vector<uint8_t> d(sizeof(ctf_header_t), 0);
    ctf_header_t h{};
    h.cth_magic = CTF_MAGIC;
    h.cth_version = CTF_VERSION_3;
    h.cth_stroff = 1000;
    h.cth_strlen = 10;
    std::memcpy(d.data(), &h, sizeof h);
    parts = {{".ctf", d}};
    EXPECT_EQ(sim::nest_arrays_as_c(parts, &why), -1);
    EXPECT_EQ(parts[0].bytes, d);
}

// ---- function info (mdb_ctf_func_info, mdb_ctf_func_args) ----

std::string name_of(mdb_ctf_id_t id) {
    char buf[128];
    return mdb_ctf_type_name(id, buf, sizeof buf) ? buf : "(unnamed)";
}

TEST(CtfFunctions, FunctionSymbolsHaveTheirSignatures) {
    auto t = sim::open_image(MDBSIM_TEST_CASES_OBJECT);
    Session s(*t);
    struct Want {
        const char* fn;
        const char* ret;
        std::vector<std::string> args;
        bool varargs;
    };
    const Want wants[] = {
        {"cases_add", "long", {"int", "const char *", "struct dims *"}, false},
        {"cases_printf", "int", {"const char *"}, true},
        {"cases_nothing", "void", {}, false},
    };
    for (const auto& w : wants) {
        SCOPED_TRACE(w.fn);
        const sim::Symbol* sym = t->symbols().lookup(w.fn);
        ASSERT_NE(sym, nullptr);
        mdb_ctf_funcinfo_t fi{};
        ASSERT_EQ(mdb_ctf_func_info(&sym->sym, nullptr, &fi), 0) << errno << ": " << ctf_errmsg(last_ctf_error());
        EXPECT_EQ(name_of(fi.mtf_return), w.ret);
        ASSERT_EQ(fi.mtf_argc, w.args.size());
        EXPECT_EQ((fi.mtf_flags & CTF_FUNC_VARARG) != 0, w.varargs);
        std::vector<mdb_ctf_id_t> argv(fi.mtf_argc + 1);
        ASSERT_EQ(mdb_ctf_func_args(&fi, fi.mtf_argc, argv.data()), 0);
        for (size_t i = 0; i < w.args.size(); ++i) EXPECT_EQ(name_of(argv[i]), w.args[i]) << i;
    }
    // The function's own type reads as mdb names it: no parameters.
    const TypeRef fn = s.types().function_type(*t->symbols().lookup("cases_add"));
    ASSERT_TRUE(fn.valid());
    EXPECT_EQ(illumos_type_name(fn), "long ()");
    EXPECT_EQ(illumos_type_name(s.types().function_type(*t->symbols().lookup("cases_nothing"))), "void ()");
}

TEST(CtfFunctions, NonFunctionsAndMissingInfoFail) {
    auto t = sim::open_image(MDBSIM_TEST_CASES_OBJECT);
    Session s(*t);
    mdb_ctf_funcinfo_t fi{};
    GElf_Sym nowhere{};
    nowhere.st_value = 0xdead0000;
    errno = 0;
    EXPECT_EQ(mdb_ctf_func_info(&nowhere, nullptr, &fi), -1);
    EXPECT_EQ(errno, EMDB_NOSYMADDR);
    EXPECT_EQ(mdb_ctf_func_info(nullptr, nullptr, &fi), -1);
    EXPECT_EQ(errno, EINVAL);
    mdb_ctf_id_t argv[40];
    fi.mtf_argc = 1;
    EXPECT_EQ(mdb_ctf_func_args(&fi, 40, argv), -1);  // more than mdb's 32
    EXPECT_EQ(errno, EINVAL);
    // The kernel's types are types only: its function symbols have no function info.
    CasesTarget c;
    c.target.symbols().add("cases", "cases_add", 0x2000, 16, STT_FUNC);
    GElf_Sym sym{};
    sym.st_value = 0x2000;
    errno = 0;
    EXPECT_EQ(mdb_ctf_func_info(&sym, nullptr, &fi), -1);
    EXPECT_EQ(errno, EMDB_CTF);
}

}  // namespace
}  // namespace mdbsim::host::test
