// A CTF struct's or union's members by name, as C names them, for callers that look members up
// by name again and again: libctf finds a member by iterating over all of them.
#pragma once

#include <string>
#include <unordered_map>

struct ctf_dict;  // libctf's ctf_dict_t; libctf stays a private dependency of the sim library

namespace mdbsim::sim {

struct CtfMember {
    unsigned long bits;  // from the start of the indexed type
    unsigned long type;  // the member's ctf_id_t, in the indexed type's dict
};
using CtfMemberIndex = std::unordered_map<std::string, CtfMember>;

// Adds every member of struct or union su of dict fp to index, C's way: the members of an
// anonymous struct or union member go in as su's own, at their offsets within su. The first of a
// name wins, as a search in member order finds it; "" is the first anonymous member (mdb's
// member lookups match it so). 0, or -1 with fp's error when su has no members.
int index_ctf_members(ctf_dict* fp, unsigned long su, CtfMemberIndex& index);

}  // namespace mdbsim::sim
