// Registration of the built-in `mdb` module's dcmds, one function per part of the host.
#pragma once

namespace mdbsim::host {
class Session;
void register_module_builtins(Session& s);    // ::walk ::walkers ::dcmds ::dmods ::help ::which ::load ::unload
void register_format_builtins(Session& s);    // / \ ? = and ::formats
void register_language_builtins(Session& s);  // ::echo ::eval ::map ::grep ::head $d ::vars ::set $q ...
void register_linked_walkers(Session& s);     // genunix `list` and `avl`, unix `memseg`
}  // namespace mdbsim::host
