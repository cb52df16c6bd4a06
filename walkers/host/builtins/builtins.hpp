// Registration of the built-in `mdb` module's dcmds, one function per part of the host.
#pragma once

#include <sys/mdb_modapi.h>

#include <string_view>

namespace mdbsim::host {
class Session;

// Helpers the built-in dcmds of several parts share.
inline bool is_string(const mdb_arg_t& a) { return a.a_type == MDB_TYPE_STRING && a.a_un.a_str; }
int cmd_quit(uintptr_t, uint_t, int, const mdb_arg_t*);  // $q ::quit $Q $%: ends the session
void register_module_builtins(Session& s);    // ::walk ::walkers ::dcmds ::dmods ::help ::which ::load ::unload
void register_format_builtins(Session& s);    // / \ ? = and ::formats
void register_language_builtins(Session& s);  // ::echo ::eval ::map ::grep ::head $d ::vars $q ...
void register_session_builtins(Session& s);   // ::set ::typeset ::unset ::log $> ::cat $P $w $s $M ::showrev ::term ::xdata
// Copies debugger input to the ::log file while logging is on.
void log_input(Session& s, std::string_view text);
void register_dis_builtins(Session& s);       // ::dis ::disasms ::dismode $V
void register_demangle_builtins(Session& s);  // $G $g ::dem
void register_target_builtins(Session& s);    // what a postmortem target cannot do: :c ::bp $r ...
void register_symbol_builtins(Session& s);    // ::nm $e ::nmadd ::nmdel $m ::mappings ::objects ::dump ::vtop ::status
void register_linked_walkers(Session& s);     // genunix `list` and `avl`, unix `memseg`
}  // namespace mdbsim::host
