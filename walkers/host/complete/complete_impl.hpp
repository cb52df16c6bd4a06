// The completion cookie behind mdb_tab_cookie_t and the completers of the built-in dcmds.
#pragma once

#include <sys/mdb_modapi.h>

#include <set>
#include <string>
#include <string_view>

// One completion in progress: the word being completed and the names that match it.
struct mdb_tab_cookie {
    std::string base;                                 // mdb_tab_setmbase
    std::set<std::string, std::less<>> matches;       // mdb_tab_insert, filtered by base
};

namespace mdbsim::host {

class Session;

void tab_complete_dcmds(Session& s, mdb_tab_cookie_t* mcp, const char* prefix);
void tab_complete_walkers(Session& s, mdb_tab_cookie_t* mcp, const char* prefix);

// dc_tabp of the built-in ::walk (walker names) and ::help (dcmd names).
int tab_walk(mdb_tab_cookie_t* mcp, uint_t flags, int argc, const mdb_arg_t* argv);
int tab_help(mdb_tab_cookie_t* mcp, uint_t flags, int argc, const mdb_arg_t* argv);
// dc_tabp of ::print (its options, then a type and a member) and ::sizeof (a type of any kind).
int tab_print(mdb_tab_cookie_t* mcp, uint_t flags, int argc, const mdb_arg_t* argv);
int tab_sizeof(mdb_tab_cookie_t* mcp, uint_t flags, int argc, const mdb_arg_t* argv);

}  // namespace mdbsim::host
