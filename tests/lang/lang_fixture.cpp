#include "lang_fixture.hpp"

#include <csignal>
#include <cstdlib>
#include <ostream>

#include <fmt/format.h>

namespace mdbsim::host::langtest {

std::ostream& operator<<(std::ostream& os, const Call& c) {
    return os << fmt::format("{{{} addr={:#x} flags={:#x}}}", c.dcmd, c.addr, c.flags);
}

Recorder& recorder() {
    static Recorder r;
    return r;
}

namespace {

Session& session() { return *Session::current(); }

void record(const char* name, uintptr_t addr, uint_t flags) { recorder().calls.push_back({name, addr, flags}); }

// ::rec: records, sets the loop increment, returns the configured status.
int rec(uintptr_t addr, uint_t flags, int, const mdb_arg_t*) {
    record("rec", addr, flags);
    session().increment = recorder().increment;
    return recorder().status;
}

// ::fwd: records and prints its address, so it can sit in the middle of a pipeline.
int fwd(uintptr_t addr, uint_t flags, int, const mdb_arg_t*) {
    record("fwd", addr, flags);
    session().out().puts(fmt::format("{:#x}\n", addr));
    return DCMD_OK;
}

// ::gen N: prints N addresses 0x100, 0x200, ... one per line.
int gen(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    record("gen", addr, flags);
    if (argc != 1 || argv[0].a_type != MDB_TYPE_STRING) return DCMD_USAGE;
    unsigned long n = std::strtoul(argv[0].a_un.a_str, nullptr, 16);
    for (unsigned long i = 1; i <= n; ++i) session().out().puts(fmt::format("{:#x}\n", i * 0x100));
    return DCMD_OK;
}

// ::setp: prints an address but replaces the next stage's list with {7, 8}.
int setp(uintptr_t addr, uint_t flags, int, const mdb_arg_t*) {
    record("setp", addr, flags);
    session().out().puts("0x1\n");
    static uintptr_t list[] = {7, 8};
    mdb_pipe_t p{list, 2};
    mdb_set_pipe(&p);
    return DCMD_OK;
}

// ::getp: takes the whole remaining pipe at once.
int getp(uintptr_t addr, uint_t flags, int, const mdb_arg_t*) {
    record("getp", addr, flags);
    mdb_pipe_t p{};
    mdb_get_pipe(&p);
    recorder().pipe_lengths.push_back(p.pipe_len);
    return DCMD_OK;
}

// ::gcalloc: a UM_GC block with a pattern, kept for a later stage to check.
int gcalloc(uintptr_t addr, uint_t flags, int, const mdb_arg_t*) {
    record("gcalloc", addr, flags);
    auto* p = static_cast<uint64_t*>(mdb_alloc(64, UM_SLEEP | UM_GC));
    for (int i = 0; i < 8; ++i) p[i] = 0xfeedfacecafe0000ULL + uint64_t(i);
    recorder().gc_blocks.push_back(p);
    session().out().puts(fmt::format("{:#x}\n", addr ? addr : 1));
    return DCMD_OK;
}

// ::gccheck: fails unless every UM_GC block recorded so far still holds its pattern; passes its
// address on.
int gccheck(uintptr_t addr, uint_t flags, int, const mdb_arg_t*) {
    record("gccheck", addr, flags);
    for (void* b : recorder().gc_blocks) {
        auto* p = static_cast<uint64_t*>(b);
        for (int i = 0; i < 8; ++i)
            if (p[i] != 0xfeedfacecafe0000ULL + uint64_t(i)) return DCMD_ERR;
    }
    session().out().puts(fmt::format("{:#x}\n", addr));
    return DCMD_OK;
}

int forever_step(mdb_walk_state_t* wsp) {
    Recorder& r = recorder();
    if (++r.walk_steps == r.interrupt_after) std::raise(SIGINT);
    return wsp->walk_callback(wsp->walk_addr + 8, nullptr, wsp->walk_cbdata);
}

int count_cb(uintptr_t, const void*, void*) { return WALK_NEXT; }

// ::spin: a walk that never ends by itself.
int spin(uintptr_t addr, uint_t flags, int, const mdb_arg_t*) {
    record("spin", addr, flags);
    return mdb_walk("forever", count_cb, nullptr) == 0 ? DCMD_OK : DCMD_ERR;
}

}  // namespace

LangHarness::LangHarness() {
    target.vmem().map(kPage, 0x1000, sim::kProtRW, "test page");
    for (uint64_t i = 0; i < 0x1000; i += 8) target.put<uint64_t>(kPage + i, 0x1122334455667788ULL + i);
    static const mdb_dcmd_t dcmds[] = {
        {"rec", "?", "record the invocation", rec, nullptr, nullptr},
        {"fwd", "?", "record and print the address", fwd, nullptr, nullptr},
        {"gen", "count", "print count addresses", gen, nullptr, nullptr},
        {"setp", nullptr, "replace the pipe", setp, nullptr, nullptr},
        {"getp", nullptr, "consume the pipe", getp, nullptr, nullptr},
        {"gcalloc", nullptr, "allocate a UM_GC block", gcalloc, nullptr, nullptr},
        {"gccheck", nullptr, "check the UM_GC blocks", gccheck, nullptr, nullptr},
        {"spin", nullptr, "walk forever", spin, nullptr, nullptr},
        {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
    };
    for (const mdb_dcmd_t* d = dcmds; d->dc_name; ++d) session.registry().add_dcmd(session.registry().builtin_module(), *d);
    mdb_walker_t forever{"forever", "never ends", nullptr, forever_step, nullptr, nullptr};
    session.registry().add_walker(session.registry().builtin_module(), forever);
}

LangHarness::~LangHarness() = default;

}  // namespace mdbsim::host::langtest
