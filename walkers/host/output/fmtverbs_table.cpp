// The table of format characters (modapi.md §17.3) and ::formats, which lists it.
#include <array>

#include "fmtverbs_internal.hpp"
#include "mdbsim/host/session.hpp"

namespace mdbsim::host {

namespace {

using Table = std::array<FormatChar, 128>;

FormatChar pf(const char* fmt, size_t size, const char* help, bool writes = false,
              bool is_float = false) {
    FormatChar f;
    f.kind = FormatKind::printf;
    f.printf_fmt = fmt;
    f.size = size;
    f.help = help;
    f.writes = writes;
    f.is_float = is_float;
    return f;
}

FormatChar fn(size_t size, const char* help, bool writes = false) {
    FormatChar f;
    f.kind = FormatKind::func;
    f.size = size;
    f.help = help;
    f.writes = writes;
    return f;
}

FormatChar match(size_t size, const char* help) {
    FormatChar f;
    f.kind = FormatKind::match;
    f.size = size;
    f.help = help;
    return f;
}

Table build_table() {
    Table t{};
    t['+'] = fn(0, "increment dot by the count");
    t['-'] = fn(0, "decrement dot by the count");
    t['B'] = pf("%-8x", 1, "hexadecimal int");
    t['C'] = fn(1, "character using C character notation");
    t['D'] = pf("%-16d", 4, "decimal signed int");
    t['E'] = pf("%-21llu", 8, "decimal unsigned long long");
    t['F'] = pf("%g", 8, "double", false, true);
    t['G'] = pf("%-23llo", 8, "octal unsigned long long");
    t['H'] = fn(4, "swap bytes and shorts");
    t['I'] = fn(0, "address and disassembled instruction");
    t['J'] = fn(8, "hexadecimal long long");
    t['K'] = fn(8, "hexadecimal uintptr_t");
    t['L'] = match(4, "int");
    t['M'] = match(8, "long long");
    t['N'] = fn(kNoSize, "newline");
    t['O'] = pf("%-#16o", 4, "octal unsigned int");
    t['P'] = pf("%-19a", 8, "symbol");
    t['Q'] = pf("%-#16q", 4, "octal signed int");
    t['R'] = fn(8, "binary unsigned long long");
    t['S'] = fn(0, "string using C string notation");
    t['T'] = fn(kNoSize, "horizontal tab");
    t['U'] = pf("%-16u", 4, "decimal unsigned int");
    t['V'] = pf("%-8u", 1, "decimal unsigned int");
    t['W'] = pf("%-16r", 4, "default radix unsigned int", true);
    t['X'] = pf("%-16x", 4, "hexadecimal int");
    t['Y'] = fn(4, "decoded time32_t");
    t['Z'] = fn(8, "hexadecimal long long", true);
    t['^'] = fn(0, "decrement dot by increment * count");
    t['a'] = fn(kNoSize, "dot as symbol+offset");
    t['b'] = pf("%-#8o", 1, "octal unsigned int");
    t['c'] = pf("%c", 1, "character");
    t['d'] = pf("%-8hd", 2, "decimal signed short");
    t['e'] = pf("%-21lld", 8, "decimal signed long long");
    t['f'] = fn(4, "float");
    t['g'] = pf("%-24llq", 8, "octal signed long long");
    t['h'] = fn(2, "swap bytes");
    t['i'] = fn(0, "disassembled instruction");
    t['j'] = fn(8, "jazzed-up binary unsigned long long");
    t['l'] = match(2, "short");
    t['n'] = fn(kNoSize, "newline");
    t['o'] = pf("%-#8ho", 2, "octal unsigned short");
    t['p'] = pf("%-19a", 8, "symbol");
    t['q'] = pf("%-#8hq", 2, "octal signed short");
    t['r'] = fn(kNoSize, "whitespace");
    t['s'] = fn(0, "raw string");
    t['t'] = fn(kNoSize, "horizontal tab");
    t['u'] = pf("%-8hu", 2, "decimal unsigned short");
    t['v'] = fn(1, "decimal signed int", true);
    t['w'] = pf("%-8hr", 2, "default radix unsigned short", true);
    t['x'] = pf("%-8hx", 2, "hexadecimal short");
    t['y'] = fn(8, "decoded time64_t");
    return t;
}

const Table& table() {
    static const Table t = build_table();
    return t;
}

}  // namespace

const FormatChar& format_char(char c) {
    static const FormatChar none{};
    auto u = static_cast<unsigned char>(c);
    return u < table().size() ? table()[u] : none;
}

int cmd_formats(uintptr_t, uint_t flags, int argc, const mdb_arg_t*) {
    if ((flags & DCMD_ADDRSPEC) || argc != 0) return DCMD_USAGE;
    for (size_t i = 0; i < table().size(); ++i) {
        const FormatChar& f = table()[i];
        if (f.kind == FormatKind::none) continue;
        if (f.kind == FormatKind::match)
            mdb_printf("%c - match %s", static_cast<int>(i), f.help);
        else
            mdb_printf("%c - %s%s", static_cast<int>(i), f.writes ? "write " : "", f.help);
        if (f.size == kNoSize)
            mdb_printf("\n");
        else if (f.size == 0)
            mdb_printf(" (variable size)\n");
        else if (f.size == 1)
            mdb_printf(" (1 byte)\n");
        else
            mdb_printf(" (%lu bytes)\n", static_cast<unsigned long>(f.size));
    }
    return DCMD_OK;
}

}  // namespace mdbsim::host
