// Text forms of numbers, sizes, doubles, symbolic addresses and escaped bytes, shared by the
// conversion engine and the format verbs.
#include <cmath>
#include <cstdio>
#include <string>

#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "demangle.hpp"
#include "output_inline.hpp"

namespace mdbsim::host {

std::string num_to_str(uint64_t v, int base, unsigned flags) {
    char buf[kNumChars];
    char* end = buf + sizeof buf;
    char* p = num_to_chars(end, v, base, flags);
    return std::string(p, static_cast<size_t>(end - p));
}

BinaryUnits binary_units(uint64_t n) {
    static const char letters[] = " KMGTPE";
    uint64_t q = n;
    int index = 0;
    while (q >= 1024) {
        q /= 1024;
        ++index;
    }
    const uint64_t unit = uint64_t{1} << (10 * index);
    return {q, unit, letters[index], (n & (unit - 1)) == 0};
}

// Three significant figures with trailing zeros kept and ties rounded to even; an exact
// multiple of the unit prints as an integer.
std::string bytes_to_str(uint64_t n) {
    const BinaryUnits u = binary_units(n);
    if (u.unit == 1) return std::to_string(u.whole);
    if (u.exact) return std::to_string(u.whole) + u.letter;

    double val = static_cast<double>(n) / static_cast<double>(u.unit);
    std::string out;
    const int sigfig = 3;
    int mag = 1;
    int i = 0;
    for (; i < sigfig - 1; ++i) mag *= 10;
    for (int thresh = mag * 10; mag >= 1; mag /= 10, --i) {
        double mult = val * mag;
        auto whole = static_cast<uint32_t>(mult);
        uint32_t v;
        if (mult - whole != 0.5)
            v = static_cast<uint32_t>(mult + 0.5);
        else
            v = (whole & 1) ? whole + 1 : whole;
        if (mag == 1) {
            out = std::to_string(v);
            break;
        }
        if (v < static_cast<uint32_t>(thresh)) {
            std::string frac = std::to_string(v % static_cast<uint32_t>(mag));
            out = std::to_string(v / static_cast<uint32_t>(mag)) + ".";
            for (int z = i - static_cast<int>(frac.size()); z > 0; --z) out += '0';
            out += frac;
            break;
        }
    }
    return out + u.letter;
}

std::string double_to_str(double d, int precision, char expchar) {
    char buf[64];
    if (std::isnan(d)) return d < 0 || std::signbit(d) ? "-NaN" : "+NaN";
    if (std::isinf(d)) return d < 0 ? "-Inf" : "+Inf";
    std::snprintf(buf, sizeof buf, expchar == 'E' ? "%+.*E" : "%+.*e", precision, d);
    return buf;
}

std::string addr_to_symbol(Session& s, uint64_t addr) {
    const sim::Symbol* sym = s.lookup_symbol_by_addr(addr, false);
    if (sym == nullptr) return {};
    std::string out = displayed_symbol_name(s, sym->name);
    if (sym->value() != addr) {
        uint64_t off = addr - sym->value();  // wraps negative when the symbol lies above
        out += num_to_str(off, s.radix, kNumSignPos | kNumShowBase);
    }
    return out;
}

std::string escape_bytes(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (char c : bytes) {
        switch (c) {
        case '\0': out += "\\0"; break;
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        default: {
            auto u = static_cast<unsigned char>(c);
            if (u != ' ' && (u < '!' || u > '~')) {
                char oct[8];
                std::snprintf(oct, sizeof oct, "\\%03o", u);
                out += oct;
            } else {
                out += c;
            }
        }
        }
    }
    return out;
}

}  // namespace mdbsim::host
