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

struct Signature {
    const char* fn;
    const char* ret;
    std::vector<std::string> args;
    bool varargs;
};

// mdb_ctf_func_info and mdb_ctf_func_args on a function symbol of the target, as a dmod calls them.
void expect_signature(const sim::Target& t, const Signature& w) {
    SCOPED_TRACE(w.fn);
    const sim::Symbol* sym = t.symbols().lookup(w.fn);
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

const Signature kCasesSignatures[] = {
    {"cases_add", "long", {"int", "const char *", "struct dims *"}, false},
    {"cases_printf", "int", {"const char *"}, true},
    {"cases_nothing", "void", {}, false},
};

TEST(CtfFunctions, FunctionSymbolsHaveTheirSignatures) {
    auto t = sim::open_image(MDBSIM_TEST_CASES_OBJECT);
    Session s(*t);
    for (const auto& w : kCasesSignatures) expect_signature(*t, w);
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


// ---- linked shared objects: ld keys their function and data info by .dynsym ----

#ifdef MDBSIM_TEST_CASES_SO
TEST(CtfLinked, OneUnitSharedObjectsHaveTheirSignatures) {
    auto t = sim::open_image(MDBSIM_TEST_CASES_SO);
    Session s(*t);
    for (const auto& w : kCasesSignatures) expect_signature(*t, w);
    EXPECT_EQ(illumos_type_name(s.types().function_type(*t->symbols().lookup("cases_add"))), "long ()");
}
#endif

#ifdef MDBSIM_TEST_LINKED_SO
// tests/types/linked_a.c and linked_b.c, one dmod: a parent dict and a child per unit.
TEST(CtfLinked, ArchivesHaveTheirSignatures) {
    auto t = sim::open_image(MDBSIM_TEST_LINKED_SO);
    Session s(*t);
    const Signature wants[] = {
        {"linked_add", "long", {"int", "const char *", "struct linked_shared *"}, false},
        {"linked_varargs", "char *", {"const char *"}, true},
        {"linked_clash_a", "int", {"struct linked_clash"}, false},
        {"linked_clash_b_fn", "long", {"struct linked_clash", "int"}, false},
        {"_mdb_init", "const mdb_modinfo_t *", {}, false},
    };
    for (const auto& w : wants) expect_signature(*t, w);
    EXPECT_EQ(illumos_type_name(s.types().function_type(*t->symbols().lookup("linked_add"))), "long ()");
}

#ifdef MDBSIM_TEST_LINKED_ALIAS_SO
TEST(CtfLinked, LocalAliasesDoNotHideAFunctionsSignature) {
    auto t = sim::open_image(MDBSIM_TEST_LINKED_ALIAS_SO);
    Session s(*t);
    const sim::Symbol* alias = t->symbols().lookup("linked_add.localalias");
    ASSERT_NE(alias, nullptr) << "gcc no longer makes the alias this test is about";
    ASSERT_EQ(alias->value(), t->symbols().lookup("linked_add")->value());
    expect_signature(*t, {"linked_add", "long", {"int", "const char *", "struct linked_shared *"}, false});
}
#endif

// The size of the type mdb_ctf_lookup_by_addr gives a symbol, or -1.
long symbol_type_size(const sim::Target& t, const char* name, std::string* type) {
    const sim::Symbol* sym = t.symbols().lookup(name);
    if (sym == nullptr) return -1;
    mdb_ctf_id_t id;
    if (mdb_ctf_lookup_by_addr(sym->value(), &id) != 0) return -1;
    *type = name_of(id);
    return static_cast<long>(mdb_ctf_type_size(id));
}

TEST(CtfLinked, DataSymbolsHaveTheirTypesFromTheirDict) {
    auto t = sim::open_image(MDBSIM_TEST_LINKED_SO);
    Session s(*t);
    std::string type;
    EXPECT_EQ(symbol_type_size(*t, "linked_shared_a", &type), 40) << ctf_errmsg(last_ctf_error());
    EXPECT_EQ(type, "struct linked_shared");
    EXPECT_EQ(symbol_type_size(*t, "linked_holder_a", &type), 8) << ctf_errmsg(last_ctf_error());
    EXPECT_EQ(type, "struct linked_holder");
    // b.c's own struct linked_clash, in b.c's child dict: 16 bytes, not a.c's 4.
    EXPECT_EQ(symbol_type_size(*t, "linked_clash_b", &type), 16) << ctf_errmsg(last_ctf_error());
    EXPECT_EQ(type, "struct linked_clash");
    mdb_ctf_id_t id;
    ASSERT_EQ(mdb_ctf_lookup_by_addr(t->symbols().lookup("linked_shared_a")->value(), &id), 0);
    mdb_ctf_id_t grid;
    ulong_t off = 0;
    ASSERT_EQ(mdb_ctf_member_info(id, "ls_grid", &off, &grid), 0);
    EXPECT_EQ(name_of(grid), "int [2][3]");
}

TEST(CtfLinked, FunctionSymbolsAreNotDataObjects) {
    // As illumos' ctf_lookup_by_symbol: a function symbol has no data type (mdb_ctf_func_info
    // gives its signature).
    auto t = sim::open_image(MDBSIM_TEST_LINKED_SO);
    Session s(*t);
    const sim::Symbol* sym = t->symbols().lookup("linked_add");
    ASSERT_NE(sym, nullptr);
    mdb_ctf_id_t id;
    errno = 0;
    EXPECT_EQ(mdb_ctf_lookup_by_symbol(&sym->sym, nullptr, &id), -1);
    EXPECT_EQ(errno, EMDB_CTF);
    EXPECT_EQ(last_ctf_error(), ECTF_NOTDATA);
    EXPECT_FALSE(mdb_ctf_type_valid(id));
    EXPECT_EQ(mdb_ctf_lookup_by_addr(sym->value(), &id), -1);
    EXPECT_EQ(last_ctf_error(), ECTF_NOTDATA);
}

TEST(CtfLinked, TypedefImportsEveryDictOfAnArchive) {
    sim::Target empty;
    empty.ctf().clear();
    std::string out, err;
    Session s(empty, {}, SessionStreams::capture(out, err));
    ASSERT_EQ(s.run(std::string("::typedef -r ") + MDBSIM_TEST_LINKED_SO, Session::InputKind::string), 0) << err;
    mdb_ctf_id_t id;
    // The parent's types, gcc's swapped arrays re-nested.
    ASSERT_EQ(mdb_ctf_lookup_by_name("struct linked_shared", &id), 0);
    EXPECT_EQ(mdb_ctf_type_size(id), 40);
    mdb_ctf_id_t grid;
    ulong_t off = 0;
    ASSERT_EQ(mdb_ctf_member_info(id, "ls_grid", &off, &grid), 0);
    EXPECT_EQ(name_of(grid), "int [2][3]");
    ASSERT_EQ(mdb_ctf_lookup_by_name("struct linked_holder", &id), 0);
    EXPECT_EQ(mdb_ctf_type_size(id), 8);
    // The children's: linked_a's struct linked_clash takes the name; linked_b's cannot go in
    // beside it, and ::typedef -r says so.
    ASSERT_EQ(mdb_ctf_lookup_by_name("struct linked_clash", &id), 0);
    EXPECT_EQ(mdb_ctf_type_size(id), 4);
    EXPECT_NE(err.find("left out struct linked_clash of linked_b: a type of that name is already there"),
              std::string::npos)
        << err;
    // All of it in the synthetic container: the module name "typedef" scopes it.
    ASSERT_EQ(mdb_ctf_lookup_by_name("typedef`struct linked_shared", &id), 0);
    out.clear();
    ASSERT_EQ(s.run("::sizeof struct linked_clash", Session::InputKind::string), 0) << err;
    EXPECT_EQ(out, "sizeof (struct linked_clash) = 4\n");
}

TEST(CtfLinked, TypedefTwiceAddsNothingAndAFailureChangesNothing) {
    sim::Target empty;
    empty.ctf().clear();
    std::string out, err;
    Session s(empty, {}, SessionStreams::capture(out, err));
    ASSERT_EQ(s.run(std::string("::typedef -r ") + MDBSIM_TEST_LINKED_SO, Session::InputKind::string), 0) << err;
    const size_t before = s.types().type_names("typedef").size();
    // A second import of the same archive: the same types, nothing new, nothing left out
    // beyond the same clash.
    err.clear();
    ASSERT_EQ(s.run(std::string("::typedef -r ") + MDBSIM_TEST_LINKED_SO, Session::InputKind::string), 0) << err;
    EXPECT_EQ(s.types().type_names("typedef").size(), before);
    // An ELF file without CTF fails and leaves the container alone.
    err.clear();
    s.run("::typedef -r /proc/self/exe", Session::InputKind::string);
    EXPECT_NE(err.find("failed to create synthetics from file /proc/self/exe"), std::string::npos) << err;
    EXPECT_EQ(s.types().type_names("typedef").size(), before);
}

TEST(CtfLinked, DmodNamesAreReadAgainstDynstr) {
    // ld moves the names the units of a .so share into .dynstr. Read against .strtab instead,
    // our kvm dmod's struct kvmd_spt_dump came out as "struct ame_page" (an offset into the
    // wrong table).
    CasesTarget c;
    ASSERT_EQ(c.session.load_module(std::string(MDBSIM_TEST_DMOD_DIR) + "/kvm.so"), 0);
    Module* m = c.session.registry().find_module("kvm");
    ASSERT_NE(m, nullptr);
    const TypeRef t = c.session.types().dmod_lookup(*m, "struct kvmd_spt_dump");
    ASSERT_TRUE(t.valid()) << ctf_errmsg(last_ctf_error());
    EXPECT_EQ(illumos_type_name(t), "struct kvmd_spt_dump");
    EXPECT_FALSE(c.session.types().dmod_lookup(*m, "struct ame_page").valid());
}

TEST(CtfLinked, PrintReadsADataSymbolOfAChildDict) {
    auto t = sim::open_image(MDBSIM_TEST_LINKED_SO);
    std::string out, err;
    Session s(*t, {}, SessionStreams::capture(out, err));
    ASSERT_EQ(s.run("linked_clash_b::print -t", Session::InputKind::string), 0) << err;
    EXPECT_NE(out.find("struct linked_clash {"), std::string::npos) << out;
    EXPECT_NE(out.find("long lc_q = 0"), std::string::npos) << out;
}
#endif

}  // namespace
}  // namespace mdbsim::host::test
