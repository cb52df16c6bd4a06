// The type system through the mdb_ctf_* module API: lookup, kinds, sizes, members, arrays,
// enums and symbols' types, table-driven, on a kvm scenario live on each memory backend and
// reopened from a saved image (whose .ctf section must give the same answers).
// libctf's header before the SDK's <mdb/mdb_ctf.h> (types.hpp does both in that order).
#include "mdbsim/host/types.hpp"

#include <gtest/gtest.h>
#include <mdb/mdb_ctf.h>
#include <sys/mdb_modapi.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <mdbsim/kvm/kvm_state.h>
#include <sys/avl.h>
#include <sys/list.h>
#include <vm/page.h>

#include "mdbsim/fixtures/scenarios.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/mdb_errno.h"
#include "mdbsim/sim/image.hpp"

namespace mdbsim::host::test {
namespace {

enum class Where { flat, unicorn, image };

struct FlatTarget {
    static constexpr Where where = Where::flat;
};
struct UnicornTarget {
    static constexpr Where where = Where::unicorn;
};
struct ImageTarget {
    static constexpr Where where = Where::image;
};
using Targets = ::testing::Types<FlatTarget, UnicornTarget, ImageTarget>;
struct TargetNames {
    template <class T> static std::string GetName(int) {
        return T::where == Where::flat ? "flat" : T::where == Where::unicorn ? "unicorn" : "image";
    }
};

std::unique_ptr<sim::Target> make_target(Where w) {
    if (w == Where::image) {
        auto live = fixtures::make_scenario("minimal");
        const std::string path =
            (std::filesystem::temp_directory_path() / ("mdbsim_types_" + std::to_string(::getpid()) + ".core")).string();
        sim::save_image(*live.target, path);
        auto t = sim::open_image(path);
        std::filesystem::remove(path);
        std::filesystem::remove(path + ".syms");
        return t;
    }
    return fixtures::make_scenario("minimal", w == Where::flat ? sim::Backend::flat : sim::Backend::unicorn).target;
}

template <class T> class TypesTest : public ::testing::Test {
public:
    std::unique_ptr<sim::Target> target = make_target(T::where);
    Session session{*target};
};
TYPED_TEST_SUITE(TypesTest, Targets, TargetNames);

struct SizeCase {
    const char* name;
    ssize_t size;
    int kind;
};

// Sizes are the C compiler's own for the same headers: the CTF was compiled from them.
const SizeCase kSizes[] = {
    {"struct kvm", sizeof(struct kvm), CTF_K_STRUCT},
    {"kvm`struct kvm", sizeof(struct kvm), CTF_K_STRUCT},
    {"struct kvm`kvm", sizeof(struct kvm), CTF_K_STRUCT},
    {"struct kvm_vcpu", sizeof(struct kvm_vcpu), CTF_K_STRUCT},
    {"kvm`struct kvm_vcpu", sizeof(struct kvm_vcpu), CTF_K_STRUCT},
    {"struct kvm_memslots", sizeof(struct kvm_memslots), CTF_K_STRUCT},
    {"struct kvm_memory_slot", sizeof(struct kvm_memory_slot), CTF_K_STRUCT},
    {"struct kvm_mem_aliases", sizeof(struct kvm_mem_aliases), CTF_K_STRUCT},
    {"struct kvm_irq_routing_table", sizeof(struct kvm_irq_routing_table), CTF_K_STRUCT},
    {"struct kvm_mmu_page", sizeof(struct kvm_mmu_page), CTF_K_STRUCT},
    {"struct kvm_mmu", sizeof(struct kvm_mmu), CTF_K_STRUCT},
    {"kvm_ringbuf_t", sizeof(kvm_ringbuf_t), CTF_K_TYPEDEF},
    {"list_t", sizeof(list_t), CTF_K_TYPEDEF},
    {"genunix`list_t", sizeof(list_t), CTF_K_TYPEDEF},
    {"unix`list_t", sizeof(list_t), CTF_K_TYPEDEF},
    {"list_node_t", sizeof(list_node_t), CTF_K_TYPEDEF},
    {"avl_tree_t", sizeof(avl_tree_t), CTF_K_TYPEDEF},
    {"avl_node_t", sizeof(avl_node_t), CTF_K_TYPEDEF},
    {"struct memseg", sizeof(struct memseg), CTF_K_STRUCT},
    {"page_t", sizeof(page_t), CTF_K_TYPEDEF},
    {"int", 4, CTF_K_INTEGER},
    {"unsigned long", 8, CTF_K_INTEGER},
    {"uint64_t", 8, CTF_K_TYPEDEF},
    {"char *", 8, CTF_K_POINTER},
    {"struct kvm *", 8, CTF_K_POINTER},
    {"struct kvm **", 8, CTF_K_POINTER},
    {"int [4]", 16, CTF_K_ARRAY},
    {"list_t [2][3]", 6 * sizeof(list_t), CTF_K_ARRAY},
};

TYPED_TEST(TypesTest, LookupKindAndSize) {
    for (const auto& c : kSizes) {
        SCOPED_TRACE(c.name);
        mdb_ctf_id_t id;
        ASSERT_EQ(mdb_ctf_lookup_by_name(c.name, &id), 0) << mdbsim::host::strerror_mdb(errno);
        EXPECT_TRUE(mdb_ctf_type_valid(id));
        EXPECT_EQ(mdb_ctf_type_kind(id), c.kind);
        EXPECT_EQ(mdb_ctf_type_size(id), c.size);
        EXPECT_EQ(mdb_ctf_sizeof_by_name(c.name), c.size);
    }
}

struct MemberCase {
    const char* type;
    const char* member;
    size_t offset;
    const char* type_name;
};

const MemberCase kMembers[] = {
    {"struct kvm", "memslots", offsetof(struct kvm, memslots), "struct kvm_memslots *"},
    {"struct kvm", "vm_list", offsetof(struct kvm, vm_list), "list_node_t"},
    {"struct kvm", "kvmid", offsetof(struct kvm, kvmid), "int"},
    {"struct kvm", "online_vcpus", offsetof(struct kvm, online_vcpus), "volatile int"},
    {"struct kvm", "kvm_avlmp", offsetof(struct kvm, kvm_avlmp), "avl_tree_t"},
    {"struct kvm", "vcpus", offsetof(struct kvm, vcpus), "struct kvm_vcpu *[64]"},
    {"struct kvm_memory_slot", "base_gfn", offsetof(struct kvm_memory_slot, base_gfn), "unsigned long"},
    {"struct kvm_memory_slot", "userspace_addr", offsetof(struct kvm_memory_slot, userspace_addr), "unsigned long"},
    {"list_t", "list_head", offsetof(list_t, list_head), "struct list_node"},
    {"struct memseg", "pages_end", offsetof(struct memseg, pages_end), "pfn_t"},
    {"page_t", "p_pagenum", offsetof(page_t, p_pagenum), "pfn_t"},
};

TYPED_TEST(TypesTest, MemberInfo) {
    for (const auto& c : kMembers) {
        SCOPED_TRACE(std::string(c.type) + "." + c.member);
        mdb_ctf_id_t id, mt;
        ASSERT_EQ(mdb_ctf_lookup_by_name(c.type, &id), 0);
        ulong_t off = 0;
        ASSERT_EQ(mdb_ctf_member_info(id, c.member, &off, &mt), 0);
        EXPECT_EQ(off, c.offset * 8);  // in bits, as mdb's
        char buf[256];
        ASSERT_NE(mdb_ctf_type_name(mt, buf, sizeof buf), nullptr);
        EXPECT_STREQ(buf, c.type_name);
        EXPECT_EQ(mdb_ctf_offsetof_by_name(c.type, c.member), static_cast<int>(c.offset));
    }
}

// The name and member memos (direct-mapped, two ways, hashed partly on addresses that vary from
// run to run) must answer as the first, unmemoized lookups did, however the keys collide: every
// name and member, round after round, in an order that changes between rounds.
TYPED_TEST(TypesTest, MemoizedAnswersMatchTheFirstOnes) {
    const size_t n = sizeof kMembers / sizeof kMembers[0];
    std::vector<mdb_ctf_id_t> ids(n);
    std::vector<ulong_t> offs(n);
    std::vector<mdb_ctf_id_t> types(n);
    for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(mdb_ctf_lookup_by_name(kMembers[i].type, &ids[i]), 0);
        ASSERT_EQ(mdb_ctf_member_info(ids[i], kMembers[i].member, &offs[i], &types[i]), 0);
    }
    for (size_t round = 0; round < 6; ++round) {
        for (size_t k = 0; k < n; ++k) {
            const size_t i = (k * (round + 1) + round) % n;  // a different order each round
            SCOPED_TRACE(std::string(kMembers[i].type) + "." + kMembers[i].member);
            mdb_ctf_id_t id, mt;
            ulong_t off = 0;
            ASSERT_EQ(mdb_ctf_lookup_by_name(kMembers[i].type, &id), 0);
            EXPECT_EQ(std::memcmp(&id, &ids[i], sizeof id), 0);
            ASSERT_EQ(mdb_ctf_member_info(id, kMembers[i].member, &off, &mt), 0);
            EXPECT_EQ(off, offs[i]);
            EXPECT_EQ(std::memcmp(&mt, &types[i], sizeof mt), 0);
        }
    }
}

TYPED_TEST(TypesTest, MembersInOrderAndArrays) {
    mdb_ctf_id_t id;
    ASSERT_EQ(mdb_ctf_lookup_by_name("struct kvm_memslots", &id), 0);
    EXPECT_EQ(mdb_ctf_num_members(id), 2);
    std::vector<std::string> names;
    mdb_ctf_member_iter(id, [](const char* n, mdb_ctf_id_t, ulong_t, void* a) {
        static_cast<std::vector<std::string>*>(a)->push_back(n);
        return 0;
    }, &names);
    EXPECT_EQ(names, (std::vector<std::string>{"nmemslots", "memslots"}));
    mdb_ctf_id_t arr;
    ASSERT_EQ(mdb_ctf_member_info(id, "memslots", nullptr, &arr), 0);
    mdb_ctf_arinfo_t ai;
    ASSERT_EQ(mdb_ctf_array_info(arr, &ai), 0);
    EXPECT_EQ(ai.mta_nelems, KVM_MEMORY_SLOTS + KVM_PRIVATE_MEM_SLOTS);
    EXPECT_EQ(mdb_ctf_type_size(ai.mta_contents), static_cast<ssize_t>(sizeof(struct kvm_memory_slot)));
}

TYPED_TEST(TypesTest, ResolveAndReference) {
    mdb_ctf_id_t id, r, ref;
    ASSERT_EQ(mdb_ctf_lookup_by_name("list_t", &id), 0);
    ASSERT_EQ(mdb_ctf_type_resolve(id, &r), 0);
    EXPECT_EQ(mdb_ctf_type_kind(r), CTF_K_STRUCT);
    char buf[64];
    EXPECT_STREQ(mdb_ctf_type_name(r, buf, sizeof buf), "struct list");
    ASSERT_EQ(mdb_ctf_lookup_by_name("struct kvm *", &id), 0);
    ASSERT_EQ(mdb_ctf_type_reference(id, &ref), 0);
    EXPECT_STREQ(mdb_ctf_type_name(ref, buf, sizeof buf), "struct kvm");
}

TYPED_TEST(TypesTest, SymbolsHaveTypes) {
    GElf_Sym sym;
    ASSERT_EQ(mdb_lookup_by_name("vm_list", &sym), 0);
    mdb_ctf_id_t id;
    ASSERT_EQ(mdb_ctf_lookup_by_addr(sym.st_value, &id), 0);
    char buf[64];
    EXPECT_STREQ(mdb_ctf_type_name(id, buf, sizeof buf), "list_t");
    ASSERT_EQ(mdb_lookup_by_name("memsegs", &sym), 0);
    ASSERT_EQ(mdb_ctf_lookup_by_symbol(&sym, nullptr, &id), 0);
    EXPECT_STREQ(mdb_ctf_type_name(id, buf, sizeof buf), "struct memseg *");
}

struct BadCase {
    const char* name;
    int err;
};

TYPED_TEST(TypesTest, BadNamesFailWithMdbErrors) {
    const BadCase cases[] = {
        {"struct no_such_thing", EMDB_CTF},
        {"nosuchmodule`list_t", EMDB_NOOBJ},
        {"kvm`struct no_such_thing", EMDB_CTF},
        {"", EMDB_CTF},
        {"int [x]", EMDB_CTF},
        {"int [4", EMDB_CTF},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        mdb_ctf_id_t id;
        errno = 0;
        EXPECT_EQ(mdb_ctf_lookup_by_name(c.name, &id), -1);
        EXPECT_EQ(errno, c.err);
        EXPECT_FALSE(mdb_ctf_type_valid(id));
    }
    mdb_ctf_id_t id;
    ASSERT_EQ(mdb_ctf_lookup_by_name("struct kvm", &id), 0);
    errno = 0;
    EXPECT_EQ(mdb_ctf_member_info(id, "no_such_member", nullptr, nullptr), -1);
    EXPECT_EQ(errno, EMDB_CTFNOMEMB);
    mdb_ctf_id_t bad;
    mdb_ctf_type_invalidate(&bad);
    EXPECT_EQ(mdb_ctf_type_kind(bad), -1);
    EXPECT_EQ(mdb_ctf_type_size(bad), -1);
    EXPECT_EQ(mdb_ctf_lookup_by_name(nullptr, &id), -1);
    EXPECT_EQ(errno, EINVAL);
}

TYPED_TEST(TypesTest, TypeNamesForCompletion) {
    const auto names = this->session.types().type_names();
    for (const char* n : {"struct kvm", "list_t", "struct memseg", "page_t", "unsigned long", "kvm_ringbuf_t"})
        EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
    const auto kvm = this->session.types().type_names("kvm");
    EXPECT_NE(std::find(kvm.begin(), kvm.end(), "struct kvm_vcpu"), kvm.end());
}

TEST(TypesModules, KernelIsGenunixParentWithChildren) {
    auto s = fixtures::make_scenario("minimal");
    Session session(*s.target);
    const auto& mods = session.types().modules();
    ASSERT_FALSE(mods.empty());
    EXPECT_EQ(mods.front().name, "genunix");
    EXPECT_EQ(mods.front().parent, "");
    bool kvm = false;
    for (const auto& m : mods)
        if (m.name == "kvm") {
            kvm = true;
            EXPECT_EQ(m.parent, "genunix");
            // The child does not copy the parent's types: list_t is genunix's.
            EXPECT_NE(ctf_parent_dict(m.dict), nullptr);
        }
    EXPECT_TRUE(kvm);
    // genunix alone has no kvm structures.
    mdb_ctf_id_t id;
    EXPECT_EQ(mdb_ctf_lookup_by_name("genunix`struct kvm", &id), -1);
}

TEST(TypesSynthetic, TypedefsAreFoundByLookups) {
    auto s = fixtures::make_scenario("minimal");
    Session session(*s.target);
    TypeSystem& ts = session.types();
    ASSERT_EQ(ts.create_base(DataModel::lp64), 0);
    TypeRef st;
    ASSERT_EQ(ts.add_struct("mine", &st), 0);
    TypeRef ul = ts.lookup("unsigned long");
    ASSERT_TRUE(ul.valid());
    ASSERT_EQ(ts.add_member(st, "a", ul, nullptr), 0);
    TypeRef td;
    ASSERT_EQ(ts.add_typedef("mine_t", st, &td), 0);
    mdb_ctf_id_t id;
    ASSERT_EQ(mdb_ctf_lookup_by_name("mine_t", &id), 0);
    EXPECT_EQ(mdb_ctf_type_size(id), 8);
    errno = 0;
    EXPECT_EQ(ts.add_typedef("list_t", ul, nullptr), -1);
    EXPECT_EQ(errno, EEXIST);
    const auto synth = ts.type_names("typedef");
    EXPECT_NE(std::find(synth.begin(), synth.end(), "mine_t"), synth.end());
}

// mdb_ctf_member_info indexes a type's members the first time it is asked: a member added to a
// synthetic struct afterwards is found, at its offset; members of an anonymous union member are
// found as the struct's own, at the union's offset.
TEST(TypesSynthetic, MembersAddedAfterALookupAreFound) {
    auto s = fixtures::make_scenario("minimal");
    Session session(*s.target);
    TypeSystem& ts = session.types();
    ASSERT_EQ(ts.create_base(DataModel::lp64), 0);
    TypeRef st, un;
    ASSERT_EQ(ts.add_struct("grows", &st), 0);
    const TypeRef ul = ts.lookup("unsigned long"), in = ts.lookup("int");
    ASSERT_TRUE(ul.valid() && in.valid());
    ASSERT_EQ(ts.add_member(st, "a", ul, nullptr), 0);
    mdb_ctf_id_t id = to_mdb_id(st), mt;
    ulong_t off = 1;
    ASSERT_EQ(mdb_ctf_member_info(id, "a", &off, &mt), 0);
    EXPECT_EQ(off, 0u);
    errno = 0;
    EXPECT_EQ(mdb_ctf_member_info(id, "b", &off, &mt), -1);
    EXPECT_EQ(errno, EMDB_CTFNOMEMB);
    ASSERT_EQ(ts.add_member(st, "b", in, nullptr), 0);
    ASSERT_EQ(mdb_ctf_member_info(id, "b", &off, &mt), 0);
    EXPECT_EQ(off, 64u);
    EXPECT_EQ(mdb_ctf_type_size(mt), 4);
    ASSERT_EQ(ts.add_union("", &un), 0);
    ASSERT_EQ(ts.add_member(un, "c", ul, nullptr), 0);
    ASSERT_EQ(ts.add_member(un, "d", in, nullptr), 0);
    ASSERT_EQ(ts.add_member(st, "", un, nullptr), 0);
    ASSERT_EQ(mdb_ctf_member_info(id, "d", &off, &mt), 0);
    EXPECT_EQ(off, 128u);
    EXPECT_EQ(mdb_ctf_type_size(mt), 4);
}

}  // namespace
}  // namespace mdbsim::host::test
