// Reads ::kvm_mmuinfo output back into a guest memory map, so that it can be held to the sim's
// reference translator.
#pragma once

#include <string>
#include <vector>

#include "mdbsim/sim/kvm/shadow.hpp"

namespace kvmtest {

struct MmuListing {
    std::vector<std::string> header;           // the lines before the first table entry
    std::vector<mdbsim::sim::kvm::GuestExtent> leaves;  // coalesced, by guest address
    size_t entries = 0;                        // entry lines
    size_t tables = 0;                         // tables listed (each ends with an empty line)
    std::vector<std::string> notes;            // every "^^--" line, trimmed
    std::string error;                         // why the text could not be parsed, if it could not
};

// Parses the table part of a listing. A leaf is an entry followed by a ^^-- line (default or -l).
MmuListing parse_mmuinfo(const std::string& out);

}  // namespace kvmtest
