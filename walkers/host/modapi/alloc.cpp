// mdb_alloc / mdb_zalloc / mdb_free (modapi.md §11). Unlike mdb, a request beyond the session's
// alloc_limit (typically a size read from corrupt target memory) abandons the current command
// instead of terminating the debugger (decisions.md).
#include <sys/mdb_modapi.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"

namespace mdbsim::host {
namespace {

// illumos debug builds fill fresh memory with this pattern; it makes uninitialised use visible.
constexpr uint32_t kFreshPattern = 0xbaddcafe;

// n is a multiple of 4. The pattern is doubled in place, so a large block (a dmod's table
// buffers, allocated once per command) costs a few wide copies instead of a store per word.
void fill_fresh(void* p, size_t n) {
    auto* bytes = static_cast<unsigned char*>(p);
    if (n < 4) return;
    std::memcpy(bytes, &kFreshPattern, sizeof kFreshPattern);
    for (size_t done = sizeof kFreshPattern; done < n; done *= 2)
        std::memcpy(bytes + done, bytes, std::min(done, n - done));
}

void* allocate(size_t n, uint_t flags, bool zero) {
    if (n == 0) return nullptr;
    Session* s = Session::current();
    size_t rounded = (n + 3) & ~size_t{3};
    bool too_big = rounded < n || (s && n > s->options().alloc_limit);
    void* p = too_big ? nullptr : (zero ? std::calloc(1, rounded) : std::malloc(rounded));
    if (!p) {
        if (!(flags & UM_SLEEP)) {
            errno = ENOMEM;
            return nullptr;
        }
        if (s) {
            // Thrown through the dmod's C frames; see the note in args.cpp on unwind tables.
            warn(*s, "failed to allocate %zu bytes -- command aborted\n", n);
            throw CommandAbort{"", true};
        }
        std::abort();
    }
    if (!zero) fill_fresh(p, rounded);
    if ((flags & UM_GC) && s) s->gc_register(p);
    return p;
}

}  // namespace
}  // namespace mdbsim::host

extern "C" {

void* mdb_alloc(size_t n, uint_t flags) { return mdbsim::host::allocate(n, flags, false); }

void* mdb_zalloc(size_t n, uint_t flags) { return mdbsim::host::allocate(n, flags, true); }

void mdb_free(void* p, size_t) { std::free(p); }

}  // extern "C"
