// The module API's tab completion calls (modapi.md §13), over the cookie of the completion in
// progress. Type and member names come from Session::type_names when it is set, otherwise from
// the session's type system (the target's CTF and ::typedef's types).
#include "mdbsim/host/types.hpp"  // first: libctf's header before <mdb/mdb_ctf.h>

#include <sys/mdb_modapi.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "complete_impl.hpp"
#include "host_internal.hpp"

using namespace mdbsim::host;

namespace {

TypeShape shape_of(mdb_ctf_id_t id) {
    switch (mdb_ctf_type_kind(id)) {
    case CTF_K_STRUCT: return TypeShape::structure;
    case CTF_K_UNION: return TypeShape::union_type;
    case CTF_K_POINTER: return TypeShape::pointer;
    case CTF_K_ARRAY: return TypeShape::array;
    default: return TypeShape::other;
    }
}

void each_type(Session& s, const std::function<void(std::string_view, TypeShape)>& each) {
    if (s.type_names.types) {
        s.type_names.types(each);
        return;
    }
    // As mdb: a name is offered by what it resolves to (a typedef of a struct is a struct).
    for (const std::string& name : s.types().type_names()) {
        mdb_ctf_id_t id, resolved;
        if (mdb_ctf_lookup_by_name(name.c_str(), &id) != 0 || mdb_ctf_type_resolve(id, &resolved) != 0) continue;
        each(name, shape_of(resolved));
    }
}

// Calls each(member) for the members of a struct or union type; false if there is no such type.
bool each_member(Session& s, const char* type, const std::function<void(std::string_view)>& each) {
    if (s.type_names.members) return s.type_names.members(type, each);
    mdb_ctf_id_t id, resolved;
    if (mdb_ctf_lookup_by_name(type, &id) != 0 || mdb_ctf_type_resolve(id, &resolved) != 0) return false;
    auto call = [](const char* name, mdb_ctf_id_t, ulong_t, void* arg) -> int {
        (*static_cast<const std::function<void(std::string_view)>*>(arg))(name);
        return 0;
    };
    return mdb_ctf_member_iter(resolved, call, const_cast<std::function<void(std::string_view)>*>(&each)) == 0;
}

}  // namespace

extern "C" {

void mdb_tab_insert(mdb_tab_cookie_t* mcp, const char* name) {
    if (mcp == nullptr || name == nullptr) return;
    if (std::strncmp(name, mcp->base.c_str(), mcp->base.size()) != 0) return;
    mcp->matches.emplace(name);
}

void mdb_tab_setmbase(mdb_tab_cookie_t* mcp, const char* base) {
    if (mcp == nullptr) return;
    mcp->base = base != nullptr ? base : "";
}

int mdb_tab_complete_type(mdb_tab_cookie_t* mcp, const char* name, uint_t flags) {
    Session* s = Session::current();
    if (mcp == nullptr || s == nullptr) return 0;
    if (name != nullptr) mdb_tab_setmbase(mcp, name);
    each_type(*s, [&](std::string_view type, TypeShape shape) {
        if ((flags & MDB_TABC_MEMBERS) && shape != TypeShape::structure && shape != TypeShape::union_type) return;
        if ((flags & MDB_TABC_NOPOINT) && shape == TypeShape::pointer) return;
        if ((flags & MDB_TABC_NOARRAY) && shape == TypeShape::array) return;
        std::string text(type);
        mdb_tab_insert(mcp, text.c_str());
    });
    return 0;
}

int mdb_tab_complete_member(mdb_tab_cookie_t* mcp, const char* type, const char* member) {
    Session* s = Session::current();
    if (mcp == nullptr || s == nullptr || type == nullptr) return -1;
    std::vector<std::string> members;
    if (!each_member(*s, type, [&](std::string_view m) { members.emplace_back(m); })) return -1;
    if (member != nullptr) mdb_tab_setmbase(mcp, member);
    for (const std::string& m : members) mdb_tab_insert(mcp, m.c_str());
    return 0;
}

// As mdb: "struct", "union" or "enum" and the next word make one type name; alone, the keyword
// and a blank are the name so far (1 is returned).
int mdb_tab_typename(int* argcp, const mdb_arg_t** argvp, char* buf, size_t len) {
    if (argcp == nullptr || argvp == nullptr || buf == nullptr) return DCMD_USAGE;
    int argc = *argcp;
    const mdb_arg_t* argv = *argvp;
    if (argc < 1 || argv == nullptr || argv[0].a_type != MDB_TYPE_STRING) return DCMD_USAGE;
    const char* first = argv[0].a_un.a_str;
    if (std::strcmp(first, "struct") == 0 || std::strcmp(first, "union") == 0 || std::strcmp(first, "enum") == 0) {
        if (argc == 1) {
            std::snprintf(buf, len, "%s ", first);
            return 1;
        }
        if (argv[1].a_type != MDB_TYPE_STRING) return DCMD_USAGE;
        std::snprintf(buf, len, "%s %s", first, argv[1].a_un.a_str);
        *argcp = argc - 1;
        *argvp = argv + 1;
        return 0;
    }
    std::snprintf(buf, len, "%s", first);
    return 0;
}

// The completer of "TYPE [MEMBER]" arguments (::print, ::offsetof): a struct or union type name,
// then one of its members.
int mdb_tab_complete_mt(mdb_tab_cookie_t* mcp, uint_t flags, int argc, const mdb_arg_t* argv) {
    if (argc == 0 && !(flags & DCMD_TAB_SPACE)) return 0;
    if (argc == 0) return mdb_tab_complete_type(mcp, nullptr, MDB_TABC_MEMBERS);
    char type[MDB_SYM_NAMLEN];
    int ret = mdb_tab_typename(&argc, &argv, type, sizeof type);
    if (ret < 0) return ret;
    if (ret == DCMD_USAGE) return ret;
    if (argc == 1 && (!(flags & DCMD_TAB_SPACE) || ret == 1)) return mdb_tab_complete_type(mcp, type, MDB_TABC_MEMBERS);
    if (argc == 1) return mdb_tab_complete_member(mcp, type, nullptr);
    if (argc == 2) return mdb_tab_complete_member(mcp, type, argv[1].a_type == MDB_TYPE_STRING ? argv[1].a_un.a_str : nullptr);
    return 0;
}

}  // extern "C"
