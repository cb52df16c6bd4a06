// A session over a flat target with one mapped page, output captured, and a set of test dcmds
// that record how they were invoked (address, flags, pipe state).
#pragma once

#include <gtest/gtest.h>
#include <sys/mdb_modapi.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/sim/target.hpp"

namespace mdbsim::host::langtest {

inline constexpr uint64_t kPage = 0x10000;  // mapped, readable; filled by the fixture

struct Call {
    std::string dcmd;
    uint64_t addr;
    unsigned flags;
    bool operator==(const Call&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Call& c);

// What the recording dcmds saw and how they should behave; reset per test.
struct Recorder {
    std::vector<Call> calls;
    int status = DCMD_OK;        // returned by ::rec
    uint64_t increment = 0;      // ::rec sets Session::increment to this
    std::vector<void*> gc_blocks;
    std::vector<size_t> pipe_lengths;  // seen by ::getp
    uint64_t walk_steps = 0;
    uint64_t interrupt_after = 0;      // ::spin raises SIGINT after this many steps
};
Recorder& recorder();

class LangHarness {
public:
    LangHarness();
    ~LangHarness();

    int run(std::string_view text, Session::InputKind kind = Session::InputKind::string) {
        int rc = session.run(text, kind, kind == Session::InputKind::file ? "test.mdb" : "(string)");
        flush();
        return rc;
    }
    void flush() {
        session.out().flush();
        session.err().flush();
    }
    std::string take_out() { return std::exchange(out, {}); }
    std::string take_err() { return std::exchange(err, {}); }

    sim::Target target{sim::Backend::flat};
    std::string out;
    std::string err;
    Session session{target, {}, host::SessionStreams::capture(out, err)};
};

class LangTest : public ::testing::Test {
protected:
    void SetUp() override { recorder() = Recorder{}; }
    LangHarness h;
    Session& s() { return h.session; }
    std::vector<Call>& calls() { return recorder().calls; }
};

}  // namespace mdbsim::host::langtest
