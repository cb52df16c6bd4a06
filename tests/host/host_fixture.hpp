// A session over a small simulated target, with standard output and standard error captured as
// strings; typed over the memory backends every memory-touching test must pass on.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/sim/builders.hpp"
#include "mdbsim/sim/target.hpp"

namespace mdbsim::host::test {

struct FlatBackend {
    static constexpr sim::Backend kind = sim::Backend::flat;
};
struct UnicornBackend {
    static constexpr sim::Backend kind = sim::Backend::unicorn;
};
using Backends = ::testing::Types<FlatBackend, UnicornBackend>;
struct BackendNames {
    template <class T> static std::string GetName(int) { return sim::to_string(T::kind); }
};

class HostHarness {
public:
    explicit HostHarness(sim::Backend backend = sim::Backend::flat, SessionOptions opts = {})
        : target(backend), heap(target), session(target, opts, SessionStreams::capture(out, err)) {}

    // Runs one command line as mdb -e would; output flushed.
    int run(std::string_view cmd) {
        int rc = session.run(cmd, Session::InputKind::string);
        flush();
        return rc;
    }
    void flush() {
        session.out().flush();
        session.err().flush();
    }
    std::string take_out() {
        flush();
        return std::exchange(out, {});
    }
    std::string take_err() {
        flush();
        return std::exchange(err, {});
    }

    sim::Target target;
    sim::KernelHeap heap;
    std::string out;
    std::string err;
    Session session;
};

// Base of typed tests: a harness on the backend T names.
template <class T> class HostTest : public ::testing::Test {
public:
    HostHarness h{T::kind};
    sim::Target& target() { return h.target; }
    sim::KernelHeap& heap() { return h.heap; }
    Session& session() { return h.session; }
};

}  // namespace mdbsim::host::test
