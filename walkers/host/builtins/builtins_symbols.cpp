// The built-in dcmds about symbols and the address space: ::nm $e ::nmadd ::nmdel $f ::files
// $m ::mappings ::objects ::dump ::vtop ::status. Layouts and messages are mdb's (mdb_nm.c,
// mdb_cmds.c); the maps are the target's own regions and load objects.
#include <sys/mdb_modapi.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "builtins.hpp"
#include "demangle.hpp"
#include "host_internal.hpp"
#include "mdbsim/host/output.hpp"

namespace mdbsim::host {
namespace {



// A load object as a mapping: the span of its symbols.
struct ObjectSpan {
    std::string name;
    uint64_t base = 0, limit = 0;
};

std::vector<ObjectSpan> object_spans(const sim::SymbolTable& t) {
    std::vector<ObjectSpan> out;
    for (const std::string& object : t.objects()) {
        ObjectSpan o{object, UINT64_MAX, 0};
        for (const sim::Symbol& sym : t.all()) {
            if (sym.object != object) continue;
            o.base = std::min(o.base, sym.value());
            o.limit = std::max(o.limit, sym.value() + sym.size());
        }
        if (o.base == UINT64_MAX) o.base = o.limit = 0;
        out.push_back(o);
    }
    return out;
}

// ---- ::nm ----

enum NmColumn : unsigned {
    kColIndex = 0x1, kColValue = 0x2, kColSize = 0x4, kColType = 0x8, kColBind = 0x10,
    kColOther = 0x20, kColShndx = 0x40, kColName = 0x80, kColCtype = 0x100, kColObject = 0x200,
    kColCtfid = 0x1000,
};

struct NameBit {
    const char* name;
    unsigned bit;
};

const NameBit kNmColumns[] = {{"ndx", kColIndex},   {"val", kColValue},    {"sz", kColSize},
                              {"type", kColType},   {"bind", kColBind},    {"oth", kColOther},
                              {"shndx", kColShndx}, {"name", kColName},    {"ctype", kColCtype},
                              {"obj", kColObject},  {"ctfid", kColCtfid}};

const NameBit kNmTypes[] = {{"noty", 1u << STT_NOTYPE}, {"objt", 1u << STT_OBJECT}, {"func", 1u << STT_FUNC},
                            {"sect", 1u << STT_SECTION}, {"file", 1u << STT_FILE},  {"comm", 1u << STT_COMMON},
                            {"tls", 1u << STT_TLS},      {"regi", 1u << 13}};

// A comma-separated list of names from the table, OR'd; false when one is unknown.
bool parse_subopts(std::string_view list, const NameBit* table, size_t n, unsigned& out) {
    unsigned bits = 0;
    std::stringstream in{std::string(list)};
    std::string one;
    while (std::getline(in, one, ',')) {
        const NameBit* hit = std::find_if(table, table + n, [&](const NameBit& nb) { return one == nb.name; });
        if (hit == table + n) return false;
        bits |= hit->bit;
    }
    out = bits;
    return true;
}

const char* type_name(unsigned char info) {
    switch (GELF_ST_TYPE(info)) {
    case STT_NOTYPE: return "NOTY";
    case STT_OBJECT: return "OBJT";
    case STT_FUNC: return "FUNC";
    case STT_SECTION: return "SECT";
    case STT_FILE: return "FILE";
    case STT_COMMON: return "COMM";
    case STT_TLS: return "TLS";
    case 13: return "REGI";
    default: return "?";
    }
}

const char* bind_name(unsigned char info) {
    switch (GELF_ST_BIND(info)) {
    case STB_LOCAL: return "LOCL";
    case STB_GLOBAL: return "GLOB";
    case STB_WEAK: return "WEAK";
    default: return "?";
    }
}

std::string section_name(GElf_Half shndx) {
    switch (shndx) {
    case SHN_UNDEF: return "UNDEF";
    case SHN_ABS: return "ABS";
    case SHN_COMMON: return "COMMON";
    default: return std::to_string(shndx);
    }
}

struct NmRow {
    const sim::Symbol* sym;
    unsigned index;
};

struct NmStyle {
    unsigned columns;
    const char* value_fmt;  // value and size
    const char* other_fmt;
    int width;              // header width of value and size
};

// mdb_table_print: the chosen columns in a fixed order, the delimiter between them.
void print_nm_row(Output& out, const NmStyle& st, const NmRow& r) {
    const GElf_Sym& g = r.sym->sym;
    bool first = true;
    auto column = [&](unsigned bit) {
        if (!(st.columns & bit)) return false;
        if (!first) out.puts("|");
        first = false;
        return true;
    };
    if (column(kColIndex)) out.printf("%5u", r.index);
    if (column(kColObject)) out.printf("%-15s", r.sym->object.c_str());
    if (column(kColValue)) out.printf(st.value_fmt, static_cast<unsigned long long>(g.st_value));
    if (column(kColSize)) out.printf(st.value_fmt, static_cast<unsigned long long>(g.st_size));
    if (column(kColType)) out.printf("%-5s", type_name(g.st_info));
    if (column(kColBind)) out.printf("%-5s", bind_name(g.st_info));
    if (column(kColOther)) out.printf(st.other_fmt, static_cast<unsigned>(g.st_other));
    if (column(kColShndx)) out.printf("%-8s", section_name(g.st_shndx).c_str());
    if (column(kColCtfid)) out.printf("%9s", "");  // no CTF: mdb leaves the column blank
    if (column(kColCtype)) out.printf("%-50s", "<unknown type>");
    if (column(kColName)) out.printf("%s", displayed_symbol_name(current_session(), r.sym->name).c_str());
    out.puts("\n");
}

void print_nm_header(Output& out, const NmStyle& st) {
    bool first = true;
    auto column = [&](unsigned bit) {
        if (!(st.columns & bit)) return false;
        if (!first) out.puts(" ");
        first = false;
        return true;
    };
    out.printf("%<u>");
    if (column(kColIndex)) out.printf("Index");
    if (column(kColObject)) out.printf("%-15s", "Object");
    if (column(kColValue)) out.printf("%-*s", st.width, "Value");
    if (column(kColSize)) out.printf("%-*s", st.width, "Size");
    if (column(kColType)) out.printf("%-5s", "Type");
    if (column(kColBind)) out.printf("%-5s", "Bind");
    if (column(kColOther)) out.printf("%-5s", "Other");
    if (column(kColShndx)) out.printf("%-8s", "Shndx");
    if (column(kColCtfid)) out.printf("%-9s", "CTF ID");
    if (column(kColCtype)) out.printf("%-50s", "C Type");
    if (column(kColName)) out.printf("%s", "Name");
    out.printf("%</u>\n");
}

int cmd_nm(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    enum : unsigned {
        kDynsym = 0x1, kDec = 0x2, kGlobal = 0x4, kNoHdrs = 0x8, kOct = 0x10, kUndef = 0x20,
        kHex = 0x40, kSortName = 0x80, kSortValue = 0x100, kPrivate = 0x200, kAssign = 0x400,
    };
    unsigned opt = 0;
    unsigned columns = kColValue | kColSize | kColType | kColBind | kColOther | kColShndx | kColName;
    unsigned types = 0;
    for (const NameBit& t : kNmTypes) types |= t.bit;
    std::optional<std::string> object;

    // mdb's option letters, bundled or not; -f and -t take a value (attached or the next word).
    int i = 0;
    for (; i < argc; ++i) {
        if (!is_string(argv[i]) || argv[i].a_un.a_str[0] != '-' || argv[i].a_un.a_str[1] == '\0') break;
        std::string_view a = argv[i].a_un.a_str + 1;
        if (a == "-") {
            ++i;
            break;
        }
        for (size_t k = 0; k < a.size(); ++k) {
            const char c = a[k];
            auto value = [&](unsigned& target, const NameBit* table, size_t n) {
                std::string_view v = a.substr(k + 1);
                if (v.empty()) {
                    if (i + 1 >= argc || !is_string(argv[i + 1])) return false;
                    v = argv[++i].a_un.a_str;
                }
                k = a.size();
                return parse_subopts(v, table, n, target);
            };
            switch (c) {
            case 'D': opt |= kDynsym; break;
            case 'P': opt |= kPrivate; break;
            case 'd': opt |= kDec; break;
            case 'g': opt |= kGlobal; break;
            case 'h': opt |= kNoHdrs; break;
            case 'n': opt |= kSortName; break;
            case 'o': opt |= kOct; break;
            case 'p': opt |= kAssign | kNoHdrs; break;
            case 'u': opt |= kUndef; break;
            case 'v': opt |= kSortValue; break;
            case 'x': opt |= kHex; break;
            case 'f':
                if (!value(columns, kNmColumns, std::size(kNmColumns))) return DCMD_USAGE;
                break;
            case 't':
                if (!value(types, kNmTypes, std::size(kNmTypes))) return DCMD_USAGE;
                break;
            default:
                warn(s, "illegal option -- %c\n", c);
                return DCMD_USAGE;
            }
        }
    }
    if (i != argc) {
        if (flags & DCMD_ADDRSPEC) return DCMD_USAGE;
        if (argc - i != 1 || !is_string(argv[i]) || argv[i].a_un.a_str[0] == '-') return DCMD_USAGE;
        object = argv[i].a_un.a_str;
    }
    if ((opt & (kDec | kHex | kOct)) == 0) opt |= s.radix == 8 ? kOct : s.radix == 10 ? kDec : kHex;
    NmStyle st{columns, nullptr, nullptr, 0};
    switch (opt & (kDec | kHex | kOct)) {
    case kDec: st = {columns, "%-20llu", "%-5u", 20}; break;
    case kHex: st = {columns, "0x%016llx", "0x%-3x", 18}; break;
    case kOct: st = {columns, "%-22llo", "%-5o", 22}; break;
    default:
        warn(s, "-d/-o/-x options are mutually exclusive\n");
        return DCMD_USAGE;
    }
    if (object && (opt & kPrivate)) {
        warn(s, "-P/object options are mutually exclusive\n");
        return DCMD_USAGE;
    }
    if ((flags & DCMD_ADDRSPEC) && (opt & kPrivate)) {
        warn(s, "-P/address options are mutually exclusive\n");
        return DCMD_USAGE;
    }
    const sim::SymbolTable& table = s.target().symbols();
    if (object && !table.has_object(*object)) {
        errno = EMDB_NOOBJ;
        mdb_warn("failed to iterate over symbols");
        return DCMD_ERR;
    }

    // Rows in the target's order: object by object, each symbol numbered within its object.
    std::vector<NmRow> rows;
    std::vector<sim::Symbol> copies;  // the private table and the symbol found for an address
    if (flags & DCMD_ADDRSPEC) {
        const sim::Symbol* found = s.lookup_symbol_by_addr(addr, false);
        if (!found) {
            errno = EMDB_NOSYMADDR;
            mdb_warn("%lr", static_cast<unsigned long>(addr));
            return DCMD_ERR;
        }
        copies.push_back(*found);
        rows.push_back({&copies.back(), 0});
    } else if (opt & kPrivate) {
        copies = s.private_symbols;
        for (size_t k = 0; k < copies.size(); ++k) rows.push_back({&copies[k], static_cast<unsigned>(k)});
    } else if (opt & kDynsym) {
        // None of mdbsim's targets keeps a separate dynamic symbol table (an ELF file's .dynsym
        // is read only when it has no .symtab, and then it is the table listed without -D).
    } else {
        for (const std::string& obj : table.objects()) {
            if (object && obj != *object) continue;
            unsigned index = 0;
            for (const sim::Symbol& sym : table.all()) {
                if (sym.object != obj) continue;
                ++index;
                if ((opt & kGlobal) && GELF_ST_BIND(sym.sym.st_info) != STB_GLOBAL) continue;
                rows.push_back({&sym, index});
            }
        }
    }
    std::erase_if(rows, [&](const NmRow& r) {
        const unsigned type = GELF_ST_TYPE(r.sym->sym.st_info);
        if (!((1u << type) & types)) return true;
        return (opt & kUndef) && r.sym->sym.st_shndx != SHN_UNDEF;
    });
    if (opt & kSortName)
        std::stable_sort(rows.begin(), rows.end(), [](const NmRow& a, const NmRow& b) { return a.sym->name < b.sym->name; });
    else if (opt & kSortValue)
        std::stable_sort(rows.begin(), rows.end(), [](const NmRow& a, const NmRow& b) { return a.sym->value() < b.sym->value(); });

    Output& out = s.out();
    if (!(opt & kNoHdrs)) print_nm_header(out, st);
    for (const NmRow& r : rows) {
        s.charge_work();
        if ((opt & (kPrivate | kAssign)) == (kPrivate | kAssign)) {
            const unsigned type = GELF_ST_TYPE(r.sym->sym.st_info);
            const char* o = type == STT_FUNC ? "-f" : type == STT_OBJECT ? "-o" : "";
            out.printf("%#llr::nmadd %s -s %#llr %s\n", static_cast<unsigned long long>(r.sym->value()), o,
                       static_cast<unsigned long long>(r.sym->size()), r.sym->name.c_str());
        } else {
            print_nm_row(out, st, r);
        }
    }
    return DCMD_OK;
}

void help_nm() {
    current_session().out().puts(
        "-D         print .dynsym instead of .symtab\n"
        "-P         print private symbol table instead of .symtab\n"
        "-d         print value and size in decimal\n"
        "-g         only print global symbols\n"
        "-h         suppress header line\n"
        "-n         sort symbols by name\n"
        "-o         print value and size in octal\n"
        "-p         print symbols as a series of ::nmadd commands\n"
        "-u         only print undefined symbols\n"
        "-v         sort symbols by value\n"
        "-x         print value and size in hexadecimal\n"
        "-f format  use specified format\n"
        "           ndx, val, sz, type, bind, oth, shndx, name, ctype, obj\n"
        "-t types   display symbols with the specified types\n"
        "           noty, objt, func, sect, file, regi\n"
        "obj        specify object whose symbol table should be used\n");
}

// ---- ::nmadd ::nmdel ----

int cmd_nmadd(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if (!(flags & DCMD_ADDRSPEC)) return DCMD_USAGE;
    uint_t opt_f = 0, opt_o = 0;
    uintptr_t opt_e = 0, opt_s = 0;
    int i = mdb_getopts(argc, argv, 'f', MDB_OPT_SETBITS, 1u, &opt_f, 'o', MDB_OPT_SETBITS, 1u, &opt_o, 'e',
                        MDB_OPT_UINTPTR, &opt_e, 's', MDB_OPT_UINTPTR, &opt_s, NULL);
    if (i != argc - 1 || !is_string(argv[i]) || argv[i].a_un.a_str[0] == '-' || argv[i].a_un.a_str[0] == '+')
        return DCMD_USAGE;
    if (opt_e && opt_e < addr) {
        warn(s, "end (%p) is less than start address (%p)\n", reinterpret_cast<void*>(opt_e),
             reinterpret_cast<void*>(addr));
        return DCMD_USAGE;
    }
    const std::string name = argv[i].a_un.a_str;
    auto it = std::find_if(s.private_symbols.begin(), s.private_symbols.end(),
                           [&](const sim::Symbol& p) { return p.name == name; });
    sim::Symbol sym;
    if (it != s.private_symbols.end()) {
        sym = *it;
    } else {
        sym.name = name;
        sym.object = "mdb";
        sym.sym.st_info = static_cast<unsigned char>(GELF_ST_INFO(STB_GLOBAL, STT_NOTYPE));
        sym.sym.st_shndx = SHN_ABS;
    }
    if (opt_f) sym.sym.st_info = static_cast<unsigned char>(GELF_ST_INFO(STB_GLOBAL, STT_FUNC));
    if (opt_o) sym.sym.st_info = static_cast<unsigned char>(GELF_ST_INFO(STB_GLOBAL, STT_OBJECT));
    if (opt_e) sym.sym.st_size = opt_e - addr;
    if (opt_s) sym.sym.st_size = opt_s;
    sym.sym.st_value = addr;
    if (it != s.private_symbols.end())
        *it = sym;
    else
        s.private_symbols.push_back(sym);
    s.out().printf("added %s, value=%llr size=%llr\n", name.c_str(), static_cast<unsigned long long>(sym.value()),
                   static_cast<unsigned long long>(sym.size()));
    return DCMD_OK;
}

void help_nmadd() {
    current_session().out().puts(
        "-f       set type of symbol to STT_FUNC\n"
        "-o       set type of symbol to STT_OBJECT\n"
        "-e end   set size of symbol to end - start address\n"
        "-s size  set size of symbol to explicit value\n"
        "name     specify symbol name to add\n");
}

int cmd_nmdel(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if (argc != 1 || !is_string(argv[0]) || argv[0].a_un.a_str[0] == '-' || (flags & DCMD_ADDRSPEC))
        return DCMD_USAGE;
    const std::string name = argv[0].a_un.a_str;
    auto it = std::find_if(s.private_symbols.begin(), s.private_symbols.end(),
                           [&](const sim::Symbol& p) { return p.name == name; });
    if (it == s.private_symbols.end()) {
        warn(s, "symbol '%s' not found in private symbol table\n", name.c_str());
        return DCMD_ERR;
    }
    s.out().printf("deleted %s, value=%llr size=%llr\n", name.c_str(), static_cast<unsigned long long>(it->value()),
                   static_cast<unsigned long long>(it->size()));
    s.private_symbols.erase(it);
    return DCMD_OK;
}

// ---- $e $f ::files ----

int cmd_globals(uintptr_t, uint_t, int argc, const mdb_arg_t*) {
    Session& s = current_session();
    if (argc != 0) return DCMD_USAGE;
    const sim::SymbolTable& t = s.target().symbols();
    for (const std::string& obj : t.objects()) {
        for (const sim::Symbol& sym : t.all()) {
            if (sym.object != obj) continue;
            const unsigned type = GELF_ST_TYPE(sym.sym.st_info);
            if (GELF_ST_BIND(sym.sym.st_info) != STB_GLOBAL || (type != STT_OBJECT && type != STT_FUNC)) continue;
            s.charge_work();
            uintptr_t value = 0;
            if (mdb_vread(&value, sizeof value, static_cast<uintptr_t>(sym.value())) == sizeof value)
                s.out().printf("%s(%llr):\t%lr\n", sym.name.c_str(), static_cast<unsigned long long>(sym.value()),
                               static_cast<unsigned long>(value));
            else
                s.out().printf("%s(%llr):\t?\n", sym.name.c_str(), static_cast<unsigned long long>(sym.value()));
        }
    }
    return DCMD_OK;
}

// Source-file symbols (STT_FILE): none of mdbsim's targets keeps them (an ELF file's are dropped
// as they are read), so the listing is empty, as mdb's is for an object without them.
int cmd_files(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if ((flags & DCMD_ADDRSPEC) || argc > 1) return DCMD_USAGE;
    if (argc == 1 && !is_string(argv[0])) return DCMD_USAGE;
    int n = 1;
    for (const sim::Symbol& sym : s.target().symbols().all()) {
        if (GELF_ST_TYPE(sym.sym.st_info) != STT_FILE) continue;
        if (argc == 1 && sym.object != argv[0].a_un.a_str) continue;
        s.out().printf("%d\t%s\n", n++, sym.name.c_str());
    }
    return DCMD_OK;
}

// ---- $m ::mappings ::objects ----

void print_map(Output& out, uint64_t base, uint64_t limit, const std::string& name) {
    out.printf("%?p %?p %?lx %s\n", reinterpret_cast<void*>(base), reinterpret_cast<void*>(limit),
               static_cast<unsigned long>(limit - base), name.empty() ? "[ anon ]" : name.c_str());
}

int cmd_mappings(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    if (argc > 1 || (argc != 0 && (flags & DCMD_ADDRSPEC))) return DCMD_USAGE;
    Output& out = s.out();
    out.printf("%<u>%?s %?s %?s %s%</u>\n", "BASE", "LIMIT", "SIZE", "NAME");
    const std::vector<sim::Region> regions = s.target().vmem().regions();
    auto by_addr = [&](uint64_t a) -> const sim::Region* {
        for (const sim::Region& r : regions)
            if (r.contains(a)) return &r;
        return nullptr;
    };
    const sim::Region* one = nullptr;
    if (flags & DCMD_ADDRSPEC) {
        one = by_addr(addr);
    } else if (argc == 1) {
        if (argv[0].a_type == MDB_TYPE_STRING) {
            for (const sim::Region& r : regions)
                if (r.name == argv[0].a_un.a_str) {
                    one = &r;
                    break;
                }
        } else {
            one = by_addr(argv[0].a_un.a_val);
        }
    } else {
        for (const sim::Region& r : regions) print_map(out, r.base, r.end(), r.name);
        return DCMD_OK;
    }
    if (!one) {
        errno = EMDB_NOMAP;
        mdb_warn("failed to obtain mapping");
    } else {
        print_map(out, one->base, one->end(), one->name);
    }
    return DCMD_OK;
}

int cmd_objects(uintptr_t, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    uint_t opt_v = 0;
    if ((flags & DCMD_ADDRSPEC) || mdb_getopts(argc, argv, 'v', MDB_OPT_SETBITS, 1u, &opt_v, NULL) != argc)
        return DCMD_USAGE;
    Output& out = s.out();
    if (opt_v)
        out.printf("%<u>%-28s %s%</u>\n", "NAME", "VERSION");
    else
        out.printf("%<u>%?s %?s %?s %s%</u>\n", "BASE", "LIMIT", "SIZE", "NAME");
    for (const ObjectSpan& o : object_spans(s.target().symbols())) {
        if (opt_v)
            out.printf("%-28s %s\n", o.name.c_str(), "Unknown");  // no CTF labels: mdb's "Unknown"
        else
            print_map(out, o.base, o.limit, o.name);
    }
    return DCMD_OK;
}

// ---- ::dump ----

ssize_t read_virtual(void* buf, size_t n, uint64_t addr, void*) {
    return mdb_vread(buf, n, static_cast<uintptr_t>(addr));
}

ssize_t read_physical(void* buf, size_t n, uint64_t addr, void*) { return mdb_pread(buf, n, addr); }

int cmd_dump(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    uint_t dflags = MDB_DUMP_ALIGN | MDB_DUMP_NEWDOT | MDB_DUMP_ASCII | MDB_DUMP_HEADER;
    uint_t phys = 0, file = 0;
    uintptr_t group = 4, width = 1;
    if (mdb_getopts(argc, argv, 'e', MDB_OPT_SETBITS, MDB_DUMP_ENDIAN, &dflags, 'f', MDB_OPT_SETBITS, 1u, &file, 'g',
                    MDB_OPT_UINTPTR, &group, 'p', MDB_OPT_SETBITS, 1u, &phys, 'q', MDB_OPT_CLRBITS, MDB_DUMP_ASCII,
                    &dflags, 'r', MDB_OPT_SETBITS, MDB_DUMP_RELATIVE, &dflags, 's', MDB_OPT_SETBITS,
                    MDB_DUMP_SQUISH, &dflags, 't', MDB_OPT_SETBITS, MDB_DUMP_TRIM, &dflags, 'u', MDB_OPT_CLRBITS,
                    MDB_DUMP_ALIGN, &dflags, 'v', MDB_OPT_SETBITS, MDB_DUMP_PEDANT, &dflags, 'w',
                    MDB_OPT_UINTPTR, &width, NULL) != argc)
        return DCMD_USAGE;
    if ((phys && file) || width == 0 || width > 0x10 || group == 0 || group > 0x100) return DCMD_USAGE;
    dflags |= MDB_DUMP_GROUP(group) | MDB_DUMP_WIDTH(width);
    const uint64_t len = s.last_count;
    int error;
    // A crash dump's object file is its memory image: -f reads the same bytes as virtual reads.
    if (phys)
        error = mdb_dump64(addr, len, dflags, read_physical, nullptr);
    else
        error = mdb_dumpptr(addr, len, dflags, read_virtual, nullptr);
    return ((flags & DCMD_LOOP) || error == -1) ? DCMD_ABORT : DCMD_OK;
}

void help_dump() {
    current_session().out().puts(
        "-e    adjust for endianness\n"
        "      (assumes 4-byte words; use -g to change word size)\n"
        "-f    dump from object file\n"
        "-g n  display bytes in groups of n\n"
        "      (default is 4; n must be a power of 2, divide line width)\n"
        "-p    dump from physical memory\n"
        "-q    don't print ASCII\n"
        "-r    use relative numbering (automatically sets -u)\n"
        "-s    elide repeated lines\n"
        "-t    only read from and display contents of specified addresses\n"
        "      (default is to read and print entire lines)\n"
        "-u    un-align output\n"
        "      (default is to align output at paragraph boundary)\n"
        "-w n  display n 16-byte paragraphs per line\n"
        "      (default is 1, maximum is 16)\n");
}

// ---- ::vtop ----

// mdbsim's kernel address space is its own simulation, not built from page tables, so virtual
// addresses have no physical translation and ::vtop answers as mdb does on a target without one.
int cmd_vtop(uintptr_t, uint_t, int argc, const mdb_arg_t* argv) {
    uintptr_t as = 0;
    if (mdb_getopts(argc, argv, 'a', MDB_OPT_UINTPTR, &as, NULL) != argc) return DCMD_USAGE;
    errno = EMDB_TGTNOTSUP;
    mdb_warn("failed to get physical mapping");
    return DCMD_ERR;
}

// ---- ::status ----

// mdb's kernel target summary: what is being debugged, the system, and the dump's content. The
// "from" host and the release are the simulated system's; a scenario is named by its spec and
// an opened file by its path.
int cmd_status(uintptr_t, uint_t flags, int argc, const mdb_arg_t*) {
    Session& s = current_session();
    if ((flags & DCMD_ADDRSPEC) || argc != 0) return DCMD_USAGE;
    const auto& info = s.target().info();
    auto get = [&info](const std::string& key) -> std::string {
        auto it = info.find(key);
        return it == info.end() ? std::string() : it->second;
    };
    Output& out = s.out();
    const std::string image = get("target.image");
    const std::string spec = get("scenario.spec").empty() ? get("scenario") : get("scenario.spec");
    const std::string kind = get("target.kind");
    if (!image.empty() && kind != "mdbsim image") {
        // Another ELF file opened as the target: what it is, not a crash dump.
        out.printf("debugging %s %s (64-bit)\n", kind.c_str(), image.c_str());
        return DCMD_OK;
    }
    const std::string what = !image.empty() ? image : !spec.empty() ? "scenario:" + spec : "(empty target)";
    out.printf("debugging crash dump %s (64-bit) from %s\n", what.c_str(), "mdbsim");
    out.printf("operating system: %s %s (%s)\n", "5.11", "mdbsim", "i86pc");
    if (!spec.empty()) out.printf("scenario: %s\n", spec.c_str());
    for (size_t i = 0;; ++i) {
        const std::string c = get("scenario.corruption." + std::to_string(i));
        if (c.empty()) break;
        out.printf("corruption: %s\n", c.c_str());
    }
    out.printf("dump content: kernel pages only\n");
    return DCMD_OK;
}

// ---- ::whatis ----

// What an address is, most specific first: a structure the scenario's builders placed (their
// record travels with the target into images), a symbol, a mapping (mdb's own wording: "in NAME
// [BASE,LIMIT)"). Without -a only the first kind that knows the address answers, as in mdb.
int cmd_whatis(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    Session& s = current_session();
    uint_t opt_a = 0, opt_i = 0, opt_k = 0, opt_q = 0, opt_v = 0;
    if (!(flags & DCMD_ADDRSPEC) ||
        mdb_getopts(argc, argv, 'a', MDB_OPT_SETBITS, 1u, &opt_a, 'i', MDB_OPT_SETBITS, 1u, &opt_i, 'k',
                    MDB_OPT_SETBITS, 1u, &opt_k, 'q', MDB_OPT_SETBITS, 1u, &opt_q, 'v', MDB_OPT_SETBITS, 1u, &opt_v,
                    NULL) != argc)
        return DCMD_USAGE;
    Output& out = s.out();
    bool found = false;
    for (const auto& [key, value] : s.target().info()) {
        if (key.rfind("placed.", 0) != 0) continue;
        s.charge_work();
        unsigned long long base = 0, size = 0;
        int used = 0;
        if (std::sscanf(value.c_str(), "%llx %llx %n", &base, &size, &used) != 2 || used <= 0) continue;
        if (addr < base || addr - base >= size) continue;
        const char* what = value.c_str() + used;
        if (addr == base)
            out.printf("%p is the %s\n", reinterpret_cast<void*>(addr), what);
        else
            out.printf("%p is %#llr bytes into the %s\n", reinterpret_cast<void*>(addr),
                       static_cast<unsigned long long>(addr - base), what);
        found = true;
        if (!opt_a) return DCMD_OK;
    }
    if (const sim::Symbol* sym = s.lookup_symbol_by_addr(addr, false)) {
        out.printf("%p is %a, in %s\n", reinterpret_cast<void*>(addr), addr, sym->object.c_str());
        found = true;
        if (!opt_a) return DCMD_OK;
    }
    for (const sim::Region& r : s.target().vmem().regions()) {
        if (!r.contains(addr)) continue;
        out.printf("%p is in %s [%p,%p)\n", reinterpret_cast<void*>(addr), r.name.empty() ? "[ anon ]" : r.name.c_str(),
                   reinterpret_cast<void*>(r.base), reinterpret_cast<void*>(r.end()));
        found = true;
        break;
    }
    if (!found && !opt_q) out.printf("%p is unknown\n", reinterpret_cast<void*>(addr));
    return DCMD_OK;
}

void help_whatis() {
    current_session().out().puts(
        "Given a virtual address, print what it is: a structure the simulated kernel's builders\n"
        "placed (\"0x40 bytes into the struct kvm of VM 1\"), a symbol, or a mapping.\n"
        "-a  report every match, not only the most specific one\n"
        "-q  print nothing for an address nothing knows\n"
        "-i, -k, -v  accepted as by mdb; nothing here depends on them\n");
}

}  // namespace

void register_symbol_builtins(Session& s) {
    static const mdb_dcmd_t dcmds[] = {
        {"nm", "?[-DPdghnopuvx] [-f format] [-t types] [object]", "print symbols", cmd_nm, help_nm, nullptr},
        {"nmadd", ":[-fo] [-e end] [-s size] name", "add name to private symbol table", cmd_nmadd, help_nmadd,
         nullptr},
        {"nmdel", "name", "remove name from private symbol table", cmd_nmdel, nullptr, nullptr},
        {"$e", nullptr, "print listing of global symbols", cmd_globals, nullptr, nullptr},
        {"$f", nullptr, "print listing of source files", cmd_files, nullptr, nullptr},
        {"files", "[object]", "print listing of source files", cmd_files, nullptr, nullptr},
        {"$m", "?[name]", "print address space mappings", cmd_mappings, nullptr, nullptr},
        {"mappings", "?[name]", "print address space mappings", cmd_mappings, nullptr, nullptr},
        {"objects", "[-v]", "print load objects information", cmd_objects, nullptr, nullptr},
        {"dump", "?[-eqrstu] [-f|-p] [-g bytes] [-w paragraphs]", "dump memory from specified address", cmd_dump,
         help_dump, nullptr},
        {"vtop", ":[-a as]", "print physical mapping of virtual address", cmd_vtop, nullptr, nullptr},
        {"status", nullptr, "print summary of current target", cmd_status, nullptr, nullptr},
        {"whatis", ":[-aikqv]", "given an address, return information", cmd_whatis, help_whatis, nullptr},
    };
    for (const mdb_dcmd_t& d : dcmds) s.registry().add_dcmd(s.registry().builtin_module(), d);
}

}  // namespace mdbsim::host
