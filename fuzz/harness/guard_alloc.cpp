// Guard-page mdb_alloc (see guard_alloc.hpp).
#include "guard_alloc.hpp"

#include <dlfcn.h>
#include <signal.h>
#include <sys/mdb_modapi.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <unordered_map>
#include <vector>

#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"

namespace mdbsim::fuzz {
namespace {

constexpr size_t kPage = 4096;
constexpr size_t kArenaBytes = size_t{8} << 30;  // address space only (PROT_NONE, no reserve)
constexpr size_t kArenaPages = kArenaBytes / kPage;
constexpr uint32_t kFreshPattern = 0xbaddcafe;   // what the host's mdb_alloc fills blocks with
// Freed blocks of up to kSmallBlockPages keep their pages; bigger ones keep theirs while all such
// freed blocks together stay within kResidentFreeBytes: a dmod that reads a corrupt size allocates
// megabytes per input, and pages given back fault in (and are cleared) again on the next input.
constexpr size_t kSmallBlockPages = 256;
constexpr size_t kResidentFreeBytes = size_t{64} << 20;

struct Block {
    char* base;         // first data page
    size_t data_pages;  // the guard page follows them
    size_t size;        // requested bytes
};

struct State {
    bool on = false;
    char* arena = nullptr;
    size_t bump = 0;                               // pages handed out from the arena so far
    // Freed blocks by their data pages; whether each still holds its pages (a big block beyond
    // kResidentFreeBytes of them gives its pages back to the kernel).
    std::map<size_t, std::vector<std::pair<char*, bool>>> free_by_pages;
    size_t resident_free_bytes = 0;                // of freed blocks above kSmallBlockPages
    std::unordered_map<void*, Block> live;
    std::vector<void*> gc;                         // UM_GC blocks of the current command
    uint32_t* guard_size = nullptr;                // per arena page: bytes of the block it guards
    struct sigaction old_segv {};
    struct sigaction old_bus {};
    void (*report)() = nullptr;
    volatile sig_atomic_t in_handler = 0;
};

State& state() {
    static State s;
    return s;
}

using AllocFn = void* (*)(size_t, uint_t);
using FreeFn = void (*)(void*, size_t);

template <class F> F next_symbol(const char* name) {
    void* p = dlsym(RTLD_NEXT, name);
    if (!p) {
        std::fprintf(stderr, "mdbsim-fuzz: no next definition of %s (is the host linked?)\n", name);
        std::abort();
    }
    return reinterpret_cast<F>(p);
}

void write_str(const char* s) {
    size_t n = std::strlen(s);
    while (n > 0) {
        ssize_t w = ::write(2, s, n);
        if (w <= 0) return;
        s += w;
        n -= size_t(w);
    }
}

void write_hex(uint64_t v) {
    char buf[19] = "0x";
    int i = 2;
    bool started = false;
    for (int shift = 60; shift >= 0; shift -= 4) {
        unsigned d = (v >> shift) & 0xf;
        if (d || started || shift == 0) {
            buf[i++] = "0123456789abcdef"[d];
            started = true;
        }
    }
    buf[i] = 0;
    write_str(buf);
}

void write_dec(uint64_t v) {
    char buf[24];
    int i = 23;
    buf[i] = 0;
    do {
        buf[--i] = char('0' + v % 10);
        v /= 10;
    } while (v && i > 0);
    write_str(buf + i);
}

// Names a fault inside the arena, then lets the previous handler (ASan's or libFuzzer's, or the
// default action) deal with the signal when the instruction is restarted.
void on_fault(int sig, siginfo_t* info, void* ctx) {
    State& st = state();
    const auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
    const auto base = reinterpret_cast<uintptr_t>(st.arena);
    struct sigaction& old = sig == SIGBUS ? st.old_bus : st.old_segv;
    if (st.in_handler) {  // a fault while reporting: go straight to the previous handler
        sigaction(sig, &old, nullptr);
        return;
    }
    st.in_handler = 1;
    if (st.arena && addr >= base && addr < base + kArenaBytes) {
        const size_t page = (addr - base) / kPage;
        write_str("==mdbsim-fuzz== guard page hit: access at ");
        write_hex(addr);
        if (st.guard_size[page]) {
            const uintptr_t end = base + page * kPage;
            write_str(", ");
            write_dec(addr - end);
            write_str(" bytes past the end of an mdb_alloc block of ");
            write_dec(st.guard_size[page]);
            write_str(" bytes at ");
            write_hex(end - ((st.guard_size[page] + 7) & ~size_t{7}));
        } else {
            write_str(" (an mdb_alloc page not handed out or already freed)");
        }
        write_str(" -- a heap overread by the dmod under test\n");
    }
    if (st.report) st.report();
    sigaction(sig, &old, nullptr);
    // Returning restarts the faulting instruction under the previous disposition. A fault raised
    // with kill() would not restart: re-raise it in that case.
    if (info->si_code <= 0) raise(sig);
    (void)ctx;
}

void install_handler() {
    State& st = state();
    // An alternate stack, so a stack overflow still reaches a handler (ASan makes its own).
    stack_t cur{};
    if (sigaltstack(nullptr, &cur) == 0 && (cur.ss_flags & SS_DISABLE)) {
        static std::vector<char> alt(1 << 16);
        stack_t ss{};
        ss.ss_sp = alt.data();
        ss.ss_size = alt.size();
        sigaltstack(&ss, nullptr);
    }
    struct sigaction sa {};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &st.old_segv);
    sigaction(SIGBUS, &sa, &st.old_bus);
}

void init_arena() {
    State& st = state();
    if (st.arena) return;
    void* p = mmap(nullptr, kArenaBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        std::perror("mdbsim-fuzz: guard arena");
        std::abort();
    }
    st.arena = static_cast<char*>(p);
    st.guard_size = static_cast<uint32_t*>(std::calloc(kArenaPages, sizeof(uint32_t)));
    if (!st.guard_size) std::abort();
}

// Data pages for a block of n bytes, followed by an untouched PROT_NONE page: a freed block of at
// least data_pages and at most twice as many (the block then lies at its end; data_pages becomes
// the block's page count), else fresh pages from the arena.
char* take_pages(size_t& data_pages, bool& fresh) {
    State& st = state();
    auto it = st.free_by_pages.lower_bound(data_pages);
    if (it != st.free_by_pages.end() && it->first <= 2 * data_pages) {
        const auto [b, resident] = it->second.back();
        data_pages = it->first;
        it->second.pop_back();
        if (it->second.empty()) st.free_by_pages.erase(it);
        if (resident && data_pages > kSmallBlockPages) st.resident_free_bytes -= data_pages * kPage;
        fresh = false;
        return b;
    }
    if (st.bump + data_pages + 1 > kArenaPages) return nullptr;
    char* b = st.arena + st.bump * kPage;
    st.bump += data_pages + 1;
    if (mprotect(b, data_pages * kPage, PROT_READ | PROT_WRITE) != 0) return nullptr;
    fresh = true;
    return b;
}

void* guarded(size_t n, uint_t flags, bool zero) {
    State& st = state();
    if (n == 0) return nullptr;
    host::Session* s = host::Session::current();
    const size_t rounded = (n + 7) & ~size_t{7};
    const bool too_big = rounded < n || (s && n > s->options().alloc_limit) || n > kArenaBytes / 4;
    char* base = nullptr;
    size_t pages = 0;
    bool fresh = false;
    if (!too_big) {
        pages = (rounded + kPage - 1) / kPage;
        base = take_pages(pages, fresh);
    }
    if (!base) {
        if (!(flags & UM_SLEEP)) {
            errno = ENOMEM;
            return nullptr;
        }
        if (s) {
            host::warn(*s, "failed to allocate %zu bytes -- command aborted\n", n);
            throw host::CommandAbort{"", true};
        }
        std::abort();
    }
    char* p = base + pages * kPage - rounded;
    if (zero) {
        if (!fresh) std::memset(p, 0, rounded);
    } else {
        for (size_t i = 0; i < rounded; i += sizeof kFreshPattern) std::memcpy(p + i, &kFreshPattern, sizeof kFreshPattern);
    }
    st.guard_size[(base - st.arena) / kPage + pages] = static_cast<uint32_t>(std::min<size_t>(n, UINT32_MAX));
    st.live.emplace(p, Block{base, pages, n});
    if (flags & UM_GC) st.gc.push_back(p);
    return p;
}

void release(void* p) {
    State& st = state();
    auto it = st.live.find(p);
    if (it == st.live.end()) {
        std::fprintf(stderr, "mdbsim-fuzz: mdb_free(%p) of a block mdb_alloc did not hand out\n", p);
        std::abort();
    }
    Block b = it->second;
    st.live.erase(it);
    st.guard_size[(b.base - st.arena) / kPage + b.data_pages] = 0;
    bool resident = true;
    if (b.data_pages > kSmallBlockPages) {
        if (st.resident_free_bytes + b.data_pages * kPage <= kResidentFreeBytes) {
            st.resident_free_bytes += b.data_pages * kPage;
        } else {
            madvise(b.base, b.data_pages * kPage, MADV_DONTNEED);
            resident = false;
        }
    }
    st.free_by_pages[b.data_pages].emplace_back(b.base, resident);
}

}  // namespace

