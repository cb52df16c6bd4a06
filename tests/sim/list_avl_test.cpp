// list_t and avl_tree_t as the genunix walkers (layouts.md §13.1, §13.2) will see them.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "backends.hpp"
#include "mdbsim/sim/builders.hpp"

namespace mdbsim::sim::test {
namespace {

template <class B> class ListAvlTest : public ::testing::Test {
protected:
    Target t{B::kind};
    KernelHeap heap{t};
};
TYPED_TEST_SUITE(ListAvlTest, Backends, BackendNames);

// Elements as the list walker yields them: forward from the sentinel until it comes back.
std::vector<uint64_t> walk_list(const Target& t, uint64_t list, bool backwards, size_t limit = 10000) {
    const uint64_t offset = t.peek<uint64_t>(list + 8);
    const uint64_t sentinel = list + 16;
    std::vector<uint64_t> out;
    uint64_t node = t.peek<uint64_t>(sentinel + (backwards ? 8 : 0));
    while (node != sentinel && out.size() < limit) {
        out.push_back(node - offset);
        node = t.peek<uint64_t>(node + (backwards ? 8 : 0));
    }
    return out;
}

TYPED_TEST(ListAvlTest, EmptyListPointsAtItsSentinel) {
    const uint64_t list = ListBuilder::create(this->heap, 48, 16);
    EXPECT_EQ(this->t.template peek<uint64_t>(list), 48u);
    EXPECT_EQ(this->t.template peek<uint64_t>(list + 8), 16u);
    EXPECT_EQ(this->t.template peek<uint64_t>(list + 16), list + 16);
    EXPECT_EQ(this->t.template peek<uint64_t>(list + 24), list + 16);
    EXPECT_TRUE(walk_list(this->t, list, false).empty());
}

TYPED_TEST(ListAvlTest, AppendKeepsTheListCircularBothWays) {
    for (size_t n : {1u, 2u, 5u, 37u}) {
        SCOPED_TRACE(n);
        const uint64_t list = ListBuilder::create(this->heap, 40, 24);
        std::vector<uint64_t> objs;
        for (size_t i = 0; i < n; ++i) {
            objs.push_back(this->heap.alloc(40));
            ListBuilder::append(this->t, list, objs.back());
        }
        EXPECT_EQ(walk_list(this->t, list, false), objs);
        std::vector<uint64_t> rev(objs.rbegin(), objs.rend());
        EXPECT_EQ(walk_list(this->t, list, true), rev);
        // Each node's prev is the node before it; the first one's is the sentinel.
        EXPECT_EQ(this->t.template peek<uint64_t>(objs.front() + 24 + 8), list + 16);
        EXPECT_EQ(this->t.template peek<uint64_t>(objs.back() + 24), list + 16);
    }
}

TYPED_TEST(ListAvlTest, ListNodeMustFitTheElement) {
    const uint64_t at = this->heap.alloc(32);
    EXPECT_THROW(ListBuilder::init(this->t, at, 16, 8), std::invalid_argument);
    EXPECT_THROW(ListBuilder::init(this->t, at, 8, 16), std::invalid_argument);
    EXPECT_THROW(ListBuilder::init(this->t, 0x10, 64, 0), std::runtime_error) << "unmapped list_t";
}

// Decodes and checks one subtree; returns its height.
struct AvlChecker {
    const Target& t;
    uint64_t offset;
    std::vector<uint64_t> inorder;
    size_t nodes = 0;

