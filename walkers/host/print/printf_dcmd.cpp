// ::printf format type member ... (docs/print-format.md §8): a subset of mdb_printf applied to
// members found through the same member paths as ::print.
#include <mdb/mdb_ctf.h>
#include <sys/mdb_modapi.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "ctf_bridge.hpp"
#include "print_internal.hpp"
#include "type_syntax.hpp"

namespace mdbsim::host::print {

namespace {

enum class Conv { ptr, sint, uint, uint32, ipv6, string };

int printf_signed(mdb_ctf_id_t id, uintptr_t addr, unsigned long off, const std::string& fmt, bool sign) {
    mdb_ctf_id_t base;
    if (mdb_ctf_type_resolve(id, &base) == -1) {
        mdb_warn("could not resolve type");
        return DCMD_ABORT;
    }
    if (mdb_ctf_type_kind(base) != CTF_K_INTEGER) {
        mdb_warn("expected integer type\n");
        return DCMD_ABORT;
    }
    Encoding e;
    if (type_encoding(base, &e) != 0) {
        mdb_warn("could not get type encoding");
        return DCMD_ABORT;
    }
    if (sign) sign = (e.format & kIntSigned) != 0;
    size_t size = e.bits / 8;
    if (size > 8 || (e.bits % 8) != 0 || (size & (size - 1)) != 0) {
        size = (e.bits + 7) / 8;
        if (e.bits > 63) {
            mdb_printf("invalid bitfield size %u", e.bits);
            return DCMD_ABORT;
        }
        uint64_t value = 0;
        if (mdb_vread(&value, size, addr) == -1) {
            mdb_warn("failed to read %lu bytes at %p", static_cast<unsigned long>(size), addr);
            return DCMD_ERR;
        }
        if (off % 8 != 0) value >>= off % 8;
        value &= (1ULL << e.bits) - 1;
        if (sign) {
            int sshift = 64 - static_cast<int>(e.bits);
            value = static_cast<uint64_t>(static_cast<int64_t>(value << sshift) >> sshift);
        }
        mdb_printf(fmt.c_str(), static_cast<unsigned long long>(value));
        return 0;
    }
    union {
        uint64_t u8;
        uint32_t u4;
        uint16_t u2;
        uint8_t u1;
        int64_t i8;
        int32_t i4;
        int16_t i2;
        int8_t i1;
    } u{};
    if (mdb_vread(&u.u8, size, addr) == -1) {
        mdb_warn("failed to read %lu bytes at %p", static_cast<unsigned long>(size), addr);
        return DCMD_ERR;
    }
    uint64_t v = 0;
    switch (size) {
    case 1: v = sign ? static_cast<uint64_t>(u.i1) : u.u1; break;
    case 2: v = sign ? static_cast<uint64_t>(u.i2) : u.u2; break;
    case 4: v = sign ? static_cast<uint64_t>(u.i4) : u.u4; break;
    case 8: v = u.u8; break;
    default: break;
    }
    mdb_printf(fmt.c_str(), static_cast<unsigned long long>(v));
    return 0;
}

int printf_uint32(mdb_ctf_id_t id, uintptr_t addr, const std::string& fmt) {
    mdb_ctf_id_t base;
    if (mdb_ctf_type_resolve(id, &base) == -1) {
        mdb_warn("could not resolve type\n");
        return DCMD_ABORT;
    }
    Encoding e;
    if (mdb_ctf_type_kind(base) != CTF_K_INTEGER || type_encoding(base, &e) != 0 || e.bits / 8 != 4) {
        mdb_warn("expected 32-bit integer type\n");
        return DCMD_ABORT;
    }
    uint32_t value;
    if (mdb_vread(&value, sizeof value, addr) == -1) {
        mdb_warn("failed to read 32-bit value at %p", addr);
        return DCMD_ERR;
    }
    mdb_printf(fmt.c_str(), value);
    return 0;
}

int printf_ptr(mdb_ctf_id_t id, uintptr_t addr, const std::string& fmt) {
    mdb_ctf_id_t base;
    if (mdb_ctf_type_resolve(id, &base) == -1) {
        mdb_warn("could not resolve type\n");
        return DCMD_ABORT;
    }
    if (mdb_ctf_type_kind(base) != CTF_K_POINTER) {
        mdb_warn("expected pointer type\n");
        return DCMD_ABORT;
    }
    uintptr_t value;
    if (mdb_vread(&value, sizeof value, addr) == -1) {
        mdb_warn("failed to read pointer at %llx", static_cast<unsigned long long>(addr));
        return DCMD_ERR;
    }
    mdb_printf(fmt.c_str(), value);
    return 0;
}

int printf_string(mdb_ctf_id_t id, uintptr_t addr, const std::string& fmt) {
    mdb_ctf_id_t base;
    char buf[1024];
    if (mdb_ctf_type_resolve(id, &base) == -1) {
        mdb_warn("could not resolve type");
        return DCMD_ABORT;
    }
    if (mdb_ctf_type_kind(base) == CTF_K_POINTER) {
        uintptr_t value;
        if (mdb_vread(&value, sizeof value, addr) == -1) {
            mdb_warn("failed to read pointer at %llx", static_cast<unsigned long long>(addr));
            return DCMD_ERR;
        }
        if (mdb_readstr(buf, sizeof buf - 1, value) < 0) {
            mdb_warn("failed to read string at %llx", static_cast<unsigned long long>(value));
            return DCMD_ERR;
        }
        mdb_printf(fmt.c_str(), buf);
        return 0;
    }
    if (mdb_ctf_type_kind(base) != CTF_K_ARRAY) {
        mdb_warn("exepected pointer or array type\n");
        return DCMD_ABORT;
    }
    mdb_ctf_arinfo_t r;
    ssize_t size;
    if (mdb_ctf_array_info(base, &r) == -1 || mdb_ctf_type_resolve(r.mta_contents, &base) == -1 ||
        (size = mdb_ctf_type_size(base)) == -1) {
        mdb_warn("can't determine array type");
        return DCMD_ABORT;
    }
    if (size != 1) {
        mdb_warn("string format specifier requires an array of characters\n");
        return DCMD_ABORT;
    }
    std::memset(buf, 0, sizeof buf);
    if (mdb_vread(buf, std::min<size_t>(r.mta_nelems, sizeof buf - 1), addr) == -1) {
        mdb_warn("failed to read array at %p", addr);
        return DCMD_ERR;
    }
    mdb_printf(fmt.c_str(), buf);
    return 0;
}

int printf_ipv6(mdb_ctf_id_t id, uintptr_t addr, const std::string& fmt) {
    mdb_ctf_id_t v6, v6base, base;
    if (mdb_ctf_lookup_by_name("in6_addr_t", &v6) == -1) {
        mdb_warn("could not resolve in6_addr_t type\n");
        return DCMD_ABORT;
    }
    if (mdb_ctf_type_resolve(id, &base) == -1) {
        mdb_warn("could not resolve type\n");
        return DCMD_ABORT;
    }
    if (mdb_ctf_type_resolve(v6, &v6base) == -1) {
        mdb_warn("could not resolve in6_addr_t type\n");
        return DCMD_ABORT;
    }
    if (mdb_ctf_type_cmp(base, v6base) != 0) {
        mdb_warn("requires argument of type in6_addr_t\n");
        return DCMD_ABORT;
    }
    unsigned char v6addr[16];
    if (mdb_vread(v6addr, sizeof v6addr, addr) == -1) {
        mdb_warn("couldn't read in6_addr_t at %p", addr);
        return DCMD_ERR;
    }
    mdb_printf(fmt.c_str(), v6addr);
    return 0;
}

}  // namespace

int cmd_printf(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv) {
    if (!(flags & DCMD_ADDRSPEC)) return DCMD_USAGE;
    if (argc == 0 || argv[0].a_type != MDB_TYPE_STRING) {
        mdb_warn("expected a format string\n");
        return DCMD_USAGE;
    }
    // Split the format into one piece per conversion (the text before it, then the
    // conversion with `ll` added for the 64-bit ones); the text after the last is printed last.
    enum { nofmt, perc, fmt_, left, width, ques } state = nofmt;
    const char* fmt = argv[0].a_un.a_str;
    std::vector<std::string> fmts;
    std::vector<Conv> convs;
    std::string cur;
    for (int i = 0; fmt[i] != '\0'; ++i) {
        const char f = fmt[i];
        cur += f;
        switch (state) {
        case nofmt: state = f == '%' ? perc : nofmt; break;
        case perc:
            state = f == '-' ? left : (f >= '0' && f <= '9') ? width : f == '?' ? ques : f == '%' ? nofmt : fmt_;
            break;
        case left: state = (f >= '0' && f <= '9') ? width : f == '?' ? ques : fmt_; break;
        case width: state = (f >= '0' && f <= '9') ? width : fmt_; break;
        case ques: state = fmt_; break;
        case fmt_: break;
        }
        if (state != fmt_) continue;
        cur.pop_back();
        Conv c;
        switch (f) {
        case 'a': case 'A': case 'p': c = Conv::ptr; break;
        case 'd': case 'q': case 'R': c = Conv::sint; cur += "ll"; break;
        case 'I': c = Conv::uint32; break;
        case 'N': c = Conv::ipv6; break;
        case 'H': case 'o': case 'r': case 'u': case 'x': case 'X': c = Conv::uint; cur += "ll"; break;
        case 's': c = Conv::string; break;
        case 'Y': c = Conv::uint; break;  // time_t is 64 bits
        default:
            mdb_warn("illegal format string at or near '%c' (position %d)\n", f, i + 1);
            return DCMD_ABORT;
        }
        cur += f;
        fmts.push_back(cur);
        convs.push_back(c);
        cur.clear();
        state = nofmt;
    }
    --argc;
    ++argv;
    std::string type;
    if (int ret = args_to_typename(&argc, &argv, type); ret != 0) return ret;
    ++argv;
    --argc;
    mdb_ctf_id_t id;
    if (mdb_ctf_lookup_by_name(type.c_str(), &id) != 0) {
        mdb_warn("failed to look up type %s", type.c_str());
        return DCMD_ABORT;
    }
    if (argc == 0) {
        mdb_warn("at least one member must be specified\n");
        return DCMD_USAGE;
    }
    const int nfmts = static_cast<int>(fmts.size());
    if (argc != nfmts) {
        mdb_warn("%s format specifiers (found %d, expected %d)\n", argc > nfmts ? "missing" : "extra", nfmts, argc);
        return DCMD_ABORT;
    }
    for (int i = 0; i < argc; ++i) {
        if (argv[i].a_type != MDB_TYPE_STRING) {
            mdb_warn("expected only type member arguments\n");
            return DCMD_ABORT;
        }
        const char* member = argv[i].a_un.a_str;
        const auto idx = static_cast<size_t>(i);
        if (std::strcmp(member, ".") == 0) {
            if (convs[idx] != Conv::ptr && convs[idx] != Conv::uint && convs[idx] != Conv::sint) {
                mdb_warn("expected integer or pointer format specifier for '.'\n");
                return DCMD_ABORT;
            }
            mdb_printf(fmts[idx].c_str(), mdb_get_dot());
            continue;
        }
        uintptr_t maddr;
        mdb_ctf_id_t mid;
        unsigned long off;
        if (resolve_member_path(member, id, addr, &maddr, &mid, &off) != 0) return DCMD_ABORT;
        int ret = 0;
        switch (convs[idx]) {
        case Conv::ptr: ret = printf_ptr(mid, maddr, fmts[idx]); break;
        case Conv::sint: ret = printf_signed(mid, maddr, off, fmts[idx], true); break;
        case Conv::uint: ret = printf_signed(mid, maddr, off, fmts[idx], false); break;
        case Conv::uint32: ret = printf_uint32(mid, maddr, fmts[idx]); break;
        case Conv::ipv6: ret = printf_ipv6(mid, maddr, fmts[idx]); break;
        case Conv::string: ret = printf_string(mid, maddr, fmts[idx]); break;
        }
        if (ret != 0) {
            mdb_warn("failed to print member '%s'\n", member);
            return ret;
        }
    }
    mdb_printf("%s", cur.c_str());
    return DCMD_OK;
}

}  // namespace mdbsim::host::print
