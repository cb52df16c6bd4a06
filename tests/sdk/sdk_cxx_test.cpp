// The SDK seen from C++ (the host includes <sys/mdb_modapi.h>): the header must compile cleanly
// as C++20, give C linkage, keep the same layouts as in C, and its macros must behave as
// illumos' do (AVL pcb packing, bitmaps, DCMD_HDRSPEC, dump flags).
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <sys/mdb_modapi.h>
#include <mdb/mdb_ks.h>
#include <mdb/mdb_ctf.h>
#include <sys/avl.h>
#include <sys/bitmap.h>
#include <sys/fp.h>
#include <sys/kstat.h>
#include <sys/list.h>
#include <sys/param.h>
#include <sys/sunddi.h>
#include <sys/sysmacros.h>
#include <vm/page.h>
#include <mdbsim/mdb_errno.h>

// Defining API functions with C linkage here only compiles if the header declared them with C
// linkage too (a C++-linkage declaration followed by an extern "C" definition is an error).
extern "C" ssize_t mdb_vread(void* buf, size_t n, uintptr_t addr)
{
    (void)buf;
    (void)addr;
    return static_cast<ssize_t>(n);
}
extern "C" uintptr_t mdb_pfn2page(pfn_t pfn)
{
    return pfn * sizeof(page_t);
}
extern "C" int mdb_getopts(int argc, const mdb_arg_t*, ...)
{
    return argc;
}

namespace {

static_assert(sizeof(mdb_arg_t) == 16 && offsetof(mdb_arg_t, a_un) == 8);
static_assert(sizeof(mdb_dcmd_t) == 48 && offsetof(mdb_dcmd_t, dc_tabp) == 0x28);
static_assert(sizeof(mdb_walk_state_t) == 48 && offsetof(mdb_walk_state_t, walk_layer) == 0x28);
static_assert(sizeof(mdb_walker_t) == 48 && offsetof(mdb_walker_t, walk_init_arg) == 0x28);
static_assert(sizeof(mdb_modinfo_t) == 24 && offsetof(mdb_modinfo_t, mi_walkers) == 0x10);
static_assert(sizeof(mdb_symbol_t) == 32 && offsetof(mdb_symbol_t, sym_id) == 0x1c);
static_assert(sizeof(GElf_Sym) == 24);
static_assert(std::is_same_v<mdb_dcmd_f, int(uintptr_t, uint_t, int, const mdb_arg_t*)>);
static_assert(std::is_same_v<mdb_walk_cb_t, int (*)(uintptr_t, const void*, void*)>);
static_assert(std::is_same_v<decltype(&mdb_printf), void (*)(const char*, ...)>);
static_assert(std::is_same_v<decltype(&mdb_snprintf), size_t (*)(char*, size_t, const char*, ...)>);
static_assert(std::is_same_v<decltype(&mdb_strtoull), u_longlong_t (*)(const char*)>);
static_assert(std::is_same_v<decltype(&mdb_readvar), ssize_t (*)(void*, const char*)>);
static_assert(std::is_same_v<decltype(&mdb_pfn2page), uintptr_t (*)(pfn_t)>);
static_assert(sizeof(page_t) == 120 && offsetof(page_t, p_pagenum) == 0x58);
static_assert(sizeof(struct memseg) == 56 && offsetof(struct memseg, next) == 0x20);
static_assert(sizeof(list_t) == 32 && sizeof(avl_tree_t) == 40 && sizeof(avl_node_t) == 24);
static_assert(sizeof(kstat_named_t) == 48 && sizeof(kcondvar_t) == 2 && sizeof(kmutex_t) == 8);
static_assert(sizeof(fxsave_state) == 512 && alignof(fxsave_state) == 16);
static_assert(B_FALSE == 0 && B_TRUE == 1 && sizeof(boolean_t) == 4);
static_assert(EMDB_BASE == 1000 && EMDB_STKFRAME == 1077);
// In C++ illumos' NULL is the plain integer 0.
static_assert(std::is_same_v<decltype(NULL), int>);

struct Offset {
    const char* what;
    size_t actual;
    size_t expected;
};

class LayoutTable : public ::testing::TestWithParam<Offset> {};

TEST_P(LayoutTable, MatchesSpec)
{
    EXPECT_EQ(GetParam().actual, GetParam().expected) << GetParam().what;
}

#define ROW(t, m, n) Offset{#t "." #m, offsetof(t, m), n}
INSTANTIATE_TEST_SUITE_P(Sdk, LayoutTable,
    ::testing::Values(ROW(list_t, list_head, 0x10), ROW(list_node_t, list_prev, 0x8),
        ROW(avl_node_t, avl_pcb, 0x10), ROW(avl_tree_t, avl_offset, 0x10),
        ROW(avl_tree_t, avl_numnodes, 0x18), ROW(avl_tree_t, avl_size, 0x20),
        ROW(page_t, p_selock, 0x10), ROW(page_t, p_lckcnt, 0x40), ROW(page_t, p_cv, 0x44),
        ROW(page_t, p_mapping, 0x50), ROW(page_t, p_pagenum, 0x58), ROW(page_t, p_ilock, 0x70),
        ROW(struct memseg, pages_base, 0x10), ROW(struct memseg, pages_end, 0x18),
        ROW(struct memseg, msegflags, 0x30), ROW(kstat_named_t, value, 0x20),
        ROW(fxsave_state, fx_xmm, 0xa0), ROW(fxsave_state, __fx_ign2, 0x1a0),
        ROW(mdb_object_t, obj_size, 0x18), ROW(mdb_bitmask_t, bm_bits, 0x10),
        ROW(mdb_pipe_t, pipe_len, 0x8)));
#undef ROW

// One node's pcb holds parent, child index and balance; each setter must leave the others.
struct PcbCase {
    uintptr_t parent;
    int child;
    int balance;
};

class AvlPcb : public ::testing::TestWithParam<PcbCase> {};

TEST_P(AvlPcb, RoundTripsEveryField)
{
    const PcbCase& c = GetParam();
    avl_node_t node{};
    AVL_SETPARENT(&node, c.parent);
    AVL_SETCHILD(&node, c.child);
    AVL_SETBALANCE(&node, c.balance);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(AVL_XPARENT(&node)), c.parent);
    EXPECT_EQ(AVL_XCHILD(&node), c.child);
    EXPECT_EQ(AVL_XBALANCE(&node), c.balance);
    EXPECT_EQ(node.avl_pcb, c.parent | (uintptr_t(c.child) << 2) | uintptr_t(c.balance + 1));

