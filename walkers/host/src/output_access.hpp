// Private access to Output for the parts of the output engine that live in other files (the
// conversion engine, mdb_snprintf's staging buffer).
#pragma once

#include <memory>

#include "mdbsim/host/output.hpp"

namespace mdbsim::host {

struct OutputAccess {
    static Session* session(const Output& o) { return o.session_; }
    static void ensure_indent(Output& o) { o.ensure_indent(); }
    static void put_text(Output& o, std::string_view s) { o.puts(s); }
    // mdb_snprintf's staging buffer: a pipe-like stream whose lines are cut every `bufsiz`
    // bytes, so column-dependent conversions measure within it.
    static std::unique_ptr<Output> staging(Session* s, Output::Sink sink, size_t bufsiz) {
        return std::unique_ptr<Output>(new Output(s, Output::Kind::pipe, std::move(sink),
                                                  static_cast<int>(bufsiz), bufsiz));
    }
};

}  // namespace mdbsim::host
