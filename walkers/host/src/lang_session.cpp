// Session's entry points into the command language.
#include "mdbsim/host/lang.hpp"
#include "mdbsim/host/session.hpp"

namespace mdbsim::host {

int Session::run(std::string_view text, InputKind kind, std::string_view name) {
    return language().run(text, kind, name);
}

int Session::eval(std::string_view cmd) { return language().eval(cmd); }

}  // namespace mdbsim::host
