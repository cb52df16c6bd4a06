// Fuzzing of the command language: Session::run on arbitrary bytes (docs/fuzzing.md).
//
// Input: byte 0 picks the target (bit 0: 0 the `empty` scenario, 1 `minimal`) and the input kind
// (bit 1: string or file, which changes how errors end the input); the rest is debugger input.
// A fresh Session per input, so variables, radix and the repeat command do not leak between
// inputs; the targets are built once and made read-only (rebuilt if an input ran ::set -w).
//
// Sandbox: the fuzzer must not touch the machine. Shell escapes run $SHELL, which is set to
// /bin/true; ::load, ::unload, ::log (writes a file) and ::cat (reads any file) are replaced by
// refusing dcmds (a linked module loaded after the built-ins wins by name), and so is ::typedef
// when an option word holds r or w (-r reads and -w writes a file; the rest of ::typedef is fuzzed
// through DCMD_NEXT); inputs naming the built-in module explicitly (mdb`...), which would reach
// the real ones, and inputs containing $< or $> (the file-reading verbs $< and $<<, and $>,
// which logs to a file; a module may not shadow them: '$' is illegal in a dmod's dcmd name) are
// rejected.
#include <sys/mdb_modapi.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

#include "mdbsim/fixtures/scenarios.hpp"
#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/sim/target.hpp"

namespace {

using mdbsim::host::Session;

int refuse(uintptr_t, uint_t, int, const mdb_arg_t*) {
    mdb_warn("disabled while fuzzing\n");
    return DCMD_ERR;
}

int typedef_without_files(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    for (int i = 0; i < argc; ++i) {
        if (argv[i].a_type != MDB_TYPE_STRING || argv[i].a_un.a_str[0] != '-') continue;
        if (std::strpbrk(argv[i].a_un.a_str, "rw") != nullptr) return refuse(addr, flags, argc, argv);
    }
    return DCMD_NEXT;
}

const mdb_dcmd_t kSandbox[] = {
    {"load", "[-sg] module", "(disabled while fuzzing)", refuse, nullptr, nullptr},
    {"unload", "module", "(disabled while fuzzing)", refuse, nullptr, nullptr},
    {"typedef", "[-c model | -d | -l] [type] [name]", "(-r and -w disabled while fuzzing)", typedef_without_files,
     nullptr, nullptr},
    {"log", "[-d | [-e] file]", "(disabled while fuzzing)", refuse, nullptr, nullptr},
    {"cat", "[file ...]", "(disabled while fuzzing)", refuse, nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr},
};
const mdb_modinfo_t kSandboxInfo = {MDB_API_VERSION, kSandbox, nullptr};
const mdb_modinfo_t* sandbox_init() { return &kSandboxInfo; }

std::unique_ptr<mdbsim::sim::Target> g_empty, g_minimal;

std::unique_ptr<mdbsim::sim::Target> build(const char* spec) {
    auto t = std::make_unique<mdbsim::sim::Target>(mdbsim::sim::Backend::flat);
    mdbsim::fixtures::build_scenario(*t, spec);
    t->set_writable(false);
    return t;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    setenv("SHELL", "/bin/true", 1);
    g_empty = build("empty");
    g_minimal = build("minimal");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (!g_empty) LLVMFuzzerInitialize(nullptr, nullptr);
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    if (text.find("mdb`") != std::string_view::npos || text.find("$<") != std::string_view::npos ||
        text.find("$>") != std::string_view::npos)
        return -1;
    auto& slot = (data[0] & 1) ? g_minimal : g_empty;
    const auto kind = (data[0] & 2) ? Session::InputKind::file : Session::InputKind::string;
    {
        mdbsim::host::SessionOptions opts;
        opts.step_budget = 10'000;
        opts.alloc_limit = 16ULL << 20;
        opts.recover_dmod_faults = false;  // a crash must stay a crash
        Session s(*slot, opts, mdbsim::host::SessionStreams::discard());
        s.add_linked_module("fuzz_sandbox", sandbox_init);
        try {
            s.run(text, kind, "(fuzz)");
        } catch (const mdbsim::host::QuitRequest&) {
        } catch (const mdbsim::host::CommandAbort&) {
        }
    }
    if (slot->writable()) slot = build(slot.get() == g_minimal.get() ? "minimal" : "empty");
    return 0;
}