void guard_alloc_enable(bool on) {
    if (on) init_arena();
    state().on = on;
}

bool guard_alloc_enabled() { return state().on; }

void guard_alloc_end_command() {
    State& st = state();
    std::vector<void*> gc;
    gc.swap(st.gc);
    for (void* p : gc) release(p);
}

size_t guard_alloc_live_blocks() { return state().live.size(); }

void install_fault_handler(void (*report)()) {
    state().report = report;
    install_handler();
}

}  // namespace mdbsim::fuzz

// The interposed module API allocation functions.
extern "C" {

void* mdb_alloc(size_t n, uint_t flags) {
    using namespace mdbsim::fuzz;
    if (state().on) return guarded(n, flags, false);
    static const AllocFn next = next_symbol<AllocFn>("mdb_alloc");
    return next(n, flags);
}

void* mdb_zalloc(size_t n, uint_t flags) {
    using namespace mdbsim::fuzz;
    if (state().on) return guarded(n, flags, true);
    static const AllocFn next = next_symbol<AllocFn>("mdb_zalloc");
    return next(n, flags);
}

void mdb_free(void* p, size_t n) {
    using namespace mdbsim::fuzz;
    if (!p) return;
    State& st = state();
    if (st.arena && static_cast<char*>(p) >= st.arena && static_cast<char*>(p) < st.arena + kArenaBytes) {
        // UM_GC blocks must not be freed by the dmod; ignore a second free of one on the gc list.
        release(p);
        for (auto& g : st.gc)
            if (g == p) g = nullptr;
        std::vector<void*> keep;
        for (void* g : st.gc)
            if (g) keep.push_back(g);
        st.gc.swap(keep);
        return;
    }
    static const FreeFn next = next_symbol<FreeFn>("mdb_free");
    next(p, n);
}

}  // extern "C"