    // Changing one field later keeps the other two.
    AVL_SETBALANCE(&node, -c.balance);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(AVL_XPARENT(&node)), c.parent);
    EXPECT_EQ(AVL_XCHILD(&node), c.child);
    AVL_SETCHILD(&node, 1 - c.child);
    EXPECT_EQ(AVL_XBALANCE(&node), -c.balance);
    AVL_SETPARENT(&node, uintptr_t{0});
    EXPECT_EQ(AVL_XPARENT(&node), nullptr);
    EXPECT_EQ(AVL_XCHILD(&node), 1 - c.child);
}

INSTANTIATE_TEST_SUITE_P(Sdk, AvlPcb,
    ::testing::Values(PcbCase{0, 0, 0}, PcbCase{0xfffffe0000001000, 1, -1},
        PcbCase{0xfffffe00deadbee8, 0, 1}, PcbCase{0x8, 1, 0}, PcbCase{0xfffffffffffffff8, 1, 1}));

TEST(AvlMacros, NodeAndDataConvertThroughTheOffset)
{
    struct Elem {
        uint64_t key;
        avl_node_t node;
    } e{};
    avl_node_t* n = AVL_DATA2NODE(&e, offsetof(Elem, node));
    EXPECT_EQ(n, &e.node);
    EXPECT_EQ(AVL_NODE2DATA(n, offsetof(Elem, node)), static_cast<void*>(&e));
    uintptr_t idx = AVL_MKINDEX(n, AVL_AFTER);
    EXPECT_EQ(AVL_INDEX2NODE(idx), n);
    EXPECT_EQ(AVL_INDEX2CHILD(idx), AVL_AFTER);
}

TEST(Bitmap, WordsAndBits)
{
    EXPECT_EQ(BT_BITOUL(1), 1);
    EXPECT_EQ(BT_BITOUL(64), 1);
    EXPECT_EQ(BT_BITOUL(65), 2);
    EXPECT_EQ(BT_BITOUL(512), 8);
    ulong_t map[BT_BITOUL(130)] = {};
    BT_SET(map, 0);
    BT_SET(map, 64);
    BT_SET(map, 129);
    EXPECT_EQ(map[0], 1UL);
    EXPECT_EQ(map[1], 1UL);
    EXPECT_EQ(map[2], 2UL);
    EXPECT_EQ(BT_TEST(map, 129), 1);
    EXPECT_EQ(BT_TEST(map, 128), 0);
    BT_CLEAR(map, 129);
    EXPECT_EQ(map[2], 0UL);
}

