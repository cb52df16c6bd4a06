// The interactive prompt of mdbsim (docs/prompt.md).
#pragma once

#include "mdbsim/host/session.hpp"

namespace mdbsim::cli {

// Reads and runs commands from the terminal until ^D or ::quit; returns the exit status.
int run_prompt(host::Session& s);

}  // namespace mdbsim::cli
