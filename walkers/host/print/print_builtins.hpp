// The type dcmds of the built-in module: ::print ::sizeof ::offsetof ::list ::array ::enum
// ::typedef ::printf (docs/print-format.md).
#pragma once

namespace mdbsim::host {
class Session;
void register_type_builtins(Session& s);
}  // namespace mdbsim::host
