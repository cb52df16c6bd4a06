// The module API's tab completion calls (modapi.md §13), over the cookie of the completion in
// progress. Type and member names come from Session::type_names.
#include <sys/mdb_modapi.h>

#include <cstdio>
#include <cstring>

#include "complete_impl.hpp"
#include "host_internal.hpp"

using namespace mdbsim::host;

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
    Session* s = api_session();
    if (mcp == nullptr || s == nullptr) return 0;
    if (name != nullptr) mdb_tab_setmbase(mcp, name);
    if (!s->type_names.types) return 0;
    s->type_names.types([&](std::string_view type, TypeShape shape) {
        if ((flags & MDB_TABC_MEMBERS) && shape != TypeShape::structure && shape != TypeShape::union_type) return;
        if ((flags & MDB_TABC_NOPOINT) && shape == TypeShape::pointer) return;
        if ((flags & MDB_TABC_NOARRAY) && shape == TypeShape::array) return;
        std::string text(type);
        mdb_tab_insert(mcp, text.c_str());
    });
    return 0;
}

int mdb_tab_complete_member(mdb_tab_cookie_t* mcp, const char* type, const char* member) {
    Session* s = api_session();
    if (mcp == nullptr || s == nullptr || type == nullptr || !s->type_names.members) return -1;
    bool found = s->type_names.members(type, [&](std::string_view) {});
    if (!found) return -1;
    if (member != nullptr) mdb_tab_setmbase(mcp, member);
    s->type_names.members(type, [&](std::string_view m) {
        std::string text(m);
        mdb_tab_insert(mcp, text.c_str());
    });
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
