// ::sizeof ::offsetof ::list ::array ::enum (docs/print-format.md §2-§6), on the mdb_ctf_* API.
#include <mdb/mdb_ctf.h>
#include <sys/mdb_modapi.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <string>

#include "ctf_bridge.hpp"
#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "print_internal.hpp"
#include "type_syntax.hpp"

namespace mdbsim::host::print {

namespace {

constexpr const char* kReadOnlyVariables[] = {"b", "d", "e", "m", "t", "hits", "thread"};

// mdb's setup_vcb: `variable` is set to each address as the next pipeline stage processes it.
int setup_variable(uint_t flags, const char* name, uintptr_t addr) {
    Session& s = current_session();
    for (const char* p = name; *p; ++p) {
        if (!(std::isalnum(static_cast<unsigned char>(*p)) || *p == '_')) {
            mdb_warn("'%c' may not be used in a variable name\n", *p);
            return DCMD_ABORT;
        }
    }
    for (const char* ro : kReadOnlyVariables) {
        if (std::strcmp(ro, name) == 0) {
            mdb_warn("variable %s is read-only\n", name);
            return DCMD_ABORT;
        }
    }
    s.variables.try_emplace(name, addr);
    if ((flags & DCMD_PIPE_OUT) && s.pipe.output) s.pipe.output->variable = name;
    return 0;
}

}  // namespace

int cmd_sizeof(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    if (flags & DCMD_ADDRSPEC) return DCMD_USAGE;
    std::string tn;
    if (int ret = args_to_typename(&argc, &argv, tn); ret != 0) return ret;
    if (argc != 1) return DCMD_USAGE;
    mdb_ctf_id_t id;
    if (mdb_ctf_lookup_by_name(tn.c_str(), &id) != 0) {
        mdb_warn("failed to look up type %s", tn.c_str());
        return DCMD_ERR;
    }
    auto size = static_cast<unsigned long>(mdb_ctf_type_size(id));
    if (flags & DCMD_PIPE_OUT)
        mdb_printf("%#lr\n", size);
    else
        mdb_printf("sizeof (%s) = %#lr\n", tn.c_str(), size);
    return DCMD_OK;
}

int cmd_offsetof(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    if (flags & DCMD_ADDRSPEC) return DCMD_USAGE;
    std::string tn;
    if (int ret = args_to_typename(&argc, &argv, tn); ret != 0) return ret;
    if (argc != 2 || argv[1].a_type != MDB_TYPE_STRING) return DCMD_USAGE;
    mdb_ctf_id_t id;
    if (mdb_ctf_lookup_by_name(tn.c_str(), &id) != 0) {
        mdb_warn("failed to look up type %s", tn.c_str());
        return DCMD_ERR;
    }
    const char* member = argv[1].a_un.a_str;
    ulong_t off;
    if (mdb_ctf_member_info(id, member, &off, &id) != 0) {
        mdb_warn("failed to find member %s of type %s", member, tn.c_str());
        return DCMD_ERR;
    }
    if (flags & DCMD_PIPE_OUT) {
        if (off % 8 != 0) {
            mdb_warn("member %s of type %s is not byte-aligned\n", member, tn.c_str());
            return DCMD_ERR;
        }
        mdb_printf("%#lr", off / 8);
        return DCMD_OK;
    }
    mdb_printf("offsetof (%s, %s) = %#lr", tn.c_str(), member, off / 8);
    if (off % 8 != 0) mdb_printf(".%lr", off % 8);
    ssize_t sz = mdb_ctf_type_size(id);
    if (sz > 0) mdb_printf(", sizeof (...->%s) = %#lr", member, static_cast<unsigned long>(sz));
    mdb_printf("\n");
    return DCMD_OK;
}

int cmd_list(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    if (!(flags & DCMD_ADDRSPEC) || argc == 0) return DCMD_USAGE;
    long offset;
    if (argv->a_type != MDB_TYPE_STRING) {
        if (argc != 1 || argv->a_type != MDB_TYPE_IMMEDIATE) return DCMD_USAGE;
        offset = static_cast<long>(argv->a_un.a_val);
        ++argv;
        --argc;
        if (offset % static_cast<long>(sizeof(uintptr_t)) != 0) {
            mdb_warn("offset must fall on a word boundary\n");
            return DCMD_ABORT;
        }
    } else {
        std::string tn;
        if (int ret = args_to_typename(&argc, &argv, tn); ret != 0) return ret;
        ++argv;
        --argc;
        if (argc == 0 || argv->a_type != MDB_TYPE_STRING) return DCMD_USAGE;
        const char* member = argv->a_un.a_str;
        offset = mdb_ctf_offsetof_by_name(tn.c_str(), member);
        if (offset == -1) return DCMD_ABORT;
        ++argv;
        --argc;
        if (offset % static_cast<long>(sizeof(uintptr_t)) != 0) {
            mdb_warn("%s is not a word-aligned member\n", member);
            return DCMD_ABORT;
        }
    }
    if (argc == 1) {
        if (argv->a_type != MDB_TYPE_STRING) return DCMD_USAGE;
        if (int ret = setup_variable(flags, argv->a_un.a_str, addr); ret != 0) return ret;
    } else if (argc != 0) {
        return DCMD_USAGE;
    }
    uintptr_t a = addr;
    do {
        mdb_printf("%lr\n", a);
        uintptr_t next;
        if (mdb_vread(&next, sizeof next, a + static_cast<uintptr_t>(offset)) == -1) {
            mdb_warn("failed to read next pointer from object %p", a);
            return DCMD_ERR;
        }
        a = next;
    } while (a != addr && a != 0);
    return DCMD_OK;
}

int cmd_array(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    if (!(flags & DCMD_ADDRSPEC)) return DCMD_USAGE;
    ssize_t elemsize = 0;
    long nelem = -1;
    mdb_ctf_id_t id;
    if (argc >= 2) {
        std::string tn;
        if (int ret = args_to_typename(&argc, &argv, tn); ret != 0) return ret;
        if (argc == 1) return DCMD_USAGE;  // `struct x` without a count
        if (mdb_ctf_lookup_by_name(tn.c_str(), &id) != 0) {
            mdb_warn("failed to look up type %s", tn.c_str());
            return DCMD_ABORT;
        }
        nelem = static_cast<int>(mdb_argtoull(&argv[1]));
        elemsize = mdb_ctf_type_size(id);
    } else {
        char name[MDB_SYM_NAMLEN];
        GElf_Sym sym;
        mdb_ctf_arinfo_t ar;
        if (mdb_lookup_by_addr(addr, MDB_SYM_EXACT, name, sizeof name, &sym) == 0 &&
            mdb_ctf_lookup_by_addr(addr, &id) == 0 && mdb_ctf_type_kind(id) == CTF_K_ARRAY &&
            mdb_ctf_array_info(id, &ar) != -1 && ar.mta_nelems != 0) {
            elemsize = mdb_ctf_type_size(id) / static_cast<ssize_t>(ar.mta_nelems);
            nelem = ar.mta_nelems;
        } else {
            mdb_warn("no symbol information for %a", addr);
            return DCMD_ERR;
        }
    }
    if (argc == 3 || argc == 1) {
        if (argv[argc - 1].a_type != MDB_TYPE_STRING) return DCMD_USAGE;
        if (int ret = setup_variable(flags, argv[argc - 1].a_un.a_str, addr); ret != 0) return ret;
    } else if (argc > 3) {
        return DCMD_USAGE;
    }
    for (; nelem > 0; --nelem) {
        mdb_printf("%lr\n", addr);
        addr += static_cast<uintptr_t>(elemsize);
    }
    return DCMD_OK;
}

// ---- ::enum ----

namespace {

constexpr unsigned kEnumPretty = 0x01;
constexpr unsigned kEnumHex = 0x02;
constexpr unsigned kEnumSearchString = 0x04;
constexpr unsigned kEnumSearchValue = 0x08;
constexpr unsigned kEnumElidePrefix = 0x10;

struct EnumInfo {
    uint_t flags = 0;
    const char* string = nullptr;
    size_t prefix = 0;
    int64_t value = 0;
    bool found = false;
    mdb_ctf_id_t id;
};

void enum_print(EnumInfo* info, const char* name, int value) {
    if (name != nullptr && info->prefix && std::strlen(name) > info->prefix) name += info->prefix;
    if (info->flags & kEnumPretty) {
        unsigned long indent = 5 + ((info->flags & kEnumHex) ? 8 : 11);
        mdb_printf((info->flags & kEnumHex) ? "%8x " : "%11d ", value);
        mdb_inc_indent(indent);
        if (name != nullptr)
            current_session().out().puts(name);
        else
            enum_print_bits(info->id, value, (info->flags & kEnumElidePrefix) != 0);
        mdb_dec_indent(indent);
        mdb_printf("\n");
    } else {
        mdb_printf("%#r\n", value);
    }
}

int enum_cb(const char* name, int value, void* arg) {
    auto* info = static_cast<EnumInfo*>(arg);
    if (info->flags & kEnumSearchString) {
        if (std::strcmp(name, info->string) != 0) return 0;
    } else if (info->flags & kEnumSearchValue) {
        if (value != info->value) return 0;
    }
    enum_print(info, name, value);
    info->found = true;
    return 0;
}

}  // namespace

int cmd_enum(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    EnumInfo info;
    info.flags = (flags & DCMD_PIPE_OUT) ? 0 : kEnumPretty;
    int i = mdb_getopts(argc, argv, 'e', MDB_OPT_SETBITS, kEnumElidePrefix, &info.flags, 'x', MDB_OPT_SETBITS,
                        kEnumHex, &info.flags, nullptr);
    argc -= i;
    argv += i;
    std::string type;
    if (int ret = args_to_typename(&argc, &argv, type); ret != 0) return ret;
    mdb_ctf_id_t id;
    if (type.find(' ') == std::string::npos) {
        // The enum tag first, then a typedef of that name.
        std::string tagged = "enum " + type;
        if (mdb_ctf_lookup_by_name(tagged.c_str(), &id) == 0) {
            type = tagged;
        } else if (mdb_ctf_lookup_by_name(type.c_str(), &id) != 0) {
            mdb_warn("types '%s', '%s'", tagged.c_str(), type.c_str());
            return DCMD_ERR;
        }
    } else if (mdb_ctf_lookup_by_name(type.c_str(), &id) != 0) {
        mdb_warn("'%s'", type.c_str());
        return DCMD_ERR;
    }
    mdb_ctf_id_t idr;
    if (mdb_ctf_type_resolve(id, &idr) == -1) {
        mdb_warn("unable to resolve '%s'", type.c_str());
        return DCMD_ERR;
    }
    if (mdb_ctf_type_kind(idr) != CTF_K_ENUM) {
        mdb_warn("'%s': not an enumeration\n", type.c_str());
        return DCMD_ERR;
    }
    info.id = idr;
    if (argc > 2) return DCMD_USAGE;
    int64_t search = 0;
    if (argc == 2) {
        if (flags & DCMD_ADDRSPEC) {
            mdb_warn("may only specify one of: name, address\n");
            return DCMD_USAGE;
        }
        if (argv[1].a_type == MDB_TYPE_STRING) {
            info.flags |= kEnumSearchString;
            info.string = argv[1].a_un.a_str;
        } else if (argv[1].a_type == MDB_TYPE_IMMEDIATE) {
            info.flags |= kEnumSearchValue;
            search = static_cast<int64_t>(argv[1].a_un.a_val);
        } else {
            return DCMD_USAGE;
        }
    }
    if (flags & DCMD_ADDRSPEC) {
        info.flags |= kEnumSearchValue;
        search = static_cast<int64_t>(mdb_get_dot());
    }
    if (info.flags & kEnumSearchValue) {
        if (static_cast<int>(search) != search)
            mdb_warn("value '%lld' out of enumeration range\n", static_cast<long long>(search));
        info.value = search;
    }
    const bool bits = enum_is_bits(idr);
    if (bits) info.flags |= kEnumHex;
    if (DCMD_HDRSPEC(flags) && (info.flags & kEnumPretty)) {
        if (info.flags & kEnumHex)
            mdb_printf("%<u>%8s %-64s%</u>\n", "VALUE", "NAME");
        else
            mdb_printf("%<u>%11s %-64s%</u>\n", "VALUE", "NAME");
    }
    if ((info.flags & kEnumSearchValue) && bits) {
        enum_print(&info, nullptr, static_cast<int>(info.value));
        return DCMD_OK;
    }
    if (info.flags & kEnumElidePrefix) info.prefix = enum_common_prefix(id).size();
    if (mdb_ctf_enum_iter(idr, enum_cb, &info) == -1) {
        mdb_warn("cannot walk '%s' as enum", type.c_str());
        return DCMD_ERR;
    }
    if (!info.found && (info.flags & (kEnumSearchString | kEnumSearchValue)) != 0) {
        if (info.flags & kEnumSearchString)
            mdb_warn("name \"%s\" not in '%s'\n", info.string, type.c_str());
        else
            mdb_warn("value %#lld not in '%s'\n", static_cast<long long>(info.value), type.c_str());
        return DCMD_ERR;
    }
    return DCMD_OK;
}

}  // namespace mdbsim::host::print
