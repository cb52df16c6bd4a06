// Session's entry points into the command language, and mdb_eval for dmods.
#include <cerrno>

#include "host_internal.hpp"
#include "mdbsim/host/lang.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/mdb_errno.h"

namespace mdbsim::host {

int Session::run(std::string_view text, InputKind kind, std::string_view name) {
    if (cmd_->frames.size() == 1) cmd_->exhausted_in_run = false;  // a top-level run
    return language().run(text, kind, name);
}

int Session::eval(std::string_view cmd) { return language().eval(cmd); }

}  // namespace mdbsim::host

extern "C" int mdb_eval(const char* cmd) {
    using mdbsim::host::Session;
    if (cmd == nullptr) {
        errno = EINVAL;
        return -1;
    }
    Session* s = Session::current();
    if (s == nullptr) {
        errno = EMDB_EVAL;
        return -1;
    }
    return s->eval(cmd);
}
