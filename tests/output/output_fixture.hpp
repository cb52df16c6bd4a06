// A real Session over a simulated target, with standard output and standard error captured,
// and a helper that drives a format verb the way the command language does.
#pragma once

#include <gtest/gtest.h>
#include <sys/mdb_modapi.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/sim/target.hpp"

namespace mdbsim::test {

using host::Output;
using host::Session;

// Argument builders in the format verbs' argv convention (output.hpp).
inline mdb_arg_t ch(char c) {
    mdb_arg_t a{};
    a.a_type = MDB_TYPE_CHAR;
    a.a_un.a_char = c;
    return a;
}
inline mdb_arg_t imm(uint64_t v) {
    mdb_arg_t a{};
    a.a_type = MDB_TYPE_IMMEDIATE;
    a.a_un.a_val = v;
    return a;
}
inline mdb_arg_t str(const char* s) {
    mdb_arg_t a{};
    a.a_type = MDB_TYPE_STRING;
    a.a_un.a_str = s;
    return a;
}
// One CHAR argument per character of a format list without counts: "XX" → 'X', 'X'.
inline std::vector<mdb_arg_t> chars(std::string_view formats) {
    std::vector<mdb_arg_t> v;
    for (char c : formats) v.push_back(ch(c));
    return v;
}

class SessionTest : public ::testing::Test {
protected:
    void SetUp() override {
        session = std::make_unique<Session>(target, host::SessionOptions{},
                                            host::SessionStreams::capture(out, err));
    }
    void TearDown() override {
        session->out().flush();
        session->err().flush();
    }

    // `[addr][,count] verb argv` as the language runs it: count invocations with the loop flags
    // of modapi.md §9.1, each at dot + increment, then the implicit newline.
    int run_verb(const char* verb, std::vector<mdb_arg_t> argv, std::optional<uint64_t> addr = {},
                 std::optional<uint64_t> count = {}) {
        const host::Dcmd* d = session->registry().find_dcmd(verb);
        EXPECT_NE(d, nullptr) << verb;
        if (d == nullptr) return -1;
        uint64_t at = addr.value_or(session->dot);
        uint_t base = addr ? DCMD_ADDRSPEC : 0;
        uint64_t n = count.value_or(1);
        int status = DCMD_OK;
        for (uint64_t i = 0; i < n; ++i) {
            uint_t flags = base;
            if (count) flags |= DCMD_LOOP | (i == 0 ? DCMD_LOOPFIRST : 0);
            status = session->invoke(*d, static_cast<uintptr_t>(at), flags,
                                     static_cast<int>(argv.size()), argv.data(), n);
            if (status == DCMD_USAGE || status == DCMD_ABORT) break;
            at = session->dot + session->increment;
        }
        session->out().implicit_newline();
        session->out().flush();
        return status;
    }

    // Everything written to standard output so far, then forgotten.
    std::string take_out() {
        session->out().flush();
        std::string s = std::move(out);
        out.clear();
        return s;
    }

    // Declared before the session, so the capture strings outlive its final flush.
    std::string out;
    std::string err;
    sim::Target target;
    std::unique_ptr<Session> session;
};

}  // namespace mdbsim::test
