// Tab completion at the prompt (docs/prompt.md), as mdb's: the text after the last "::" names a
// dcmd, whose own completer (dc_tabp) completes its arguments; the built-in ::walk completes
// walker names and ::help dcmd names. mdbsim also completes symbol names where an expression is
// being typed (mdb does not). Completers use the module API's mdb_tab_* calls.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mdbsim::host {

class Session;

struct Completion {
    std::string base;                  // the word being completed: every match starts with it
    std::vector<std::string> matches;  // sorted, without repeats
    // The longest prefix all matches share (base itself when none): what Tab inserts.
    std::string common;
    std::string insertion() const { return common.size() > base.size() ? common.substr(base.size()) : ""; }
};

// Completes `line`, the text before the cursor. A dmod's completer runs as a command would (its
// UM_GC memory is freed at the end, a fault in it is reported and recovered); stops (^C, the
// budget) end the completion with what was found so far.
Completion complete(Session& s, std::string_view line);

// Symbol names starting with prefix, in name order, at most `limit` (0: all).
std::vector<std::string> complete_symbols(Session& s, std::string_view prefix, size_t limit = 0);

}  // namespace mdbsim::host
