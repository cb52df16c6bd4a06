// What gcc's CTF keeps (tests/types/cases.c), read back through mdb_ctf_*: bitfields (bit
// offsets and widths), anonymous members (found by name), flexible arrays (0 elements), enums,
// variables; and an ELF object's own .ctf section opened as a target.
#include "mdbsim/host/types.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include "mdbsim/host/session.hpp"
#include "mdbsim/mdb_errno.h"
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

}  // namespace
}  // namespace mdbsim::host::test
