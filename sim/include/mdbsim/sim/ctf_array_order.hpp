// Multi-dimensional arrays in gcc's CTF, put back in C's nesting.
//
// C's `T a[2][3]` is an array of 2 arrays of 3 T, and CTF (illumos' and GNU's libctf) describes it
// so: the outer array type has 2 elements of an inner `T [3]`. gcc 12 and 13 (-gctf) emit the
// dimensions the other way round: an array of 3 arrays of 2 T. The sizes come out right, the
// grouping does not (a[1][0] is read at the offset of a[0][2]).
//
// nest_arrays_as_c() rewrites such dicts: every array type whose elements are arrays gets its
// dimensions reversed along the chain. The outer array type keeps its id (members, typedefs and
// variables refer to it) and is patched in place; the inner arrays of the C nesting are new types
// appended to the dict, because the old inner ones may be shared with other types (libctf's
// deduplicating linker merges equal types, so gcc's inner `T [2]` of one member may be another
// member's whole type).
//
// Which CTF needs it: docs/decisions.md ("gcc's multi-dimensional arrays"). The kernel's types
// are rewritten when they are built (mdbsim-ctfgen probes the compiler); CTF read from an ELF
// object (an opened object, a dmod) is rewritten when its .comment names a gcc that swaps,
// unless MDBSIM_CTF_ARRAY_ORDER says otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mdbsim::sim {

// One CTF dict's bytes and its archive member name (".ctf" for an archive's parent or a lone dict).
struct CtfDictBytes {
    std::string name;
    std::vector<uint8_t> bytes;
};

// Splits a .ctf section's bytes (a CTF archive, or a lone dict) into dicts, the archive's parent
// (".ctf") first. False, with *err, when the bytes are neither.
bool split_ctf_section(const uint8_t* data, size_t size, std::vector<CtfDictBytes>& out, std::string* err);

// Re-nests gcc's multi-dimensional arrays in C order in every dict; dicts[0] is the parent of the
// others (or a lone dict). Dicts that are compressed come back uncompressed. Returns the number
// of array types re-nested, or -1 with *err for a dict it cannot parse (left unchanged). Only
// CTF format v3 (GNU's, which gcc writes) is touched; other versions are left as they are.
int nest_arrays_as_c(std::vector<CtfDictBytes>& dicts, std::string* err);

enum class ArrayOrder { c, gcc };

// The nesting of the CTF in an ELF object, judged from its .comment section (NUL-separated
// producer strings): gcc before 14 swaps dimensions (ArrayOrder::gcc); anything else (no gcc,
// gcc 14 and later, illumos' ctfconvert) is taken as C order. The environment variable
// MDBSIM_CTF_ARRAY_ORDER=gcc|c overrides the guess for every object ("auto" or unset: guess).
ArrayOrder array_order_from_comment(std::string_view comment);

}  // namespace mdbsim::sim
