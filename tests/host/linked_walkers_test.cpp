// genunix `list` and `avl`, unix `memseg` and mdb_pfn2page over well-formed and corrupt
// primitives, on every backend. Every corruption must end in an error, never a hang.
#include <mdb/mdb_ks.h>
#include <sys/avl_impl.h>
#include <sys/list_impl.h>
#include <sys/mdb_modapi.h>
#include <vm/page.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

#include "host_fixture.hpp"
#include "mdbsim/mdb_errno.h"

namespace mdbsim::host::test {
namespace {

struct Visits {
    std::vector<uintptr_t> addrs;
    std::vector<uint64_t> first_words;  // the copy's first 8 bytes
};

int record(uintptr_t addr, const void* data, void* arg) {
    auto* v = static_cast<Visits*>(arg);
    v->addrs.push_back(addr);
    uint64_t w = 0;
    if (data) std::memcpy(&w, data, sizeof w);
    v->first_words.push_back(w);
    return v->addrs.size() > 10000 ? WALK_DONE : WALK_NEXT;  // a hang guard for the tests themselves
}

// ---- list ----

template <class T> class ListWalkTest : public HostTest<T> {
public:
    static constexpr uint64_t kObjSize = 48;
    static constexpr uint64_t kNodeOff = 16;
    void SetUp() override {
        objs.clear();
        list = sim::ListBuilder::create(this->heap(), kObjSize, kNodeOff);
        for (int i = 0; i < 4; ++i) {
            uint64_t obj = this->heap().alloc(kObjSize);
            this->target().template put<uint64_t>(obj, 100 + i);
            sim::ListBuilder::append(this->target(), list, obj);
            objs.push_back(obj);
        }
    }
    uint64_t node(int i) const { return objs[i] + kNodeOff; }
    void set_next(int i, uint64_t next) { this->target().template put<uint64_t>(node(i), next); }
    int walk(Visits& v, uint64_t addr) { return mdb_pwalk("list", record, &v, addr); }
    uint64_t list = 0;
    std::vector<uint64_t> objs;
};
TYPED_TEST_SUITE(ListWalkTest, Backends, BackendNames);

TYPED_TEST(ListWalkTest, VisitsElementsInOrderWithCopies) {
    Visits v;
    ASSERT_EQ(this->walk(v, this->list), 0);
    EXPECT_EQ(v.addrs, this->objs);
    EXPECT_EQ(v.first_words, (std::vector<uint64_t>{100, 101, 102, 103}));
    EXPECT_EQ(this->h.take_err(), "");
    uint64_t empty = sim::ListBuilder::create(this->heap(), 48, 0);
    Visits none;
    EXPECT_EQ(this->walk(none, empty), 0);
    EXPECT_TRUE(none.addrs.empty());
}

TYPED_TEST(ListWalkTest, CorruptListsFail) {
    struct Case {
        const char* name;
        std::function<uint64_t(ListWalkTest<TypeParam>&)> corrupt;  // returns the walk's start
        int expect_errno;
        std::string warning;
    };
    auto hex = [](uint64_t v) { return fmt::format("{:#x}", v); };
    const Case cases[] = {
        {"global walk", [](auto&) { return uint64_t{0}; }, EMDB_WALKINIT,
         "mdb: list walk doesn't support global walks\n"},
        {"unreadable list_t",
         [](auto& t) {
             t.heap().skip_hole();
             return t.heap().next();
         },
         EMDB_WALKINIT, "mdb: failed to read list_t at {}: no mapping for address\n"},
        {"size below offset + 16",
         [](auto& t) {
             t.target().template put<uint64_t>(t.list, 24);
             return t.list;
         },
         EMDB_WALKINIT, "mdb: invalid or uninitialized list_t at {}\n"},
        {"offset beyond size",
         [](auto& t) {
             t.target().template put<uint64_t>(t.list + 8, ~0ull - 4);
             return t.list;
         },
         EMDB_WALKINIT, "mdb: invalid or uninitialized list_t at {}\n"},
        {"implausible size",
         [](auto& t) {
             t.target().template put<uint64_t>(t.list, 1ull << 40);
             return t.list;
         },
         EMDB_WALKINIT, "mdb: list walk: list_t at {} has an implausible list_size 0x10000000000\n"},
        {"cycle avoiding the sentinel",
         [](auto& t) {
             t.set_next(3, t.node(1));
             return t.list;
         },
         EMDB_TGT, "mdb: list walk: cycle detected at node "},
        {"self-linked element",
         [](auto& t) {
             t.set_next(0, t.node(0));
             return t.list;
         },
         EMDB_TGT, "mdb: list walk: cycle detected at node "},
        {"null next",
         [](auto& t) {
             t.set_next(1, 0);
             return t.list;
         },
         EMDB_NOMAP, "mdb: failed to read list element at 0xfffffffffffffff0: no mapping for address\n"},
        {"element in unmapped memory",
         [](auto& t) {
             t.set_next(2, 0xdead0000 + ListWalkTest<TypeParam>::kNodeOff);
             return t.list;
         },
         EMDB_NOMAP, "mdb: failed to read list element at 0xdead0000: no mapping for address\n"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        this->SetUp();
        uint64_t start = c.corrupt(*this);
        Visits v;
        errno = 0;
        EXPECT_EQ(this->walk(v, start), -1);
        EXPECT_EQ(errno, c.expect_errno);
        EXPECT_LT(v.addrs.size(), 16u);
        std::string err = this->h.take_err();
        std::string expect = fmt::format(fmt::runtime(c.warning), hex(start));
        EXPECT_EQ(err.substr(0, expect.size()), expect) << err;
    }
}

TYPED_TEST(ListWalkTest, PartiallyMappedElementFails) {
    // The last element straddles the end of its mapping: only its first 16 bytes are readable.
    uint64_t page = 0x71000000;
    this->target().vmem().map(page, sim::kPageSize, sim::kProtRW, "lonely page");
    uint64_t obj = page + sim::kPageSize - 32;  // node at +16 is readable, the rest is not
    sim::ListBuilder::append(this->target(), this->list, obj);
    Visits v;
    EXPECT_EQ(this->walk(v, this->list), -1);
    EXPECT_EQ(errno, EMDB_PARTIAL);
    EXPECT_EQ(v.addrs.size(), 4u);
    EXPECT_EQ(this->h.take_err(),
              fmt::format("mdb: failed to read list element at {:#x}: only 32 of 48 bytes could be read\n", obj));
}

TYPED_TEST(ListWalkTest, WalkDcmdPrintsAddresses) {
    ASSERT_EQ(this->h.run(fmt::format("{:#x}::walk list", this->list)), 0);
    std::string expect;
    for (uint64_t o : this->objs) expect += fmt::format("{:#x}\n", o);
    EXPECT_EQ(this->h.take_out(), expect);
    this->set_next(3, this->node(0));
    this->h.run(fmt::format("{:#x}::walk list", this->list));
    EXPECT_EQ(this->h.session.last_status, DCMD_ERR);
    std::string err = this->h.take_err();
    EXPECT_NE(err.find("mdb: failed to perform walk: target error\n"), std::string::npos) << err;
}

// ---- avl ----

template <class T> class AvlWalkTest : public HostTest<T> {
public:
    static constexpr uint64_t kObjSize = 40;
    static constexpr uint64_t kAvlOff = 8;
    void SetUp() override {
        objs.clear();
        tree = this->heap().alloc(sizeof(struct avl_tree));
        for (uint64_t k = 0; k < 20; ++k) {
            uint64_t obj = this->heap().alloc(kObjSize);
            this->target().template put<uint64_t>(obj, (k * 7919) % 1000);  // keys in scrambled order
            objs.push_back(obj);
        }
        sim::AvlBuilder::build_sorted(
            this->target(), tree, objs, [this](uint64_t o) { return this->target().template peek<uint64_t>(o); },
            kAvlOff, kObjSize);
    }
    struct avl_node node_of(uint64_t obj) { return this->target().template peek<struct avl_node>(obj + kAvlOff); }
    uint64_t root_obj() { return this->target().template peek<uint64_t>(tree) - kAvlOff; }
    int walk(Visits& v) { return mdb_pwalk("avl", record, &v, tree); }
    uint64_t tree = 0;
    std::vector<uint64_t> objs;
};
TYPED_TEST_SUITE(AvlWalkTest, Backends, BackendNames);

TYPED_TEST(AvlWalkTest, WalksInKeyOrder) {
    Visits v;
    ASSERT_EQ(this->walk(v), 0);
    ASSERT_EQ(v.addrs.size(), 20u);
    EXPECT_TRUE(std::is_sorted(v.first_words.begin(), v.first_words.end()));
    std::vector<uint64_t> sorted = this->objs;
    std::sort(sorted.begin(), sorted.end());
    std::vector<uint64_t> seen(v.addrs.begin(), v.addrs.end());
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(seen, sorted);
    EXPECT_EQ(this->h.take_err(), "");

    uint64_t empty = this->heap().alloc(sizeof(struct avl_tree));
    sim::AvlBuilder::build(this->target(), empty, {}, 8, 40);
    Visits none;
    EXPECT_EQ(mdb_pwalk("avl", record, &none, empty), 0);
    EXPECT_TRUE(none.addrs.empty());
}

TYPED_TEST(AvlWalkTest, CorruptTreesFail) {
    auto node_addr = [](uint64_t obj) { return obj + AvlWalkTest<TypeParam>::kAvlOff; };
    struct Case {
        const char* name;
        std::function<void(AvlWalkTest<TypeParam>&)> corrupt;
        int expect_errno;
        const char* warning;  // prefix
    };
    const Case cases[] = {
        {"size too small for the node",
         [](auto& t) { t.target().template put<uint64_t>(t.tree + 0x20, 16); }, EMDB_WALKINIT,
         "mdb: invalid avl_tree_t at "},
        {"implausible size",
         [](auto& t) { t.target().template put<uint64_t>(t.tree + 0x20, 1ull << 40); }, EMDB_WALKINIT,
         "mdb: avl walk: avl_tree_t at "},
        {"left-child cycle",
         [&](auto& t) {
             uint64_t obj = t.root_obj();
             while (t.node_of(obj).avl_child[0]) obj = reinterpret_cast<uint64_t>(t.node_of(obj).avl_child[0]) - 8;
             t.target().template put<uint64_t>(node_addr(obj), t.target().template peek<uint64_t>(t.tree));
         },
         EMDB_WALKINIT, "mdb: avl walk: left children of tree "},
        {"parent cycle through right-child bits",
         [&](auto& t) {
             // The rightmost element climbs through right-child links; point it at itself.
             uint64_t obj = t.root_obj();
             while (t.node_of(obj).avl_child[1]) obj = reinterpret_cast<uint64_t>(t.node_of(obj).avl_child[1]) - 8;
             t.target().template put<uint64_t>(node_addr(obj) + 16, node_addr(obj) | 4 | 1);
         },
         EMDB_TGT, "mdb: avl walk: parents of tree "},
        {"right child pointing at the root",
         [&](auto& t) {
             uint64_t obj = t.root_obj();
             while (t.node_of(obj).avl_child[1]) obj = reinterpret_cast<uint64_t>(t.node_of(obj).avl_child[1]) - 8;
             t.target().template put<uint64_t>(node_addr(obj) + 8, t.target().template peek<uint64_t>(t.tree));
         },
         EMDB_TGT, "mdb: avl walk: tree "},
        {"child in unmapped memory",
         [&](auto& t) {
             uint64_t obj = t.root_obj();
             t.target().template put<uint64_t>(node_addr(obj) + 8, 0xdead0008);
         },
         EMDB_NOMAP, "mdb: failed to read tree element at 0xdead0000: no mapping for address\n"},
        {"unmapped root", [](auto& t) { t.target().template put<uint64_t>(t.tree, 0xdead0008); },
         EMDB_WALKINIT, "mdb: failed to read tree element at 0xdead0000: no mapping for address\n"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        this->SetUp();
        c.corrupt(*this);
        Visits v;
        errno = 0;
        EXPECT_EQ(this->walk(v), -1);
        EXPECT_EQ(errno, c.expect_errno);
        EXPECT_LT(v.addrs.size(), 200u);
        std::string err = this->h.take_err();
        EXPECT_EQ(err.rfind(c.warning, 0), 0u) << err;
    }
}

// ---- memseg and pfn2page ----

template <class T> class MemsegTest : public HostTest<T> {
public:
    void SetUp() override {
        builder = std::make_unique<sim::MemsegBuilder>(this->heap());
        builder->add(0x100, 0x110);
        builder->add(0x200, 0x204);
        builder->add(0x300, 0x340);
        builder->finish();
    }
    uint64_t seg(int i) const { return builder->segments()[i].addr; }
    std::unique_ptr<sim::MemsegBuilder> builder;
};
TYPED_TEST_SUITE(MemsegTest, Backends, BackendNames);

TYPED_TEST(MemsegTest, WalksTheChainAndFindsPages) {
    Visits v;
    ASSERT_EQ(mdb_walk("memseg", record, &v), 0);
    EXPECT_EQ(v.addrs, (std::vector<uintptr_t>{this->seg(0), this->seg(1), this->seg(2)}));
    for (uint64_t pfn : {0x100ull, 0x10full, 0x203ull, 0x320ull})
        EXPECT_EQ(mdb_pfn2page(pfn), this->builder->page_of(pfn)) << pfn;
    EXPECT_EQ(mdb_page2pfn(this->builder->page_of(0x321)), 0x321u);
    EXPECT_EQ(this->h.take_err(), "");
}

TYPED_TEST(MemsegTest, WalkErrors) {
    Visits v;
    EXPECT_EQ(mdb_pwalk("memseg", record, &v, this->seg(1)), -1);
    EXPECT_EQ(errno, EMDB_WALKINIT);
    EXPECT_EQ(this->h.take_err(), "mdb: memseg only supports global walks\n");

    this->target().template put<uint64_t>(this->seg(2) + 0x20, this->seg(0));  // a loop
    EXPECT_EQ(mdb_walk("memseg", record, &v), -1);
    EXPECT_EQ(errno, EMDB_TGT);
    std::string err = this->h.take_err();
    EXPECT_EQ(err.rfind("mdb: memseg walk: cycle detected at memseg 0x", 0), 0u) << err;
    EXPECT_EQ(mdb_pfn2page(0x999), 0u);
    err = this->h.take_err();
    EXPECT_EQ(err.rfind("mdb: memseg walk: cycle detected at memseg 0x", 0), 0u) << err;
    EXPECT_NE(err.find("\nmdb: pfn2page: can't walk memsegs: target error\n"), std::string::npos) << err;

    this->target().template put<uint64_t>(this->seg(2) + 0x20, 0xdead0000);
    EXPECT_EQ(mdb_walk("memseg", record, &v), -1);
    EXPECT_EQ(errno, EMDB_NOMAP);
    EXPECT_EQ(this->h.take_err(), "mdb: failed to read struct memseg at dead0000: no mapping for address\n");
}

TYPED_TEST(MemsegTest, Pfn2pageWarnings) {
    EXPECT_EQ(mdb_pfn2page(0x5), 0u);
    EXPECT_EQ(this->h.take_err(), "mdb: pfn2page: unable to find page_t for pfn 5\n");

    uint64_t page = this->builder->page_of(0x201);
    this->target().template put<uint64_t>(page + 0x58, 0x777);
    EXPECT_EQ(mdb_pfn2page(0x201), 0u);
    EXPECT_EQ(this->h.take_err(), fmt::format("mdb: pfn2page: page_t 0x{:x} should have PFN 0x201, but actually "
                                              "has 0x777\n",
                                              page));

    this->target().template put<uint64_t>(this->seg(0), 0xdead0000);  // pages of the first memseg
    EXPECT_EQ(mdb_pfn2page(0x101), 0u);
    EXPECT_EQ(this->h.take_err(), fmt::format("mdb: pfn2page: can't read page 0x101 at {:x}: no mapping for address\n",
                                              0xdead0000 + sizeof(page_t)));
}

TEST(MemsegSymbol, MissingOrMisSizedMemsegs) {
    HostHarness h;
    Visits v;
    EXPECT_EQ(mdb_walk("memseg", record, &v), -1);
    EXPECT_EQ(h.take_err(), "mdb: symbol 'memsegs' not found: unknown symbol name\n");
    uint64_t var = h.heap.alloc(16);
    h.target.symbols().add("unix", "memsegs", var, 16);
    EXPECT_EQ(mdb_walk("memseg", record, &v), -1);
    EXPECT_EQ(h.take_err(), "mdb: symbol 'memsegs' has size 16, expected 8\n");
}

}  // namespace
}  // namespace mdbsim::host::test
