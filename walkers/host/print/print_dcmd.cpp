// ::print (docs/print-format.md §7): mdb_ctf_type_visit over the type, one line per member,
// values read from the target as each line is printed. Everything type-related goes through the
// module API's mdb_ctf_* functions (plus ctf_bridge.hpp's encodings), as mdb_print.c does.
#include <mdb/mdb_ctf.h>
#include <sys/mdb_modapi.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ctf_bridge.hpp"
#include "member_path.hpp"
#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "print_internal.hpp"
#include "type_syntax.hpp"

namespace mdbsim::host::print {

namespace {

constexpr int kShowType = 0x001;
constexpr int kShowBaseType = 0x002;
constexpr int kShowName = 0x004;
constexpr int kShowAddr = 0x008;
constexpr int kShowVal = 0x010;
constexpr int kShowHoles = 0x020;
constexpr int kIntHex = 0x040;
constexpr int kIntDec = 0x080;
constexpr int kNoSymbolic = 0x100;

constexpr unsigned long kNoLimit = ~0UL;
constexpr unsigned long kDefaultArrayMembers = 32;
constexpr unsigned long kDefaultArrayChars = 1024;
constexpr int kTab = 4;
constexpr size_t kNameLen = MDB_SYM_NAMLEN;

bool is_composite(int kind) { return kind == CTF_K_STRUCT || kind == CTF_K_UNION || kind == CTF_K_ARRAY; }
bool is_sou(int kind) { return kind == CTF_K_STRUCT || kind == CTF_K_UNION; }
bool is_char(const Encoding& e) {
    return (e.format & (kIntChar | kIntSigned)) == (kIntChar | kIntSigned) && e.bits == 8;
}

// mdb's rule for integers it cannot load as a whole 1, 2, 4 or 8 byte value.
bool is_bitfield(const Encoding& e, unsigned long off) {
    size_t bsize = e.bits / 8;
    return bsize > 8 || (e.bits % 8) != 0 || (bsize & (bsize - 1)) != 0 || (off % 8) != 0;
}

bool printable(const char* s) {
    for (; *s != '\0'; ++s)
        if (*s < ' ' || *s > '~') return false;
    return true;
}

struct HoleInfo {
    unsigned long offset = 0;  // where the next member should start, in bits
    bool is_union = false;
};

// Type names by id for one ::print: a struct repeats few types over many members (struct kvm:
// 640-odd lines, some 60 types), and naming a type is most of the cost of a line.
class TypeNames {
public:
    const char* get(mdb_ctf_id_t id) {
        auto [it, fresh] = names_.try_emplace({id._opaque[0], id._opaque[1]});
        if (fresh) {
            char buf[kNameLen];
            it->second = mdb_ctf_type_name(id, buf, sizeof buf) != nullptr ? buf : "(?)";
        }
        return it->second.c_str();
    }

private:
    struct Hash {
        size_t operator()(const std::pair<void*, void*>& k) const {
            return std::hash<void*>()(k.first) * 31 + std::hash<void*>()(k.second);
        }
    };
    std::unordered_map<std::pair<void*, void*>, std::string, Hash> names_;
};

struct PrintArgs {
    TypeNames* names = nullptr;
    Reader* reader = nullptr;     // where values come from now (the immediate value under -i)
    Reader* real = nullptr;       // the target (pointers are followed there even under -i)
    Reader* immediate = nullptr;  // -i
    uint64_t addr = 0;
    unsigned long armemlim = kDefaultArrayMembers;
    unsigned long arstrlim = kDefaultArrayChars;
    const char* delim = "\n";
    const char* prefix = nullptr;
    const char* suffix = nullptr;
    std::vector<HoleInfo>* holes = nullptr;
    int flags = 0;
    int depth = 0;
    int nest = 0;
    unsigned maxdepth = ~0U;
    unsigned nooutdepth = ~0U;
};

int elt_print(const char* name, mdb_ctf_id_t id, mdb_ctf_id_t base, ulong_t off, int depth, void* data);
void print_close_sou(PrintArgs* pa, int newdepth);

void discard_line() {
    if (Session* s = Session::current()) s->out().discard_pending();
}

void put_text(const char* text) {
    if (Session* s = Session::current()) s->out().puts(text);
}

// ---- values ----

int print_bitfield(unsigned long off, PrintArgs* pa, const Encoding& e) {
    uint64_t addr = pa->addr + off / 8;
    if (!(pa->flags & kShowVal)) return 0;
    if (e.bits > 63) {
        mdb_printf("??? (invalid bitfield size %u)", e.bits);
        return 0;
    }
    unsigned nbits = e.bits + static_cast<unsigned>(off % 8);
    size_t size = (nbits + 7) / 8;
    if (size > sizeof(uint64_t)) {
        mdb_printf("??? (total bitfield too large after alignment");
        return 0;
    }
    uint64_t value = 0;
    if (pa->reader->read(&value, size, addr) != static_cast<ssize_t>(size)) {
        mdb_warn("failed to read %lu bytes at %llx", static_cast<unsigned long>(size),
                 static_cast<unsigned long long>(addr));
        return 1;
    }
    if (off % 8 != 0) value >>= off % 8;
    value &= (1ULL << e.bits) - 1;
    if ((pa->flags & kIntHex) || !(e.format & kIntSigned)) {
        mdb_printf((pa->flags & kIntDec) ? "%#llu" : "%#llx", static_cast<unsigned long long>(value));
    } else {
        int sshift = 64 - static_cast<int>(e.bits);
        auto v = static_cast<int64_t>(value << sshift) >> sshift;
        mdb_printf("%#lld", static_cast<long long>(v));
    }
    return 0;
}

int print_char_val(uint64_t addr, PrintArgs* pa) {
    char c;
    if (pa->reader->read(&c, 1, addr) != 1) return 1;
    std::string esc = escape_bytes(std::string_view(&c, 1));
    mdb_printf("'%s'", esc.c_str());
    return 0;
}

int print_int_val(const char* type, const Encoding& e, unsigned long off, PrintArgs* pa) {
    uint64_t addr = pa->addr + off / 8;
    if (!(pa->flags & kShowVal)) return 0;
    if (e.format & kIntVarargs) {
        mdb_printf("...\n");
        return 0;
    }
    if (is_bitfield(e, off)) return print_bitfield(off, pa, e);
    if (is_char(e)) return print_char_val(addr, pa);
    size_t size = e.bits / 8;
    union {
        uint64_t i8;
        uint32_t i4;
        uint16_t i2;
        uint8_t i1;
        int64_t t;
    } u{};
    if (pa->reader->read(&u.i8, size, addr) != static_cast<ssize_t>(size)) {
        mdb_warn("failed to read %lu bytes at %llx", static_cast<unsigned long>(size),
                 static_cast<unsigned long long>(addr));
        return 1;
    }
    if (!(pa->flags & (kIntHex | kIntDec))) {
        if (std::strcmp(type, "time_t") == 0 && u.t != 0) {
            mdb_printf("%Y", static_cast<time_t>(u.t));
            return 0;
        }
        if (std::strcmp(type, "ipaddr_t") == 0 || std::strcmp(type, "in_addr_t") == 0) {
            mdb_printf("%I", u.i4);
            return 0;
        }
    }
    // Hex by default; -d: signed or unsigned decimal. 1- and 2-byte values go through the int
    // conversions as their unsigned bits, as in mdb.
    const bool dec = (pa->flags & kIntDec) != 0;
    const bool sgn = (e.format & kIntSigned) != 0;
    const char* f32 = !dec ? "%#x" : sgn ? "%#d" : "%#u";
    const char* f64 = !dec ? "%#llx" : sgn ? "%#lld" : "%#llu";
    switch (size) {
    case 1: mdb_printf(f32, static_cast<unsigned>(u.i1)); break;
    case 2: mdb_printf(f32, static_cast<unsigned>(u.i2)); break;
    case 4: mdb_printf(f32, u.i4); break;
    case 8: mdb_printf(f64, static_cast<unsigned long long>(u.i8)); break;
    default: break;
    }
    return 0;
}

int print_int(const char* type, const char*, mdb_ctf_id_t, mdb_ctf_id_t base, unsigned long off, PrintArgs* pa) {
    if (!(pa->flags & kShowVal)) return 0;
    Encoding e;
    if (type_encoding(base, &e) != 0) {
        mdb_printf("??? (%s)", strerror_mdb(errno));
        return 0;
    }
    return print_int_val(type, e, off, pa);
}

int print_float(const char*, const char*, mdb_ctf_id_t, mdb_ctf_id_t base, unsigned long off, PrintArgs* pa) {
    uint64_t addr = pa->addr + off / 8;
    if (!(pa->flags & kShowVal)) return 0;
    Encoding e;
    if (type_encoding(base, &e) != 0) {
        mdb_printf("??? (%s)", strerror_mdb(errno));
        return 0;
    }
    if (e.format == kFpSingle && e.bits == 32) {
        float f;
        if (pa->reader->read(&f, sizeof f, addr) != sizeof f) {
            mdb_warn("failed to read float at %llx", static_cast<unsigned long long>(addr));
            return 1;
        }
        mdb_printf("%s", double_to_str(f, 7, 'e').c_str());
    } else if (e.format == kFpDouble && e.bits == 64) {
        double d;
        if (pa->reader->read(&d, sizeof d, addr) != sizeof d) {
            mdb_warn("failed to read float at %llx", static_cast<unsigned long long>(addr));
            return 1;
        }
        mdb_printf("%s", double_to_str(d, 7, 'e').c_str());
    } else if (e.format == kFpLongDouble && e.bits == 128) {
        long double ld;
        if (pa->reader->read(&ld, sizeof ld, addr) != sizeof ld) {
            mdb_warn("failed to read float at %llx", static_cast<unsigned long long>(addr));
            return 1;
        }
        char buf[64];
        std::snprintf(buf, sizeof buf, "%+.16Le", ld);
        mdb_printf("%s", buf);
    } else {
        mdb_printf("??? (unsupported FP format %u / %u bits\n", e.format, e.bits);
    }
    return 0;
}

int print_ptr(const char* type, const char* name, mdb_ctf_id_t, mdb_ctf_id_t base, unsigned long off, PrintArgs* pa) {
    uint64_t addr = pa->addr + off / 8;
    if (!(pa->flags & kShowVal)) return 0;
    uintptr_t value = 0;
    if (pa->reader->read(&value, sizeof value, addr) != sizeof value) {
        mdb_warn("failed to read %s pointer at %llx", name, static_cast<unsigned long long>(addr));
        return 1;
    }
    if (pa->flags & kNoSymbolic) {
        mdb_printf("%#lx", static_cast<unsigned long>(value));
        return 0;
    }
    mdb_printf("%a", value);
    if (value == 0 || std::strcmp(type, "caddr_t") == 0) return 0;
    mdb_ctf_id_t ref;
    Encoding e;
    if (mdb_ctf_type_kind(base) == CTF_K_POINTER && mdb_ctf_type_reference(base, &ref) != -1 &&
        mdb_ctf_type_resolve(ref, &ref) != -1 && type_encoding(ref, &e) == 0 && is_char(e)) {
        char buf[256];
        ssize_t len = pa->real->readstr(buf, sizeof buf, value);
        if (len >= 0 && printable(buf)) {
            if (len == static_cast<ssize_t>(sizeof buf) && std::strlen(buf) >= sizeof buf - 1)
                std::strcpy(&buf[sizeof buf - 5], " ...");
            mdb_printf(" \"%s\"", buf);
        }
    }
    return 0;
}

int print_array(const char*, const char*, mdb_ctf_id_t, mdb_ctf_id_t base, unsigned long off, PrintArgs* pap) {
    uint64_t addr = pap->addr + off / 8;
    if (!(pap->flags & kShowVal)) return 0;
    if (static_cast<unsigned>(pap->depth) == pap->maxdepth) {
        mdb_printf("[ ... ]");
        return 0;
    }
    mdb_ctf_arinfo_t r;
    mdb_ctf_id_t elem;
    ssize_t eltsize;
    if (mdb_ctf_array_info(base, &r) == -1 || mdb_ctf_type_resolve(r.mta_contents, &elem) == -1 ||
        (eltsize = mdb_ctf_type_size(elem)) == -1) {
        mdb_printf("[ ??? ] (%s)", strerror_mdb(errno));
        return 0;
    }
    Encoding e;
    if ((pap->arstrlim == kNoLimit || r.mta_nelems <= pap->arstrlim) && type_encoding(elem, &e) == 0 &&
        is_char(e)) {
        char peek[8];
        if (pap->reader->readstr(peek, std::min<size_t>(sizeof peek, r.mta_nelems), addr) > 0 && printable(peek)) {
            std::string str(r.mta_nelems + 1, '\0');
            if (pap->reader->read(str.data(), r.mta_nelems, addr) != static_cast<ssize_t>(r.mta_nelems)) {
                mdb_warn("failed to read char array at %llx", static_cast<unsigned long long>(addr));
                return 1;
            }
            if (printable(str.c_str())) {
                mdb_printf("[ \"%s\" ]", str.c_str());
                return 0;
            }
        }
    }
    unsigned long limit = pap->armemlim != kNoLimit ? std::min<unsigned long>(r.mta_nelems, pap->armemlim)
                                                    : r.mta_nelems;
    if (limit == 0) {
        mdb_printf("[ ... ]");
        return 0;
    }
    const bool sou = is_composite(mdb_ctf_type_kind(elem));
    PrintArgs pa = *pap;
    pa.addr = addr;
    pa.maxdepth = pa.maxdepth - static_cast<unsigned>(pa.depth) - 1;
    pa.nest += pa.depth + 1;
    pa.depth = 0;
    pa.prefix = nullptr;
    if (sou) {
        pa.delim = "\n";
        mdb_printf("[\n");
    } else {
        pa.flags &= ~(kShowType | kShowName | kShowAddr);
        pa.delim = ", ";
        mdb_printf("[ ");
    }
    for (unsigned long i = 0; i < limit; ++i, pa.addr += static_cast<uint64_t>(eltsize)) {
        if (i == limit - 1 && !sou) pa.delim = limit < r.mta_nelems ? ", ... ]" : " ]";
        if (mdb_ctf_type_visit(r.mta_contents, elt_print, &pa) == -1) {
            mdb_warn("failed to print array data");
            return 1;
        }
    }
    if (sou) {
        for (int d = pa.depth - 1; d >= 0; --d) print_close_sou(&pa, d);
        int indent = (pap->depth + pap->nest) * kTab;
        mdb_printf(limit < r.mta_nelems ? "%*s... ]" : "%*s]", indent, "");
    }
    return 0;
}

int print_sou(const char*, const char*, mdb_ctf_id_t, mdb_ctf_id_t, unsigned long, PrintArgs* pa) {
    // mdb prints in6_addr and in_addr as addresses; the simulated kernel has neither type.
    mdb_printf(static_cast<unsigned>(pa->depth) == pa->maxdepth ? "{ ... }" : "{");
    pa->delim = "\n";
    return 0;
}

// The constants of a "bit enum" (non-zero values all powers of two) and how a value decomposes.
struct EnumConstant {
    std::string name;
    int value;
};

std::vector<EnumConstant> enum_constants(mdb_ctf_id_t id) {
    std::vector<EnumConstant> out;
    mdb_ctf_enum_iter(
        id,
        [](const char* name, int value, void* arg) {
            static_cast<std::vector<EnumConstant>*>(arg)->push_back({name, value});
            return 0;
        },
        &out);
    return out;
}

}  // namespace

bool enum_is_bits(mdb_ctf_id_t id) {
    if (mdb_ctf_type_kind(id) != CTF_K_ENUM) return false;
    uint64_t bits = 0;
    for (const EnumConstant& c : enum_constants(id)) {
        auto bit = static_cast<uint64_t>(static_cast<int64_t>(c.value));
        if (bit != 0 && (bit & (bit - 1)) != 0) return false;
        bits |= bit;
    }
    return bits != 0;
}

std::string enum_common_prefix(mdb_ctf_id_t id) {
    std::string prefix;
    bool first = true;
    for (const EnumConstant& c : enum_constants(id)) {
        if (first) {
            prefix = c.name;
            first = false;
            continue;
        }
        size_t n = 0;
        while (n < prefix.size() && n < c.name.size() && prefix[n] == c.name[n]) ++n;
        // A name equal to the prefix keeps its last character: a prefix never eats a whole name.
        if (n == prefix.size() && n == c.name.size() && n > 0) --n;
        prefix.resize(n);
        if (prefix.empty()) break;
    }
    return prefix;
}

int enum_print_bits(mdb_ctf_id_t id, int64_t value, bool allprefix) {
    if (!enum_is_bits(id)) return -1;
    std::string prefix = enum_common_prefix(id);
    uint64_t seen = 0;
    bool seen_zero = false, found = false, first = false;
    std::string buf;
    for (const EnumConstant& c : enum_constants(id)) {
        auto bit = static_cast<uint64_t>(static_cast<int64_t>(c.value));
        if ((bit == 0 && seen_zero) || (bit != 0 && (seen & bit) != 0)) continue;
        if (bit == 0) seen_zero = true;
        else seen |= bit;
        if ((static_cast<uint64_t>(value) & bit) == 0) continue;
        std::string_view name = c.name;
        if (found) {
            buf += "|";
            if (first && !allprefix && !prefix.empty()) {
                // The first name is printed in full up to the prefix, then `{`, then the rest.
                mdb_printf("%s", (buf.substr(0, prefix.size()) + "{").c_str());
                mdb_printf("%s", buf.substr(prefix.size()).c_str());
            } else {
                mdb_printf("%s", buf.c_str());
            }
        }
        if ((found || allprefix) && name.size() > prefix.size()) name.remove_prefix(prefix.size());
        buf = std::string(name);
        first = !found;
        found = true;
    }
    const uint64_t missed = static_cast<uint64_t>(value) & ~seen;
    if (found) {
        if (!first) buf += "}";
        if (missed != 0) buf += "|";
        mdb_printf("%s", buf.c_str());
    }
    if (!found || missed != 0) mdb_printf("%#llx", static_cast<unsigned long long>(missed));
    return 0;
}

namespace {

int print_enum(const char*, const char* name, mdb_ctf_id_t, mdb_ctf_id_t base, unsigned long off, PrintArgs* pa) {
    uint64_t addr = pa->addr + off / 8;
    const bool bits = enum_is_bits(base);
    const int flags = pa->flags | (bits ? kIntHex : 0);
    if (!(flags & kShowVal)) return 0;
    int value = 0;
    if (pa->reader->read(&value, sizeof value, addr) != sizeof value) {
        mdb_warn("failed to read %s integer at %llx", name, static_cast<unsigned long long>(addr));
        return 1;
    }
    mdb_printf((flags & kIntHex) ? "%#x" : "%#d", value);
    mdb_inc_indent(8);
    mdb_printf(" (");
    if (!bits || enum_print_bits(base, value, false) != 0) {
        const char* ename = mdb_ctf_enum_name(base, value);
        mdb_printf("%s", ename ? ename : "???");
    }
    mdb_printf(")");
    mdb_dec_indent(8);
    return 0;
}

int print_tag(const char*, const char*, mdb_ctf_id_t, mdb_ctf_id_t base, unsigned long, PrintArgs* pa) {
    char basename[kNameLen];
    if (pa->flags & kShowVal) mdb_printf("; ");
    if (mdb_ctf_type_name(base, basename, sizeof basename) != nullptr)
        mdb_printf("<forward declaration of %s>", basename);
    else
        mdb_printf("<forward declaration of unknown type>");
    return 0;
}

void print_hole(PrintArgs* pa, int depth, unsigned long off, unsigned long endoff) {
    unsigned long bits = endoff - off;
    if (bits > 64) {
        // Split at 8-byte boundaries; a C struct needs at most two pieces.
        for (unsigned long end; off < endoff; off = end) {
            end = (off / 64 + 1) * 64;
            if (end > endoff) end = endoff;
            print_hole(pa, depth, off, end);
        }
        return;
    }
    unsigned long size = bits / 8;
    const bool bitfield = off % 8 != 0 || bits % 8 != 0 || size > 8 || (size & (size - 1)) != 0;
    std::string type = "unsigned";
    if (!bitfield) {
        type.assign("uint");
        type += std::to_string(bits);
        type += "_t";
    }
    if (pa->flags & (kShowType | kShowName | kShowAddr)) mdb_printf("%*s", (depth + pa->nest) * kTab, "");
    if (pa->flags & kShowAddr) {
        if (off % 8 == 0)
            mdb_printf("%llx ", static_cast<unsigned long long>(pa->addr + off / 8));
        else
            mdb_printf("%llx.%lx ", static_cast<unsigned long long>(pa->addr + off / 8), off % 8);
    }
    if (pa->flags & kShowType) mdb_printf("%s ", type.c_str());
    if (pa->flags & kShowName) mdb_printf("%s", "<<HOLE>>");
    if (bitfield && (pa->flags & kShowType)) mdb_printf(" :%d", static_cast<int>(bits));
    mdb_printf("%s ", (pa->flags & kShowVal) ? " =" : "");
    Encoding e;
    e.bits = static_cast<uint32_t>(bits);
    if (print_int_val(type.c_str(), e, off, pa) != 0)
        discard_line();
    else
        put_text(pa->delim);
}

void print_close_sou(PrintArgs* pa, int newdepth) {
    int d = newdepth + pa->nest;
    if ((pa->flags & kShowHoles) && !(*pa->holes)[static_cast<size_t>(d)].is_union) {
        unsigned long end = (*pa->holes)[static_cast<size_t>(d) + 1].offset;
        unsigned long expected = (*pa->holes)[static_cast<size_t>(d)].offset;
        if (end < expected) print_hole(pa, newdepth + 1, end, expected);
    }
    mdb_printf("%*s}%s\n", d * kTab, "", (newdepth == 0 && pa->nest > 0) ? "," : "");
}

using PrintFn = int (*)(const char*, const char*, mdb_ctf_id_t, mdb_ctf_id_t, unsigned long, PrintArgs*);
const PrintFn kPrintFns[] = {print_int, print_float, print_ptr,  print_array, print_ptr,
                             print_sou, print_sou,   print_enum, print_tag};

int elt_print(const char* name, mdb_ctf_id_t id, mdb_ctf_id_t base, ulong_t off, int depth, void* data) {
    auto* pa = static_cast<PrintArgs*>(data);
    for (int d = pa->depth - 1; d >= depth; --d)
        if (static_cast<unsigned>(d) < pa->nooutdepth) print_close_sou(pa, d);
    if (static_cast<unsigned>(depth) <= pa->nooutdepth) pa->nooutdepth = ~0U;
    if (static_cast<unsigned>(depth) > pa->maxdepth || static_cast<unsigned>(depth) > pa->nooutdepth) return 0;

    int kind;
    if (!mdb_ctf_type_valid(base) || (kind = mdb_ctf_type_kind(base)) == -1) return -1;

    char type[kNameLen + 32];
    std::snprintf(type, kNameLen, "%s", pa->names->get(id));
    if (pa->flags & kShowBaseType) {
        char basetype[kNameLen];
        if (mdb_ctf_type_name(base, basetype, sizeof basetype) != nullptr && std::strcmp(basetype, type) != 0 &&
            std::strcmp(basetype, "struct ") != 0 && std::strcmp(basetype, "enum ") != 0 &&
            std::strcmp(basetype, "union ") != 0) {
            std::string joined = std::string(type) + " <<" + basetype + ">>";
            if (joined.size() >= sizeof type) joined = joined.substr(0, sizeof type - 6) + "...>>";
            std::snprintf(type, sizeof type, "%s", joined.c_str());
        }
    }

    if (pa->flags & kShowHoles) {
        const int extra = is_composite(kind) ? 1 : 0;
        size_t need = static_cast<size_t>(pa->nest + depth + extra) + 1;
        if (pa->holes->size() < need) pa->holes->resize(std::max<size_t>({8, pa->holes->size() * 2, need}));
        HoleInfo* hole = &(*pa->holes)[static_cast<size_t>(depth + pa->nest)];
        if (depth != 0 && off > hole->offset) print_hole(pa, depth, hole->offset, off);
        Encoding e;
        ssize_t nsize;
        unsigned long newoff;
        if (kind == CTF_K_INTEGER && type_encoding(base, &e) == 0)
            newoff = off + e.bits;
        else if ((nsize = mdb_ctf_type_size(base)) >= 0)
            newoff = off + static_cast<unsigned long>(nsize) * 8;
        else
            newoff = ~0UL;  // something is wrong with the type: no more hole checks here
        hole->offset = newoff;
        if (is_composite(kind)) {
            hole->is_union = kind == CTF_K_UNION;
            ++hole;
            hole->offset = off;
        }
    }

    if (pa->flags & (kShowType | kShowName | kShowAddr)) mdb_printf("%*s", (depth + pa->nest) * kTab, "");
    if (pa->flags & kShowAddr) {
        if (off % 8 == 0)
            mdb_printf("%llx ", static_cast<unsigned long long>(pa->addr + off / 8));
        else
            mdb_printf("%llx.%lx ", static_cast<unsigned long long>(pa->addr + off / 8), off % 8);
    }
    if (pa->flags & kShowType) {
        mdb_printf("%s", type);
        // No blank between a pointer type and the member name: `struct kvm *next`.
        size_t len = std::strlen(type);
        if ((len > 0 && type[len - 1] != '*') ||
            (depth == 0 && (!(pa->flags & kShowName) || pa->prefix == nullptr)))
            mdb_printf(" ");
    }
    // Unnamed member structs and unions are labelled as newer illumos labels them.
    if (depth > 0 && (name == nullptr || *name == '\0')) name = "<anon>";
    if (name == nullptr) name = "";
    if (pa->flags & kShowName) {
        if (pa->prefix != nullptr && depth <= 1) mdb_printf("%s%s", pa->prefix, depth == 0 ? "" : pa->suffix);
        mdb_printf("%s", name);
    }
    if ((pa->flags & kShowType) && kind == CTF_K_INTEGER) {
        Encoding e;
        if (type_encoding(base, &e) == 0) {
            unsigned long bits = e.bits;
            unsigned long size = bits / 8;
            if (bits % 8 != 0 || off % 8 != 0 || size > 8 ||
                static_cast<ssize_t>(size) != mdb_ctf_type_size(base))
                mdb_printf(" :%d", static_cast<int>(bits));
        }
    }
    if (depth != 0 || ((pa->flags & kShowName) && pa->prefix != nullptr))
        mdb_printf("%s ", (pa->flags & kShowVal) ? " =" : "");
    if (depth == 0 && pa->prefix != nullptr) name = pa->prefix;

    pa->depth = depth;
    if (kind <= CTF_K_UNKNOWN || kind >= CTF_K_TYPEDEF) {
        mdb_warn("unknown ctf for %s type %s kind %d\n", name, type, kind);
        return -1;
    }
    int rc = kPrintFns[kind - 1](type, name, id, base, off, pa);
    if (rc != 0)
        discard_line();
    else
        put_text(pa->delim);
    return rc;
}

// With stdout feeding another dcmd: one number per member (docs/print-format.md §7.3).
int pipe_print(mdb_ctf_id_t id, unsigned long off, PrintArgs* pa) {
    uint64_t addr = pa->addr + off / 8;
    mdb_ctf_id_t base;
    if (mdb_ctf_type_resolve(id, &base) == -1) {
        mdb_warn("could not resolve type");
        return -1;
    }
    if (pa->flags & kShowAddr) {
        mdb_printf("%#lr\n", static_cast<unsigned long>(addr));
        return 0;
    }
    switch (mdb_ctf_type_kind(base)) {
    case CTF_K_POINTER: {
        uintptr_t value;
        if (pa->reader->read(&value, sizeof value, addr) != sizeof value) {
            mdb_warn("failed to read pointer at %p", static_cast<uintptr_t>(addr));
            return -1;
        }
        mdb_printf("%#lr\n", static_cast<unsigned long>(value));
        break;
    }
    case CTF_K_ENUM: {
        int value;
        if (pa->reader->read(&value, sizeof value, addr) != sizeof value) {
            mdb_warn("failed to read enum at %llx", static_cast<unsigned long long>(addr));
            return -1;
        }
        mdb_printf("%#r\n", value);
        break;
    }
    case CTF_K_INTEGER: {
        Encoding e;
        if (type_encoding(base, &e) != 0) {
            mdb_warn("could not get type encoding\n");
            return -1;
        }
        if (is_bitfield(e, off)) return print_bitfield(off, pa, e);
        size_t size = e.bits / 8;
        union {
            uint64_t i8;
            uint32_t i4;
            uint16_t i2;
            uint8_t i1;
        } u{};
        if (pa->reader->read(&u.i8, size, addr) != static_cast<ssize_t>(size)) {
            mdb_warn("failed to read %lu bytes at %p", static_cast<unsigned long>(size),
                     static_cast<uintptr_t>(pa->addr));
            return -1;
        }
        switch (size) {
        case 1: mdb_printf("%#r", static_cast<unsigned>(u.i1)); break;
        case 2: mdb_printf("%#r", static_cast<unsigned>(u.i2)); break;
        case 4: mdb_printf("%#r", u.i4); break;
        case 8: mdb_printf("%#llr", static_cast<unsigned long long>(u.i8)); break;
        default: break;
        }
        mdb_printf("\n");
        break;
    }
    default:
        mdb_printf("%#lr\n", static_cast<unsigned long>(addr));
        break;
    }
    return 0;
}

// Follows the pointer at pa->addr (8 bytes, or 4 for a 32-bit pointer type).
int deref(PrintArgs* pa, ssize_t size) {
    if (size == 8) {
        uint64_t v;
        if (pa->real->read(&v, 8, pa->addr) != 8) {
            mdb_warn("could not dereference pointer %llx\n", static_cast<unsigned long long>(pa->addr));
            return -1;
        }
        pa->addr = v;
    } else {
        uint32_t v;
        if (pa->real->read(&v, 4, pa->addr) != 4) {
            mdb_warn("could not dereference pointer %x\n", static_cast<unsigned>(pa->addr));
            return -1;
        }
        pa->addr = v;
    }
    // Past a pointer the object is in the target, not in the immediate value.
    pa->reader = pa->real;
    return 0;
}

}  // namespace

int parse_member(MemberWalk& walk, const char* path, mdb_ctf_id_t id, mdb_ctf_id_t* idp, unsigned long* offp,
                 bool* last_deref) {
    auto* pa = static_cast<PrintArgs*>(walk.print_args);
    char buf[128];
    auto tname = [&buf](mdb_ctf_id_t t) {
        const char* n = mdb_ctf_type_name(t, buf, sizeof buf);
        return n ? n : "(null)";
    };
    mdb_ctf_id_t rid;
    if (mdb_ctf_type_resolve(id, &rid) != 0) {
        mdb_warn("failed to resolve type");
        return -1;
    }
    unsigned long off = 0;
    bool non_array = false;
    *last_deref = false;
    MemberPathCursor cursor(path);
    for (PathStep step = cursor.next(); step.kind != PathStep::Kind::done; step = cursor.next()) {
        PathStep::Kind kind = step.kind;
        if (kind == PathStep::Kind::implicit)
            kind = mdb_ctf_type_kind(rid) == CTF_K_POINTER ? PathStep::Kind::arrow : PathStep::Kind::member;
        switch (kind) {
        case PathStep::Kind::error: mdb_warn("%s\n", step.text.c_str()); return -1;
        case PathStep::Kind::arrow:
            if (mdb_ctf_type_kind(rid) != CTF_K_POINTER) {
                mdb_warn("%s is not a pointer type\n", tname(id));
                return -1;
            }
            if (deref(pa, mdb_ctf_type_size(id)) != 0) return -1;
            mdb_ctf_type_reference(rid, &id);
            mdb_ctf_type_resolve(id, &rid);
            off = 0;
            break;
        case PathStep::Kind::member: {
            int k = mdb_ctf_type_kind(rid);
            if (k != CTF_K_STRUCT && k != CTF_K_UNION) {
                mdb_warn("%s is not a struct or union type\n", tname(id));
                return -1;
            }
            break;
        }
        case PathStep::Kind::index: {
            auto index = static_cast<unsigned>(mdb_strtoull(step.text.c_str()));
            switch (mdb_ctf_type_kind(rid)) {
            case CTF_K_POINTER: {
                if (deref(pa, mdb_ctf_type_size(rid)) != 0) return -1;
                mdb_ctf_type_reference(rid, &id);
                mdb_ctf_type_resolve(id, &rid);
                ssize_t size = mdb_ctf_type_size(id);
                if (size <= 0) {
                    mdb_warn("cannot dereference void type\n");
                    return -1;
                }
                pa->addr += static_cast<uint64_t>(index) * static_cast<uint64_t>(size);
                off = 0;
                if (index == 0 && non_array) *last_deref = true;
                break;
            }
            case CTF_K_ARRAY: {
                mdb_ctf_arinfo_t ar;
                mdb_ctf_array_info(rid, &ar);
                if (index >= ar.mta_nelems)
                    mdb_warn("index %r is outside of array bounds [0 .. %r]\n", index, ar.mta_nelems - 1);
                id = ar.mta_contents;
                mdb_ctf_type_resolve(id, &rid);
                ssize_t size = mdb_ctf_type_size(id);
                if (size <= 0) {
                    mdb_warn("cannot dereference void type\n");
                    return -1;
                }
                pa->addr += static_cast<uint64_t>(index) * static_cast<uint64_t>(size);
                off = 0;
                break;
            }
            default: mdb_warn("cannot index into non-array, non-pointer type\n"); return -1;
            }
            continue;
        }
        default: break;
        }
        *last_deref = false;
        non_array = true;
        mdb_ctf_id_t mid;
        if (mdb_ctf_member_info(rid, step.text.c_str(), &off, &mid) != 0) {
            mdb_warn("failed to find member %s of %s", step.text.c_str(), tname(id));
            return -1;
        }
        id = mid;
        mdb_ctf_type_resolve(id, &rid);
        pa->addr += off / 8;
    }
    *idp = id;
    *offp = off;
    return 0;
}

int resolve_member_path(const char* path, mdb_ctf_id_t type, uintptr_t addr, uintptr_t* maddr, mdb_ctf_id_t* mid,
                        unsigned long* moff) {
    VirtualReader virt;
    PrintArgs pa;
    pa.real = pa.reader = &virt;
    pa.addr = addr;
    MemberWalk walk{&pa};
    bool ignored = false;
    if (parse_member(walk, path, type, mid, moff, &ignored) != 0) return -1;
    *maddr = static_cast<uintptr_t>(pa.addr);
    return 0;
}

ssize_t Reader::readstr(char* buf, size_t n, uint64_t addr) {
    if (n == 0) return 0;
    ssize_t got = read(buf, n, addr);
    size_t len = 0;
    if (got >= 0) {
        len = static_cast<size_t>(got);
        if (const void* nul = std::memchr(buf, '\0', len)) len = static_cast<size_t>(static_cast<const char*>(nul) - buf);
    } else {
        // The whole range is not readable: byte by byte up to the first fault or NUL.
        for (; len < n; ++len) {
            if (read(buf + len, 1, addr + len) != 1) {
                if (len == 0) return -1;
                break;
            }
            if (buf[len] == '\0') return static_cast<ssize_t>(len);
        }
    }
    buf[std::min(len, n - 1)] = '\0';
    return static_cast<ssize_t>(len);
}

ssize_t ImmediateReader::read(void* buf, size_t n, uint64_t addr) {
    if (typesize_ == 0)
        addr = 0;
    else
        n = std::min(n, typesize_);
    if (addr > sizeof value_) return 0;
    if (addr + n > sizeof value_) n = sizeof value_ - static_cast<size_t>(addr);
    if (n != 0) std::memcpy(buf, reinterpret_cast<const char*>(&value_) + addr, n);
    return static_cast<ssize_t>(n);
}

namespace {

// mdb_ctf_offset_to_name: the member holding a byte offset, as `a.b[2].c`; unions are atomic.
int offset_to_name(mdb_ctf_id_t id, unsigned long off, std::string& out, mdb_ctf_id_t* midp, unsigned long* moffp) {
    if (!mdb_ctf_type_valid(id)) return -1;
    if (static_cast<unsigned long>(mdb_ctf_type_size(id)) * 8 <= off) return -1;
    bool dot = false;
    while (off != 0) {
        mdb_ctf_type_resolve(id, &id);
        int kind = mdb_ctf_type_kind(id);
        if (kind == CTF_K_ARRAY) {
            mdb_ctf_arinfo_t ar;
            mdb_ctf_array_info(id, &ar);
            unsigned long size = static_cast<unsigned long>(mdb_ctf_type_size(ar.mta_contents)) * 8;
            if (size == 0) return -1;
            out.push_back('[');
            out += std::to_string(off / size);
            out.push_back(']');
            id = ar.mta_contents;
            off %= size;
        } else if (kind == CTF_K_STRUCT) {
            if (dot) out += ".";
            struct Find {
                unsigned long off;
                std::string name;
                mdb_ctf_id_t id;
                unsigned long moff;
                bool found = false;
            } f{off, {}, id, 0};
            mdb_ctf_member_iter(
                id,
                [](const char* name, mdb_ctf_id_t mid, ulong_t moff, void* arg) {
                    auto* f = static_cast<Find*>(arg);
                    if (f->off < moff) return 0;
                    Encoding e;
                    unsigned long size = type_encoding(mid, &e) == 0
                                             ? e.bits
                                             : static_cast<unsigned long>(mdb_ctf_type_size(mid)) * 8;
                    if (moff + size <= f->off) return 0;
                    f->name = name;
                    f->id = mid;
                    f->moff = moff;
                    f->found = true;
                    return 1;
                },
                &f);
            if (!f.found) return -1;
            out += f.name;
            off -= f.moff;
            id = f.id;
        } else if (kind == CTF_K_UNION || kind == CTF_K_INTEGER || kind == CTF_K_FLOAT || kind == CTF_K_POINTER ||
                   kind == CTF_K_ENUM) {
            break;
        } else {
            return -1;
        }
        dot = true;
    }
    *midp = id;
    *moffp = off;
    return 0;
}

const char* lookup_symbol_name(uintptr_t addr, char* buf, size_t len) {
    GElf_Sym sym;
    if (mdb_lookup_by_addr(addr, MDB_SYM_EXACT, buf, len, &sym) != 0) return nullptr;
    return buf;
}

}  // namespace

int cmd_print(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    uintptr_t opt_c = kNoLimit, opt_l = kNoLimit, opt_s = ~0UL;
    uint_t opt_C = 0, opt_L = 0, opt_p = 0, opt_i = 0;
    uint_t uflags = (flags & DCMD_ADDRSPEC) ? kShowVal : 0;
    int i = mdb_getopts(argc, argv, 'a', MDB_OPT_SETBITS, kShowAddr, &uflags, 'C', MDB_OPT_SETBITS, 1u, &opt_C,
                        'c', MDB_OPT_UINTPTR, &opt_c, 'd', MDB_OPT_SETBITS, kIntDec, &uflags, 'h', MDB_OPT_SETBITS,
                        kShowHoles, &uflags, 'i', MDB_OPT_SETBITS, 1u, &opt_i, 'L', MDB_OPT_SETBITS, 1u, &opt_L,
                        'l', MDB_OPT_UINTPTR, &opt_l, 'n', MDB_OPT_SETBITS, kNoSymbolic, &uflags, 'p',
                        MDB_OPT_SETBITS, 1u, &opt_p, 's', MDB_OPT_UINTPTR, &opt_s, 'T', MDB_OPT_SETBITS,
                        kShowType | kShowBaseType, &uflags, 't', MDB_OPT_SETBITS, kShowType, &uflags, 'x',
                        MDB_OPT_SETBITS, kIntHex, &uflags, nullptr);
    if (uflags & kIntHex) uflags &= ~static_cast<uint_t>(kIntDec);
    uflags |= kShowName;
    if (opt_p && opt_i) {
        mdb_warn("-p and -i options are incompatible\n");
        return DCMD_ERR;
    }
    argc -= i;
    argv += i;

    mdb_ctf_id_t id;
    char s_name[kNameLen];
    std::string t_name;
    if (argc != 0 && argv->a_type == MDB_TYPE_STRING) {
        if (std::strchr("+-", argv->a_un.a_str[0]) != nullptr && argv->a_un.a_str[0] != '\0') return DCMD_USAGE;
        if (int ret = args_to_typename(&argc, &argv, t_name); ret != 0) return ret;
        if (mdb_ctf_lookup_by_name(t_name.c_str(), &id) != 0) {
            int saved = errno;
            if (!(flags & DCMD_ADDRSPEC) || opt_i || lookup_symbol_name(addr, s_name, sizeof s_name) == nullptr ||
                mdb_ctf_lookup_by_addr(addr, &id) != 0) {
                errno = saved;
                mdb_warn("failed to look up type %s", t_name.c_str());
                return DCMD_ABORT;
            }
            // The word was a member path of the symbol's type: it stays in argv.
        } else {
            --argc;
            ++argv;
        }
    } else if (!(flags & DCMD_ADDRSPEC) || opt_i) {
        return DCMD_USAGE;
    } else if (lookup_symbol_name(addr, s_name, sizeof s_name) == nullptr) {
        mdb_warn("no symbol information for %a", addr);
        return DCMD_ERR;
    } else if (mdb_ctf_lookup_by_addr(addr, &id) != 0) {
        mdb_warn("no type data available for %a [%u]", addr, 0u);
        return DCMD_ERR;
    }

    VirtualReader virt;
    PhysicalReader phys;
    std::vector<HoleInfo> holes;
    TypeNames names;
    PrintArgs pa;
    pa.names = &names;
    pa.real = opt_p ? static_cast<Reader*>(&phys) : static_cast<Reader*>(&virt);
    pa.reader = pa.real;
    pa.flags = static_cast<int>(uflags);
    pa.holes = &holes;
    pa.maxdepth = static_cast<unsigned>(opt_s);
    pa.addr = ((flags & DCMD_ADDRSPEC) && !opt_i) ? (opt_p ? mdb_get_dot() : addr) : 0;
    std::unique_ptr<ImmediateReader> imm;
    if (opt_i) {
        imm = std::make_unique<ImmediateReader>(mdb_get_dot(), static_cast<size_t>(mdb_ctf_type_size(id)));
        pa.immediate = imm.get();
        pa.reader = imm.get();
    }
    if (opt_c != kNoLimit) pa.arstrlim = opt_c;
    if (opt_C) pa.arstrlim = kNoLimit;
    if (opt_l != kNoLimit) pa.armemlim = opt_l;
    if (opt_L) pa.armemlim = kNoLimit;

    MemberWalk walk{&pa};
    if (argc > 0) {
        for (int k = 0; k < argc; ++k) {
            Reader* old_reader = pa.reader;
            uint64_t old_addr = pa.addr;
            mdb_ctf_id_t mid;
            unsigned long off;
            std::string label;
            if (argv[k].a_type == MDB_TYPE_STRING) {
                const char* member = argv[k].a_un.a_str;
                bool last_deref = false;
                if (parse_member(walk, member, id, &mid, &off, &last_deref) != 0) return DCMD_ABORT;
                mdb_ctf_id_t rid;
                mdb_ctf_type_resolve(mid, &rid);
                int kind = mdb_ctf_type_kind(rid);
                label = member;
                if (last_deref && is_sou(kind)) {
                    label.erase(label.rfind('['));
                    pa.suffix = "->";
                } else {
                    pa.suffix = is_sou(kind) ? "." : "";
                }
            } else {
                auto moff = static_cast<unsigned long>(argv[k].a_un.a_val);
                if (offset_to_name(id, moff * 8, label, &mid, &off) == -1) {
                    mdb_warn("invalid offset %lx\n", moff);
                    return DCMD_ABORT;
                }
                pa.addr += moff - off / 8;
                pa.suffix = label.empty() ? "" : ".";
            }
            pa.prefix = label.c_str();
            off %= 8;
            if (flags & DCMD_PIPE_OUT) {
                if (pipe_print(mid, off, &pa) != 0) {
                    mdb_warn("failed to print type");
                    return DCMD_ERR;
                }
            } else if (off != 0) {
                mdb_ctf_id_t base;
                mdb_ctf_type_resolve(mid, &base);
                if (elt_print("", mid, base, off, 0, &pa) != 0) {
                    mdb_warn("failed to print type");
                    return DCMD_ERR;
                }
            } else {
                if (mdb_ctf_type_visit(mid, elt_print, &pa) == -1) {
                    mdb_warn("failed to print type");
                    return DCMD_ERR;
                }
                for (int d = pa.depth - 1; d >= 0; --d) print_close_sou(&pa, d);
            }
            pa.prefix = nullptr;
            pa.depth = 0;
            pa.reader = old_reader;
            pa.addr = old_addr;
            pa.delim = "\n";
        }
    } else if (flags & DCMD_PIPE_OUT) {
        if (pipe_print(id, 0, &pa) != 0) {
            mdb_warn("failed to print type");
            return DCMD_ERR;
        }
    } else {
        if (mdb_ctf_type_visit(id, elt_print, &pa) == -1) {
            mdb_warn("failed to print type");
            return DCMD_ERR;
        }
        for (int d = pa.depth - 1; d >= 0; --d) print_close_sou(&pa, d);
    }
    mdb_set_dot(addr + static_cast<uintptr_t>(mdb_ctf_type_size(id)));
    return DCMD_OK;
}

}  // namespace mdbsim::host::print
