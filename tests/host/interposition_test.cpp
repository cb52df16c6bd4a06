// The host binds its calls to its own functions directly (mdbsim_direct_binding, CMakeLists.txt),
// except mdb_alloc, mdb_zalloc and mdb_free (cmake/interposable.list): the fuzz executables
// replace those for the host's walkers as for a dmod. This program defines them too, as the fuzz
// harness does (exported: ENABLE_EXPORTS), counts the calls that reach it and forwards them.
#include <dlfcn.h>
#include <sys/avl_impl.h>
#include <sys/mdb_modapi.h>

#include <cstdint>
#include <vector>

#include "host_fixture.hpp"

namespace {

struct Counts {
    int alloc = 0;
    int free = 0;
};
Counts g_counts;

template <class Fn> Fn next_definition(const char* name) {
    return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" {

void* mdb_alloc(size_t n, uint_t flags) {
    static const auto next = next_definition<void* (*)(size_t, uint_t)>("mdb_alloc");
    ++g_counts.alloc;
    return next(n, flags);
}

void* mdb_zalloc(size_t n, uint_t flags) {
    static const auto next = next_definition<void* (*)(size_t, uint_t)>("mdb_zalloc");
    ++g_counts.alloc;
    return next(n, flags);
}

void mdb_free(void* p, size_t n) {
    static const auto next = next_definition<void (*)(void*, size_t)>("mdb_free");
    ++g_counts.free;
    next(p, n);
}

}  // extern "C"

namespace mdbsim::host::test {
namespace {

int count_visit(uintptr_t, const void*, void* arg) {
    ++*static_cast<int*>(arg);
    return WALK_NEXT;
}

TEST(Interposition, TheHostsWalkersReachAReplacedAllocator) {
    HostHarness h;
    constexpr uint64_t kObjSize = 40, kAvlOff = 8;
    const uint64_t tree = h.heap.alloc(sizeof(struct avl_tree));
    std::vector<uint64_t> objs;
    for (uint64_t k = 0; k < 5; ++k) {
        objs.push_back(h.heap.alloc(kObjSize));
        h.target.put<uint64_t>(objs.back(), k);
    }
    sim::AvlBuilder::build_sorted(
        h.target, tree, objs, [&](uint64_t o) { return h.target.peek<uint64_t>(o); }, kAvlOff, kObjSize);

    const Counts before = g_counts;
    int visits = 0;
    ASSERT_EQ(mdb_pwalk("avl", count_visit, &visits, tree), 0) << h.take_err();
    EXPECT_EQ(visits, 5);
    // The avl walker (in libmdbsim_host.so) allocates its state in walk_init and frees it in
    // walk_fini: both calls must have come here, not to the host's own definitions.
    EXPECT_GT(g_counts.alloc, before.alloc);
    EXPECT_GT(g_counts.free, before.free);
}

}  // namespace
}  // namespace mdbsim::host::test
