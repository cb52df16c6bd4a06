// ::typedef (docs/print-format.md §9): synthetic types, made in the type layer's writable
// container through ctf_bridge.hpp and found afterwards by every mdb_ctf_lookup_by_name.
#include <mdb/mdb_ctf.h>
#include <sys/mdb_modapi.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "ctf_bridge.hpp"
#include "print_internal.hpp"
#include "type_syntax.hpp"

namespace mdbsim::host::print {

namespace {

bool type_exists(const std::string& name) {
    mdb_ctf_id_t id;
    int saved = errno;
    bool found = mdb_ctf_lookup_by_name(name.c_str(), &id) == 0;
    errno = saved;
    return found;
}

int typedef_create(const char* model) {
    DataModel m;
    if (strcasecmp(model, "LP32") == 0 || strcasecmp(model, "ILP32") == 0) {
        m = DataModel::ilp32;
    } else if (strcasecmp(model, "LP64") == 0) {
        m = DataModel::lp64;
    } else {
        mdb_printf("invalid data model: %s\n", model);
        return DCMD_USAGE;
    }
    if (synthetic_create_base(m) != 0) {
        mdb_printf("failed to create intrinsic types, maybe they already exist\n");
        return DCMD_ERR;
    }
    return DCMD_OK;
}

int typedef_list() {
    synthetic_iter([](mdb_ctf_id_t id) {
        char buf[MDB_SYM_NAMLEN];
        // Unnamed structs and unions are only reachable through their typedef: not listed.
        if (mdb_ctf_type_name(id, buf, sizeof buf) != nullptr && std::strcmp(buf, "struct ") != 0 &&
            std::strcmp(buf, "union ") != 0)
            mdb_printf("%s\n", buf);
        return 0;
    });
    return DCMD_OK;
}

// Builds the struct or union of `decl` and the typedef `name` to it; on failure the half-made
// aggregate is rolled back.
int typedef_add(const TypedefDecl& decl, const char* name) {
    if (auto msg = validate_typedef_decl(decl)) {
        mdb_printf("%s", msg->c_str());
        return DCMD_ERR;
    }
    if (type_exists(name)) {
        mdb_printf("typedef name %s already exists\n", name);
        return DCMD_ERR;
    }
    SyntheticMark mark;
    synthetic_mark(&mark);
    mdb_ctf_id_t sou;
    if (synthetic_add_sou(decl.is_union, decl.tag.empty() ? nullptr : decl.tag.c_str(), &sou) != 0) {
        mdb_printf("failed to create %s for %s\n", decl.is_union ? "union" : "struct", name);
        return DCMD_ERR;
    }
    auto fail = [&mark]() {
        synthetic_rollback(mark);
        return DCMD_ERR;
    };
    for (const TypedefMember& m : decl.members) {
        mdb_ctf_id_t tid;
        if (mdb_ctf_lookup_by_name(m.type.c_str(), &tid) != 0) {
            mdb_printf("failed to add member %s: type %s does not exist\n", m.name.c_str(), m.type.c_str());
            return fail();
        }
        for (int k = 0; k < m.pointers; ++k) {
            mdb_ctf_id_t pid;
            if (synthetic_add_pointer(tid, &pid) != 0) {
                mdb_printf("failed to add a pointer type as part of member: %s\n", m.name.c_str());
                return fail();
            }
            tid = pid;
        }
        if (m.array) {
            mdb_ctf_id_t index;
            if (mdb_ctf_lookup_by_name("long", &index) != 0) {
                mdb_printf("failed to lookup the type 'long' for array indexes, are you running mdb without a "
                           "target or using ::typedef -c?");
                return fail();
            }
            mdb_ctf_id_t aid;
            if (m.count > UINT32_MAX ||
                synthetic_add_array(tid, index, static_cast<uint32_t>(m.count), &aid) != 0) {
                mdb_printf("failed to create array type for member %s\n", m.name.c_str());
                return fail();
            }
            tid = aid;
        }
        if (synthetic_add_member(sou, m.name.c_str(), tid) != 0) {
            mdb_printf("failed to create member %s\n", m.name.c_str());
            return fail();
        }
    }
    if (synthetic_add_typedef(name, sou, nullptr) != 0) {
        mdb_printf("failed to add typedef for %s\n", name);
        return fail();
    }
    return DCMD_OK;
}

}  // namespace

int cmd_typedef(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    if (flags & DCMD_ADDRSPEC) return DCMD_USAGE;
    uint_t destroy = 0, list = 0;
    const char *cmode = nullptr, *rfile = nullptr, *wfile = nullptr;
    int i = mdb_getopts(argc, argv, 'd', MDB_OPT_SETBITS, 1u, &destroy, 'l', MDB_OPT_SETBITS, 1u, &list, 'c',
                        MDB_OPT_STR, &cmode, 'r', MDB_OPT_STR, &rfile, 'w', MDB_OPT_STR, &wfile, nullptr);
    argc -= i;
    argv += i;
    const int chosen = (destroy ? 1 : 0) + (cmode ? 1 : 0) + (list ? 1 : 0) + (rfile ? 1 : 0) + (wfile ? 1 : 0);
    if (chosen > 1) return DCMD_USAGE;
    if (chosen == 1 && argc != 0) return DCMD_USAGE;
    if (destroy) {
        if (synthetic_reset() != 0) {
            mdb_warn("failed to reset synthetic types");
            return DCMD_ERR;
        }
        return DCMD_OK;
    }
    if (cmode) return typedef_create(cmode);
    if (list) return typedef_list();
    if (rfile) {
        std::vector<std::string> left_out;
        if (synthetic_import(rfile, &left_out) != 0) {
            mdb_warn("failed to create synthetics from file %s\n", rfile);
            return DCMD_ERR;
        }
        // Units of a linked object that disagreed on a type: only the first version has the name.
        for (const auto& l : left_out)
            mdb_warn("%s: left out %s: a type of that name is already there\n", rfile, l.c_str());
        return DCMD_OK;
    }
    if (wfile) {
        if (synthetic_export(wfile) != 0) {
            mdb_warn("failed to write synthetics to file %s", wfile);
            return DCMD_ERR;
        }
        return DCMD_OK;
    }
    if (argc < 2) return DCMD_USAGE;
    for (int k = 0; k < argc; ++k)
        if (argv[k].a_type != MDB_TYPE_STRING) return DCMD_USAGE;

    // A quoted `struct {...}` or `union {...}` declaration and a name.
    if (argc == 2 && std::strchr(argv[0].a_un.a_str, '{') != nullptr) {
        auto parsed = parse_typedef_decl(argv[0].a_un.a_str);
        if (auto* e = std::get_if<TypedefError>(&parsed)) {
            mdb_printf("%s", e->message.c_str());
            return DCMD_ERR;
        }
        const TypedefDecl& decl = std::get<TypedefDecl>(parsed);
        if (!decl.tag.empty() && type_exists(decl.tag_type)) {
            mdb_printf("type name %s already in use\n", decl.tag_type.c_str());
            return DCMD_ERR;
        }
        return typedef_add(decl, argv[1].a_un.a_str);
    }

    // `::typedef unsigned long ul_t`: every word but the last names the existing type.
    std::string src;
    for (int k = 0; k < argc - 1; ++k) {
        if (k) src += ' ';
        src += argv[k].a_un.a_str;
    }
    const char* dst = argv[argc - 1].a_un.a_str;
    if (type_exists(dst)) {
        mdb_printf("%s already exists\n", dst);
        return DCMD_ERR;
    }
    mdb_ctf_id_t id;
    if (mdb_ctf_lookup_by_name(src.c_str(), &id) != 0) {
        mdb_printf("%s does not exist\n", src.c_str());
        return DCMD_ERR;
    }
    if (synthetic_add_typedef(dst, id, nullptr) != 0) {
        mdb_printf("failed to create typedef\n");
        return DCMD_ERR;
    }
    return DCMD_OK;
}

}  // namespace mdbsim::host::print