TEST(ModapiMacros, HeaderSpecFollowsLoopFlags)
{
    struct {
        uint_t flags;
        bool header;
    } const rows[] = {
        {0, true},
        {DCMD_ADDRSPEC, true},
        {DCMD_LOOP, false},
        {DCMD_LOOP | DCMD_LOOPFIRST, true},
        {DCMD_ADDRSPEC | DCMD_LOOP | DCMD_PIPE | DCMD_PIPE_OUT, false},
        {DCMD_ADDRSPEC | DCMD_LOOP | DCMD_LOOPFIRST | DCMD_PIPE, true},
    };
    for (const auto& r : rows)
        EXPECT_EQ(static_cast<bool>(DCMD_HDRSPEC(r.flags)), r.header) << "flags " << r.flags;
}

TEST(ModapiMacros, DumpWidthAndGroupEncodeMinusOne)
{
    EXPECT_EQ(MDB_DUMP_WIDTH(1), 0);
    EXPECT_EQ(MDB_DUMP_WIDTH(16), 0xf << 16);
    EXPECT_EQ(MDB_DUMP_WIDTH(17), 0);  // wraps: only four bits
    EXPECT_EQ(MDB_DUMP_GROUP(1), 0);
    EXPECT_EQ(MDB_DUMP_GROUP(8), 7 << 20);
    EXPECT_EQ(MDB_DUMP_GROUP(256), 0xff << 20);
}

TEST(ModapiMacros, ObjectSelectorsAndHelpers)
{
    EXPECT_EQ(reinterpret_cast<intptr_t>(MDB_OBJ_EXEC), 0);
    EXPECT_EQ(reinterpret_cast<intptr_t>(MDB_OBJ_RTLD), 1);
    EXPECT_EQ(reinterpret_cast<intptr_t>(MDB_OBJ_EVERY), -1);
    EXPECT_EQ(OFFSETOF(mdb_walk_state_t, walk_addr), 0x10u);
    EXPECT_EQ(MIN(3, -2), -2);
    EXPECT_EQ(MAX(3u, 7u), 7u);
    EXPECT_EQ(PAGESIZE, 4096);
    EXPECT_EQ(PAGEOFFSET, 0xfff);
    EXPECT_EQ(static_cast<uint64_t>(PAGEMASK), ~uint64_t{0xfff});
    EXPECT_EQ(btop(0x5fffUL), 5UL);
    EXPECT_EQ(btopr(0x5001UL), 6UL);
    EXPECT_EQ(ptob(3UL), 0x3000UL);
}

struct P2Case {
    uint64_t x;
    uint64_t align;
    uint64_t aligned, phase, nphase, roundup, end;
};

class PowerOfTwo : public ::testing::TestWithParam<P2Case> {};

TEST_P(PowerOfTwo, AlignmentHelpers)
{
    const P2Case& c = GetParam();
    EXPECT_EQ(P2ALIGN(c.x, c.align), c.aligned);
    EXPECT_EQ(P2PHASE(c.x, c.align), c.phase);
    EXPECT_EQ(P2NPHASE(c.x, c.align), c.nphase);
    EXPECT_EQ(P2ROUNDUP(c.x, c.align), c.roundup);
    EXPECT_EQ(P2END(c.x, c.align), c.end);
    EXPECT_EQ(IS_P2ALIGNED(c.x, c.align), c.phase == 0);
    EXPECT_TRUE(ISP2(c.align));
}

INSTANTIATE_TEST_SUITE_P(Sdk, PowerOfTwo,
    ::testing::Values(P2Case{0x1234, 0x1000, 0x1000, 0x234, 0xdcc, 0x2000, 0x2000},
        P2Case{0x2000, 0x1000, 0x2000, 0, 0, 0x2000, 0x3000},
        P2Case{0, 8, 0, 0, 0, 0, 8},
        P2Case{0xfffffe0000000007, 8, 0xfffffe0000000000, 7, 1, 0xfffffe0000000008,
            0xfffffe0000000008}));

TEST(ModapiLinkage, CallsReachTheCDefinitions)
{
    char buf[8];
    EXPECT_EQ(mdb_vread(buf, sizeof buf, 0x1000), 8);
    EXPECT_EQ(mdb_pfn2page(2), 2 * sizeof(page_t));
    mdb_arg_t args[2] = {};
    uint_t opt = 0;
    EXPECT_EQ(mdb_getopts(2, args, 'v', MDB_OPT_SETBITS, TRUE, &opt, NULL), 2);
}

}  // namespace