    int check(uint64_t node, uint64_t parent, int which) {
        if (node == 0)
            return 0;
        EXPECT_EQ(node % 8, 0u);
        if (++nodes > 100000) {
            ADD_FAILURE() << "tree does not end";
            return 0;
        }
        const uint64_t pcb = t.peek<uint64_t>(node + 16);
        EXPECT_EQ(pcb & ~7ULL, parent) << "parent of " << std::hex << node;
        if (parent)
            EXPECT_EQ(int((pcb >> 2) & 1), which) << "child index of " << std::hex << node;
        else
            EXPECT_EQ((pcb >> 2) & 1, 0u) << "root writes child index 0";
        const int hl = check(t.peek<uint64_t>(node), node, 0);
        inorder.push_back(node - offset);
        const int hr = check(t.peek<uint64_t>(node + 8), node, 1);
        const int balance = int(pcb & 3) - 1;
        EXPECT_EQ(balance, hr - hl) << "balance of " << std::hex << node;
        EXPECT_LE(std::abs(hr - hl), 1) << "AVL property at " << std::hex << node;
        return 1 + std::max(hl, hr);
    }
};

// The genunix avl walker's successor rule: right subtree's leftmost, else climb through pcb.
std::vector<uint64_t> walk_avl(const Target& t, uint64_t tree) {
    const uint64_t root = t.peek<uint64_t>(tree);
    const uint64_t off = t.peek<uint64_t>(tree + 16);
    std::vector<uint64_t> out;
    if (!root)
        return out;
    uint64_t node = root;
    while (uint64_t l = t.peek<uint64_t>(node))
        node = l;
    while (node && out.size() < 100000) {
        out.push_back(node - off);
        if (uint64_t r = t.peek<uint64_t>(node + 8)) {
            node = r;
            while (uint64_t l = t.peek<uint64_t>(node))
                node = l;
            continue;
        }
        for (;;) {
            const uint64_t pcb = t.peek<uint64_t>(node + 16);
            const uint64_t parent = pcb & ~7ULL;
            const bool was_left = ((pcb >> 2) & 1) == 0;
            node = parent;
            if (!parent || was_left)
                break;
        }
    }
    return out;
}

void check_tree(const Target& t, uint64_t tree, const std::vector<uint64_t>& sorted_objs,
                uint64_t offset, uint64_t size) {
    EXPECT_EQ(t.peek<uint64_t>(tree + 16), offset);
    EXPECT_EQ(t.peek<uint64_t>(tree + 24), sorted_objs.size());
    EXPECT_EQ(t.peek<uint64_t>(tree + 32), size);
    AvlChecker c{t, offset, {}, 0};
    const int height = c.check(t.peek<uint64_t>(tree), 0, 0);
    EXPECT_EQ(c.inorder, sorted_objs);
    EXPECT_EQ(walk_avl(t, tree), sorted_objs);
    // A height-balanced tree of n nodes is at most about 1.44 log2(n + 2) high.
    EXPECT_LE(height, int(1.45 * std::log2(double(sorted_objs.size()) + 2)) + 1);
}

TEST(AvlBuilderShapes, EverySizeUpTo1000) {
    Target t;
    KernelHeap heap(t);
    constexpr uint64_t kObj = 48, kOff = 16;
    std::vector<uint64_t> pool;
    for (int i = 0; i < 1000; ++i)
        pool.push_back(heap.alloc(kObj));
    const uint64_t tree = heap.alloc(40);
    for (size_t n = 0; n <= 1000; ++n) {
        SCOPED_TRACE(n);
        std::vector<uint64_t> objs(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(n));
        AvlBuilder::build(t, tree, objs, kOff, kObj, 0x1234);
        check_tree(t, tree, objs, kOff, kObj);
        if (::testing::Test::HasFailure())
            break;
    }
    EXPECT_EQ(t.peek<uint64_t>(tree + 8), 0x1234u) << "avl_compar";
}

TYPED_TEST(ListAvlTest, BuildSortedOrdersByKey) {
    // Objects whose key is a field inside them, allocated in an order unrelated to the key.
    constexpr uint64_t kObj = 264, kKeyOff = 0x20;
    std::mt19937_64 rng(7);
    std::vector<uint64_t> objs;
    for (int i = 0; i < 300; ++i) {
        objs.push_back(this->heap.alloc(kObj));
        this->t.template put<uint64_t>(objs.back() + kKeyOff, rng() | 1);
    }
    auto key = [&](uint64_t o) { return this->t.template peek<uint64_t>(o + kKeyOff); };
    const uint64_t tree = this->heap.alloc(40);
    AvlBuilder::build_sorted(this->t, tree, objs, key, 0, kObj);
    std::vector<uint64_t> expect = objs;
    std::sort(expect.begin(), expect.end(), [&](uint64_t a, uint64_t b) { return key(a) < key(b); });
    check_tree(this->t, tree, expect, 0, kObj);
}

TYPED_TEST(ListAvlTest, AvlRefusesWhatWouldCorruptTheTree) {
    const uint64_t tree = this->heap.alloc(40);
    const uint64_t a = this->heap.alloc(64), b = this->heap.alloc(64);
    EXPECT_THROW(AvlBuilder::build(this->t, tree, {a, a}, 0, 64), std::invalid_argument);
    EXPECT_THROW(AvlBuilder::build(this->t, tree, {a + 4}, 0, 64), std::invalid_argument);
    EXPECT_THROW(AvlBuilder::build(this->t, tree, {a}, 48, 64), std::invalid_argument);
    auto same_key = [](uint64_t) { return uint64_t(5); };
    EXPECT_THROW(AvlBuilder::build_sorted(this->t, tree, {a, b}, same_key, 0, 64), std::invalid_argument);
}

TYPED_TEST(ListAvlTest, SmallTreesHaveTheExpectedShape) {
    const uint64_t tree = this->heap.alloc(40);
    std::vector<uint64_t> o;
    for (int i = 0; i < 3; ++i)
        o.push_back(this->heap.alloc(32));
    AvlBuilder::build(this->t, tree, o, 8, 32);
    // Three nodes: the middle is the root with balance 0; leaves point back with their index.
    const uint64_t root = this->t.template peek<uint64_t>(tree);
    EXPECT_EQ(root, o[1] + 8);
    EXPECT_EQ(this->t.template peek<uint64_t>(root + 16), 1u);
    EXPECT_EQ(this->t.template peek<uint64_t>(o[0] + 8 + 16), (o[1] + 8) | 0 | 1);
    EXPECT_EQ(this->t.template peek<uint64_t>(o[2] + 8 + 16), (o[1] + 8) | 4 | 1);
    AvlBuilder::build(this->t, tree, {o[0], o[1]}, 8, 32);
    // Two nodes: the root leans one way (balance -1 or +1, never 0).
    const uint64_t r2 = this->t.template peek<uint64_t>(tree);
    const int bal = int(this->t.template peek<uint64_t>(r2 + 16) & 3) - 1;
    EXPECT_EQ(std::abs(bal), 1);
    AvlBuilder::build(this->t, tree, {}, 8, 32);
    EXPECT_EQ(this->t.template peek<uint64_t>(tree), 0u);
    EXPECT_EQ(this->t.template peek<uint64_t>(tree + 24), 0u);
}

}  // namespace
}  // namespace mdbsim::sim::test
