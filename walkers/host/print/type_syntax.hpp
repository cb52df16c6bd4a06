// The small languages of the type dcmds that need no type information: type names spread over
// arguments (`struct kvm`), and ::typedef's struct and union declarations
// (docs/print-format.md §1 and §9). Pure functions, unit-tested in tests/print/.
#pragma once

#include <sys/mdb_modapi.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mdbsim::host::print {

// mdb's args_to_typename: `struct`, `union` and `enum` join the next argument. On success
// `name` holds the type name and argv/argc are advanced so that *argv is its last word; the
// result is 0. Otherwise it is DCMD_USAGE or, after warning "%s is not a valid type\n",
// DCMD_ABORT.
int args_to_typename(int* argc, const mdb_arg_t** argv, std::string& name);

// One member of a ::typedef declaration: `type **name[count];`.
struct TypedefMember {
    std::string type;      // as written, without the trailing `*`s
    std::string name;
    int pointers = 0;      // `*`s on either side of the blank before the name
    bool array = false;
    uint64_t count = 0;    // elements when array (0: flexible array member)
};

struct TypedefDecl {
    bool is_union = false;
    std::string tag;       // empty for `struct {`
    std::string tag_type;  // "struct tag" / "union tag" (for the "already in use" check)
    std::vector<TypedefMember> members;
};

// The text printed (with mdb_printf, not warned) when a declaration cannot be used.
struct TypedefError {
    std::string message;  // newline included
};

// Array counts are C numbers: decimal unless mdb's 0x/0t/0o/0i prefixes say otherwise (illumos'
// tst.radix: `foo[10]` is ten elements in any radix). Returns nullopt for a malformed count.
std::optional<uint64_t> parse_c_count(std::string_view text);

// Parses `struct [tag] { member; ... }` (or union). Identifier rules, member syntax and messages
// are mdb's; lookups (a tag or a name already in use) are left to the caller.
std::variant<TypedefDecl, TypedefError> parse_typedef_decl(std::string_view defn);

// Duplicate member names and flexible-array placement (mdb's typedef_validate without the
// lookups). Returns the message, or nullopt when the declaration is valid.
std::optional<std::string> validate_typedef_decl(const TypedefDecl& decl);

// A C identifier: [A-Za-z_][A-Za-z0-9_]*.
bool valid_identifier(std::string_view s);

}  // namespace mdbsim::host::print
